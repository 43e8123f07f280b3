import { z } from "zod";
import type { ArxivId } from "../../core/index.ts";
import { type Comment, type LibraryItem, MAX_COMMENT_LENGTH } from "../../store/community/index.ts";
import type { AppDeps, AppEnv } from "../env.ts";
import { ApiError } from "./errors.ts";
import { arxivIdParam, requirePaper } from "./hf-routes.ts";
import { type ApiRoute, defineRoute, limitNumber, pageNumber } from "./route.ts";

/** Members' actions through the API: votes, comments and the library. Writes need a signed-in user. */

const commentSchema = z.object({
  id: z.string(),
  paperId: z.string(),
  parentId: z.string().nullable(),
  author: z.string(),
  body: z.string().describe("empty unless state is visible"),
  state: z.enum(["visible", "deleted", "removed"]),
  createdAt: z.string(),
  editedAt: z.string().nullable(),
});

const libraryItemSchema = z.object({
  id: z.string(),
  savedAt: z.string(),
  readAt: z.string().nullable(),
  tags: z.array(z.string()),
});

function presentComment(comment: Comment): z.infer<typeof commentSchema> {
  return {
    id: comment.id,
    paperId: comment.paperId,
    parentId: comment.parentId,
    author: comment.authorName,
    body: comment.state === "visible" ? comment.body : "",
    state: comment.state,
    createdAt: comment.createdAt,
    editedAt: comment.editedAt,
  };
}

function presentLibraryItem(item: LibraryItem): z.infer<typeof libraryItemSchema> {
  return { id: item.paperId, savedAt: item.savedAt, readAt: item.readAt, tags: item.tags };
}

/** The signed-in user's id; routes declared with `auth` never run without one. */
export function userId(c: { get(key: "user"): AppEnv["Variables"]["user"] }): string {
  const user = c.get("user");
  if (!user) throw new ApiError("unauthorized", "sign in or send Authorization: Bearer <API token>");
  return user.id;
}

/** A member who may write: signed in and with a verified email (the pages ask the same). */
export function writerId(c: { get(key: "user"): AppEnv["Variables"]["user"] }): string {
  const id = userId(c);
  if (!c.get("user")?.verified) {
    throw new ApiError("forbidden", "verify your email address first (see the link we mailed you)");
  }
  return id;
}

/** A paper members can act on: stored and not hidden by an admin (hidden ones look absent). */
async function requireVisiblePaper(deps: AppDeps, id: ArxivId) {
  const paper = await requirePaper(deps, id);
  if ((await deps.store.community.hiddenAmong([paper.id])).size > 0) {
    throw new ApiError("not_found", `no paper ${paper.id}`);
  }
  return paper;
}

const tagsField = z.array(z.string().max(100)).max(50);

export function communityApiRoutes(deps: AppDeps): ApiRoute[] {
  const stamp = () => deps.now().toISOString() as Parameters<typeof deps.store.community.setVote>[3];
  return [
    defineRoute({
      method: "get",
      path: "/papers/:id{.+}/comments",
      operationId: "listComments",
      summary: "A paper's comments, oldest first (deleted ones without text, to keep threads whole)",
      tags: ["community"],
      params: z.object({ id: arxivIdParam }),
      response: { description: "the comments", schema: z.object({ comments: z.array(commentSchema) }) },
      async handler(c, { params }) {
        const paper = await requirePaper(deps, params.id);
        const comments = await deps.store.community.comments(paper.id);
        return c.json({ comments: comments.map(presentComment) });
      },
    }),
    defineRoute({
      method: "post",
      path: "/papers/:id{.+}/comments",
      operationId: "addComment",
      summary: "Comment on a paper, or reply to a comment",
      tags: ["community"],
      auth: true,
      params: z.object({ id: arxivIdParam }),
      body: z.object({
        body: z.string().trim().min(1).max(MAX_COMMENT_LENGTH),
        parentId: z.string().max(100).nullish(),
      }),
      response: { description: "the new comment", schema: commentSchema },
      async handler(c, { params, body }) {
        const paper = await requireVisiblePaper(deps, params.id);
        const comment = await deps.store.community.addComment(
          { paperId: paper.id, authorId: writerId(c), parentId: body.parentId ?? null, body: body.body },
          stamp(),
        );
        return c.json(presentComment(comment), 201);
      },
    }),
    defineRoute({
      method: "put",
      path: "/papers/:id{.+}/vote",
      operationId: "setVote",
      summary: "Upvote a paper (voted: true) or take the vote back (voted: false)",
      tags: ["community"],
      auth: true,
      params: z.object({ id: arxivIdParam }),
      body: z.object({ voted: z.boolean() }),
      response: {
        description: "the vote and the paper's upvotes (Hugging Face's plus local)",
        schema: z.object({ id: z.string(), voted: z.boolean(), upvotes: z.number().int() }),
      },
      async handler(c, { params, body }) {
        const paper = await requireVisiblePaper(deps, params.id);
        const state = await deps.store.community.setVote(writerId(c), paper.id, body.voted, stamp());
        const activity = (await deps.store.listings.activity([paper.id])).get(paper.id);
        return c.json({ id: paper.id, voted: state.voted, upvotes: activity?.upvotes ?? state.votes });
      },
    }),
    defineRoute({
      method: "get",
      path: "/library",
      operationId: "listLibrary",
      summary: "The signed-in member's library, newest saves first",
      tags: ["community"],
      auth: true,
      query: z.object({
        tag: z.string().trim().min(1).max(100).optional(),
        read: z.enum(["true", "false"]).optional().describe("only read (true) or unread (false) papers"),
        p: pageNumber(0),
        limit: limitNumber(50, 200),
      }),
      response: {
        description: "library items",
        schema: z.object({ items: z.array(libraryItemSchema), total: z.number().int() }),
      },
      async handler(c, { query }) {
        const { items, total } = await deps.store.community.library(userId(c), {
          tag: query.tag ?? null,
          read: query.read === undefined ? null : query.read === "true",
          limit: query.limit,
          offset: query.p * query.limit,
        });
        return c.json({ items: items.map(presentLibraryItem), total });
      },
    }),
    defineRoute({
      method: "put",
      path: "/library/:id{.+}",
      operationId: "saveToLibrary",
      summary: "Save a paper to the library (or change its tags and read state)",
      tags: ["community"],
      auth: true,
      params: z.object({ id: arxivIdParam }),
      body: z.object({ tags: tagsField.optional(), read: z.boolean().optional() }),
      response: { description: "the library item", schema: libraryItemSchema },
      async handler(c, { params, body }) {
        const paper = await requirePaper(deps, params.id);
        const user = writerId(c);
        const saved = await deps.store.community.savedItems(user, [paper.id as ArxivId]);
        if (!saved.has(paper.id)) await deps.store.community.saveToLibrary(user, paper.id, {}, stamp());
        const item = await deps.store.community.updateLibraryItem(user, paper.id, body, stamp());
        return c.json(presentLibraryItem(item));
      },
    }),
    defineRoute({
      method: "delete",
      path: "/library/:id{.+}",
      operationId: "removeFromLibrary",
      summary: "Remove a paper from the library",
      tags: ["community"],
      auth: true,
      params: z.object({ id: arxivIdParam }),
      response: { description: "whether it was there", schema: z.object({ removed: z.boolean() }) },
      async handler(c, { params }) {
        return c.json({ removed: await deps.store.community.removeFromLibrary(userId(c), params.id) });
      },
    }),
  ];
}
