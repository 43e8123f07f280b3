import { randomUUID } from "node:crypto";
import type { Kysely } from "kysely";
import type { ArxivId, IsoTimestamp } from "../../core/index.ts";
import type { RepoContext } from "../repo.ts";
import type { Database } from "../schema.ts";
import { refreshCounts } from "./counts.ts";
import type { CommentsTable } from "./tables.ts";
import {
  type Comment,
  CommunityError,
  checkCommentBody,
  MAX_THREAD_DEPTH,
  type NewComment,
} from "./types.ts";
import { requirePaper } from "./votes.ts";

type CommentRow = CommentsTable & { author_name: string | null };

function rowToComment(row: CommentRow): Comment {
  const state = row.removed_at ? "removed" : row.deleted_at ? "deleted" : "visible";
  return {
    id: row.id,
    paperId: row.arxiv_id as ArxivId,
    parentId: row.parent_id,
    authorId: row.author_id,
    authorName: row.author_name ?? "unknown",
    body: state === "visible" ? row.body : "",
    state,
    createdAt: row.created_at as IsoTimestamp,
    editedAt: row.edited_at as IsoTimestamp | null,
  };
}

function selectComments(conn: Kysely<Database>) {
  return conn
    .selectFrom("comments")
    .leftJoin("users", "users.id", "comments.author_id")
    .selectAll("comments")
    .select("users.name as author_name");
}

async function readComment(conn: Kysely<Database>, id: string): Promise<CommentRow> {
  const row = await selectComments(conn).where("comments.id", "=", id).executeTakeFirst();
  if (!row) throw new CommunityError("not_found", "no such comment");
  return row;
}

/** How many comments are above `parentId` in its thread, itself included. */
async function depthOf(conn: Kysely<Database>, parent: CommentRow): Promise<number> {
  let depth = 1;
  let next = parent.parent_id;
  while (next !== null && depth <= MAX_THREAD_DEPTH) {
    const row = await conn
      .selectFrom("comments")
      .select("parent_id")
      .where("id", "=", next)
      .executeTakeFirst();
    if (!row) break;
    depth++;
    next = row.parent_id;
  }
  return depth;
}

export async function addComment(ctx: RepoContext, input: NewComment, now: IsoTimestamp): Promise<Comment> {
  const body = checkCommentBody(input.body);
  return ctx.write(async (conn) => {
    await requirePaper(conn, input.paperId);
    const parentId = input.parentId ?? null;
    if (parentId !== null) {
      const parent = await conn
        .selectFrom("comments")
        .selectAll()
        .where("id", "=", parentId)
        .executeTakeFirst();
      if (!parent || parent.arxiv_id !== input.paperId) {
        throw new CommunityError("not_found", "the comment you replied to is not on this paper");
      }
      if (parent.deleted_at || parent.removed_at) {
        throw new CommunityError("conflict", "the comment you replied to was deleted");
      }
      if ((await depthOf(conn, { ...parent, author_name: null })) >= MAX_THREAD_DEPTH) {
        throw new CommunityError(
          "invalid_input",
          `replies nest at most ${MAX_THREAD_DEPTH} deep; answer a comment higher up the thread`,
        );
      }
    }
    const id = randomUUID();
    await conn
      .insertInto("comments")
      .values({
        id,
        arxiv_id: input.paperId,
        parent_id: parentId,
        author_id: input.authorId,
        body,
        created_at: now,
        edited_at: null,
        deleted_at: null,
        removed_at: null,
        removed_by: null,
      })
      .execute();
    await refreshCounts(conn, input.paperId);
    return rowToComment(await readComment(conn, id));
  });
}

/** Changes the text of the author's own visible comment. */
export async function editComment(
  ctx: RepoContext,
  id: string,
  authorId: string,
  text: string,
  now: IsoTimestamp,
): Promise<Comment> {
  const body = checkCommentBody(text);
  return ctx.write(async (conn) => {
    const row = await readComment(conn, id);
    if (row.author_id !== authorId)
      throw new CommunityError("forbidden", "you can only edit your own comments");
    if (row.deleted_at || row.removed_at) throw new CommunityError("conflict", "this comment was deleted");
    if (row.body !== body) {
      await conn.updateTable("comments").set({ body, edited_at: now }).where("id", "=", id).execute();
    }
    return rowToComment(await readComment(conn, id));
  });
}

/**
 * Marks the author's own comment deleted (`by: "author"`), or an admin's removal (`by: "admin"`). The row
 * stays so replies keep their thread; its text is never shown again. Deleting twice is not an error.
 */
export function retractComment(
  ctx: RepoContext,
  id: string,
  actor: { userId: string; as: "author" | "admin" },
  now: IsoTimestamp,
): Promise<Comment> {
  return ctx.write(async (conn) => {
    const row = await readComment(conn, id);
    if (actor.as === "author") {
      if (row.author_id !== actor.userId) {
        throw new CommunityError("forbidden", "you can only delete your own comments");
      }
      if (!row.deleted_at) {
        await conn.updateTable("comments").set({ deleted_at: now }).where("id", "=", id).execute();
      }
    } else if (!row.removed_at) {
      await conn
        .updateTable("comments")
        .set({ removed_at: now, removed_by: actor.userId })
        .where("id", "=", id)
        .execute();
    }
    await refreshCounts(conn, row.arxiv_id as ArxivId);
    return rowToComment(await readComment(conn, id));
  });
}

export async function getComment(ctx: RepoContext, id: string): Promise<Comment | null> {
  const row = await selectComments(ctx.db).where("comments.id", "=", id).executeTakeFirst();
  return row ? rowToComment(row) : null;
}

/** Every comment on a paper, oldest first (deleted and removed ones included, without their text). */
export async function commentsOn(ctx: RepoContext, paperId: ArxivId): Promise<Comment[]> {
  const rows = await selectComments(ctx.db)
    .where("comments.arxiv_id", "=", paperId)
    .orderBy("comments.created_at")
    .orderBy("comments.id")
    .execute();
  return rows.map(rowToComment);
}

/** A member's own comments, oldest first (for their account export; removed ones without text). */
export async function commentsBy(ctx: RepoContext, authorId: string): Promise<Comment[]> {
  const rows = await selectComments(ctx.db)
    .where("comments.author_id", "=", authorId)
    .orderBy("comments.created_at")
    .orderBy("comments.id")
    .execute();
  return rows.map(rowToComment);
}
