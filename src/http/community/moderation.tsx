import type { Hono } from "hono";
import { toTimestamp } from "../../core/index.ts";
import { wantsJson } from "../accounts/message.tsx";
import { requireAdmin } from "../accounts/session.ts";
import type { AppDeps, AppEnv } from "../env.ts";
import { paperActionPath } from "../views/community.tsx";
import { formatDay } from "../views/format.ts";
import { renderPage } from "../views/page.tsx";
import { paperPath } from "../views/paper-card.tsx";
import { Tex } from "../views/tex.tsx";
import { backTo, formField, member, paperFromPath } from "./shared.ts";

const MAX_REASON = 500;

/** Admins hide and show papers (comments are removed in comments.tsx); GET /admin/hidden lists hidden papers. */
export function mountModeration(app: Hono<AppEnv>, deps: AppDeps): void {
  const community = deps.store.community;

  app.post("/papers/:id{.+}/hide", requireAdmin, async (c) => {
    const found = await paperFromPath(c, deps);
    if ("response" in found) return found.response;
    const reason = (await formField(c, "reason")).trim().slice(0, MAX_REASON) || null;
    const admin = member(c);
    await community.hidePaper(found.paper.id, admin.id, reason, toTimestamp(deps.now()));
    deps.logger.info("paper hidden by admin", { paper: found.paper.id, admin: admin.id });
    if (wantsJson(c)) return c.json({ hidden: true });
    return backTo(c, deps, paperPath(found.paper.id));
  });

  app.post("/papers/:id{.+}/unhide", requireAdmin, async (c) => {
    const found = await paperFromPath(c, deps);
    if ("response" in found) return found.response;
    await community.unhidePaper(found.paper.id);
    deps.logger.info("paper shown again by admin", { paper: found.paper.id, admin: member(c).id });
    if (wantsJson(c)) return c.json({ hidden: false });
    return backTo(c, deps, paperPath(found.paper.id));
  });

  app.get("/admin/hidden", requireAdmin, async (c) => {
    const hidden = await community.listHidden();
    const papers = new Map((await deps.store.getPapers(hidden.map((h) => h.paperId))).map((p) => [p.id, p]));
    return renderPage(c, deps.config.web.baseUrl, {
      title: "Hidden papers",
      noindex: true,
      children: (
        <section class="admin-hidden">
          <h1>Hidden papers</h1>
          {hidden.length === 0 ? (
            <p class="muted">No paper is hidden.</p>
          ) : (
            <ol>
              {hidden.map((h) => {
                const paper = papers.get(h.paperId);
                return (
                  <li>
                    <a href={paperPath(h.paperId)}>
                      {paper ? <Tex text={paper.title} /> : `arXiv:${h.paperId}`}
                    </a>
                    <span class="small muted">
                      {" "}
                      · hidden {formatDay(h.hiddenAt)}
                      {h.reason ? ` · ${h.reason}` : ""}
                    </span>
                    <form method="post" action={paperActionPath(h.paperId, "unhide")}>
                      <input type="hidden" name="_csrf" value={c.get("csrf")} />
                      <button type="submit">Show again</button>
                    </form>
                  </li>
                );
              })}
            </ol>
          )}
        </section>
      ),
    });
  });
}
