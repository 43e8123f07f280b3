import type { Context, Hono } from "hono";
import type { ContentfulStatusCode } from "hono/utils/http-status";
import { z } from "zod";
import { type Paper, toTimestamp } from "../../core/index.ts";
import { isCommunityError, MAX_COMMENT_LENGTH } from "../../store/community/index.ts";
import { wantsJson } from "../accounts/message.tsx";
import { requireAdmin, requireUser, requireVerified } from "../accounts/session.ts";
import type { AppDeps, AppEnv } from "../env.ts";
import { statusOf } from "../errors.ts";
import { commentAnchor, paperActionPath } from "../views/community.tsx";
import { renderPage } from "../views/page.tsx";
import { paperPath } from "../views/paper-card.tsx";
import {
  COMMUNITY_RATE_RULES,
  formField,
  member,
  paperFromPath,
  rateLimited,
  refuse,
  refuseError,
} from "./shared.ts";

/** Comment ids are UUIDs; anything else names no comment. */
const commentId = z.string().uuid();

/**
 * The comment was refused (empty, too long, parent gone): the member's text comes back in the form, with the
 * reason, so nothing typed is lost.
 */
function retryPage(
  c: Context<AppEnv>,
  deps: AppDeps,
  spec: {
    paper: Paper | null;
    action: string;
    parentId: string | null;
    body: string;
    message: string;
    status: ContentfulStatusCode;
  },
) {
  const back = spec.paper ? paperPath(spec.paper.id) : "/";
  return renderPage(
    c,
    deps.config.web.baseUrl,
    {
      title: "Comment not posted",
      noindex: true,
      children: (
        <section class="comment-retry">
          <h1>Comment not posted</h1>
          <p class="problem" role="alert">
            {spec.message}
          </p>
          <form method="post" action={spec.action}>
            <input type="hidden" name="_csrf" value={c.get("csrf")} />
            {spec.parentId ? <input type="hidden" name="parent" value={spec.parentId} /> : null}
            <label>
              Your text
              <textarea name="body" rows={8} maxlength={MAX_COMMENT_LENGTH}>
                {spec.body.slice(0, MAX_COMMENT_LENGTH * 2)}
              </textarea>
            </label>
            <button type="submit">Try again</button>
          </form>
          <p>
            <a href={`${back}#comments`}>Back to the paper</a>
          </p>
        </section>
      ),
    },
    spec.status,
  );
}

/** Write, reply, edit, delete (own) and remove (admin) comments. */
export function mountComments(app: Hono<AppEnv>, deps: AppDeps): void {
  const community = deps.store.community;

  app.post("/papers/:id{.+}/comments", requireVerified, async (c) => {
    const found = await paperFromPath(c, deps);
    if ("response" in found) return found.response;
    const user = member(c);
    const limited = await rateLimited(c, deps, COMMUNITY_RATE_RULES.comments, user);
    if (limited) return limited;
    const body = await formField(c, "body");
    const parent = (await formField(c, "parent")).trim();
    const parentId = parent === "" ? null : parent;
    const { paper } = found;
    try {
      if (parentId !== null && !commentId.safeParse(parentId).success) {
        return await refuse(c, deps, {
          status: 404,
          code: "not_found",
          title: "Not found",
          text: "no such comment",
        });
      }
      const comment = await community.addComment(
        { paperId: paper.id, authorId: user.id, parentId, body },
        toTimestamp(deps.now()),
      );
      if (wantsJson(c)) return c.json({ comment }, 201);
      return c.redirect(`${paperPath(paper.id)}#${commentAnchor(comment.id)}`, 303);
    } catch (error) {
      if (!isCommunityError(error) || error.code === "forbidden" || wantsJson(c))
        return refuseError(c, deps, error);
      return retryPage(c, deps, {
        paper,
        action: paperActionPath(paper.id, "comments"),
        parentId,
        body,
        message: error.message,
        status: statusOf(error.code),
      });
    }
  });

  app.post("/comments/:cid/edit", requireUser, async (c) => {
    const id = commentId.safeParse(c.req.param("cid"));
    if (!id.success)
      return refuse(c, deps, { status: 404, code: "not_found", title: "Not found", text: "no such comment" });
    const body = await formField(c, "body");
    try {
      const comment = await community.editComment(id.data, member(c).id, body, toTimestamp(deps.now()));
      if (wantsJson(c)) return c.json({ comment });
      return c.redirect(`${paperPath(comment.paperId)}#${commentAnchor(comment.id)}`, 303);
    } catch (error) {
      if (!isCommunityError(error) || error.code !== "invalid_input" || wantsJson(c))
        return refuseError(c, deps, error);
      const existing = await community.getComment(id.data);
      const paper = existing ? await deps.store.getPaper(existing.paperId) : null;
      return retryPage(c, deps, {
        paper,
        action: `/comments/${id.data}/edit`,
        parentId: null,
        body,
        message: error.message,
        status: 400,
      });
    }
  });

  app.post("/comments/:cid/delete", requireUser, async (c) => {
    const id = commentId.safeParse(c.req.param("cid"));
    if (!id.success)
      return refuse(c, deps, { status: 404, code: "not_found", title: "Not found", text: "no such comment" });
    try {
      const comment = await community.deleteComment(id.data, member(c).id, toTimestamp(deps.now()));
      if (wantsJson(c)) return c.json({ comment });
      return c.redirect(`${paperPath(comment.paperId)}#comments`, 303);
    } catch (error) {
      return refuseError(c, deps, error);
    }
  });

  app.post("/comments/:cid/remove", requireAdmin, async (c) => {
    const id = commentId.safeParse(c.req.param("cid"));
    if (!id.success)
      return refuse(c, deps, { status: 404, code: "not_found", title: "Not found", text: "no such comment" });
    try {
      const comment = await community.removeComment(id.data, member(c).id, toTimestamp(deps.now()));
      deps.logger.info("comment removed by admin", { comment: comment.id, admin: member(c).id });
      if (wantsJson(c)) return c.json({ comment });
      return c.redirect(`${paperPath(comment.paperId)}#comments`, 303);
    } catch (error) {
      return refuseError(c, deps, error);
    }
  });
}
