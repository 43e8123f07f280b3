/**
 * Thumbs on recommended papers. On the For-you page each paper has a thumbs-up and a thumbs-down form (a
 * session POST with its CSRF token). Digests (mail, Slack, webhooks) carry signed links instead
 * (mail/digest/thumb-links.ts): `GET /recommend/thumb` records the thumb at once for the member the link was
 * made for when they are signed in, and otherwise shows one button that POSTs it, so a mail scanner fetching
 * every link casts nothing. That POST carries no cookie or CSRF token (the signature is its authority), so
 * `thumbLinkRoutes` is mounted ahead of the session middleware, like the one-click unsubscribe.
 */
import { type Context, Hono } from "hono";
import { z } from "zod";
import { parseArxivId } from "../../core/index.ts";
import { type ThumbClaim, verifyThumb } from "../../mail/digest/thumb-links.ts";
import { parseForm } from "../accounts/forms.ts";
import { messagePage } from "../accounts/message.tsx";
import { requireUser } from "../accounts/session.ts";
import type { AppDeps, AppEnv, SessionUser } from "../env.ts";
import { renderPage } from "../views/page.tsx";
import { setThumb } from "./for-you.ts";

const thumbForm = z.object({ thumb: z.enum(["up", "down", "none"]) });

function badLink(c: Context<AppEnv>, deps: AppDeps) {
  return messagePage(c, deps.config.web.baseUrl, 400, {
    code: "invalid_link",
    title: "This link does not work",
    text: "The link is incomplete or was not made by this site. Copy the whole address from the mail.",
  });
}

function claimOf(c: Context<AppEnv>, deps: AppDeps): ThumbClaim | null {
  const claim = verifyThumb(deps.secret, c.req.query());
  if (!claim) return null;
  try {
    return { ...claim, paperId: parseArxivId(claim.paperId).id };
  } catch {
    return null;
  }
}

/** Records a signed link's thumb; the page that says so, or why not. */
async function recordClaim(c: Context<AppEnv>, deps: AppDeps, claim: ThumbClaim) {
  const baseUrl = deps.config.web.baseUrl;
  const [user, paper] = await Promise.all([
    deps.store.accounts.getUser(claim.userId),
    deps.store.getPaper(claim.paperId as Parameters<typeof deps.store.getPaper>[0]),
  ]);
  if (!user || !paper) {
    return messagePage(c, baseUrl, 404, {
      code: "not_found",
      title: "Nothing to record",
      text: "The member or the paper this link names is no longer here.",
    });
  }
  await deps.store.recommend.setThumb(user.id, paper.id, claim.thumb, deps.now());
  return messagePage(c, baseUrl, 200, {
    code: "recorded",
    title: claim.thumb === "up" ? "More like this" : "Less like this",
    text:
      claim.thumb === "up"
        ? `Noted: your recommendations will lean towards papers like “${paper.title}”.`
        : `Noted: “${paper.title}” will not be recommended to you again, nor much like it.`,
    link: { href: "/for-you", label: "See your recommendations" },
  });
}

/** The signed link's POST, answered before the session middleware (no cookie, no CSRF token). */
export function thumbLinkRoutes(deps: AppDeps): Hono<AppEnv> {
  const app = new Hono<AppEnv>();
  app.post("/recommend/thumb", async (c) => {
    const claim = claimOf(c, deps);
    return claim ? recordClaim(c, deps, claim) : badLink(c, deps);
  });
  return app;
}

export function recommendRoutes(deps: AppDeps): Hono<AppEnv> {
  const app = new Hono<AppEnv>();
  const baseUrl = deps.config.web.baseUrl;

  app.get("/recommend/thumb", async (c) => {
    const claim = claimOf(c, deps);
    if (!claim) return badLink(c, deps);
    if (c.get("user")?.id === claim.userId) return recordClaim(c, deps, claim);
    const paper = await deps.store.getPaper(claim.paperId as Parameters<typeof deps.store.getPaper>[0]);
    const up = claim.thumb === "up";
    const action = `/recommend/thumb?${new URL(c.req.url).searchParams.toString()}`;
    return renderPage(c, baseUrl, {
      title: up ? "More like this" : "Less like this",
      noindex: true,
      children: (
        <section class="account-message">
          <h1>{up ? "More like this?" : "Less like this?"}</h1>
          <p>{paper ? `“${paper.title}”` : claim.paperId}</p>
          <form method="post" action={action}>
            <button class="btn" type="submit">
              {up ? "👍 Recommend more like this" : "👎 Recommend less like this"}
            </button>
          </form>
        </section>
      ),
    });
  });

  app.use("/for-you/:id{.+}/thumb", requireUser);
  app.post("/for-you/:id{.+}/thumb", async (c) => {
    const user = c.get("user") as SessionUser;
    const form = await parseForm(c, thumbForm);
    let id: ReturnType<typeof parseArxivId>["id"];
    try {
      id = parseArxivId(c.req.param("id")).id;
    } catch {
      return messagePage(c, baseUrl, 400, {
        code: "invalid_arxiv_id",
        title: "Unknown paper",
        text: "That is not an arXiv id.",
      });
    }
    if (!form.ok) {
      return messagePage(c, baseUrl, 400, { code: "invalid_input", title: "Not recorded", text: form.error });
    }
    const thumb = form.data.thumb === "none" ? null : form.data.thumb;
    if (!(await setThumb(deps, user.id, id, thumb))) {
      return messagePage(c, baseUrl, 404, {
        code: "not_found",
        title: "Unknown paper",
        text: `No paper ${id}.`,
      });
    }
    return c.redirect("/for-you", 303);
  });
  return app;
}
