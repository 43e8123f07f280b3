import type { Kysely } from "kysely";
import type { ArxivId, IsoTimestamp } from "../../core/index.ts";
import type { RepoContext } from "../repo.ts";
import type { Database } from "../schema.ts";
import { chunk } from "../tx.ts";
import { CommunityError, type LibraryItem, type LibraryQuery, normalizeTags } from "./types.ts";
import { requirePaper } from "./votes.ts";

async function tagsOf(
  conn: Kysely<Database>,
  userId: string,
  ids: readonly string[],
  maxParams: number,
): Promise<Map<string, string[]>> {
  const out = new Map<string, string[]>();
  for (const part of chunk(ids, Math.max(1, maxParams - 10))) {
    const rows = await conn
      .selectFrom("library_tags")
      .select(["arxiv_id", "tag"])
      .where("user_id", "=", userId)
      .where("arxiv_id", "in", part)
      .orderBy("tag")
      .execute();
    for (const r of rows) out.set(r.arxiv_id, [...(out.get(r.arxiv_id) ?? []), r.tag]);
  }
  return out;
}

async function writeTags(conn: Kysely<Database>, userId: string, paperId: ArxivId, tags: readonly string[]) {
  await conn
    .deleteFrom("library_tags")
    .where("user_id", "=", userId)
    .where("arxiv_id", "=", paperId)
    .execute();
  if (tags.length > 0) {
    await conn
      .insertInto("library_tags")
      .values(tags.map((tag) => ({ user_id: userId, arxiv_id: paperId, tag })))
      .execute();
  }
}

async function readItem(
  conn: Kysely<Database>,
  userId: string,
  paperId: ArxivId,
  maxParams: number,
): Promise<LibraryItem | null> {
  const row = await conn
    .selectFrom("library_items")
    .selectAll()
    .where("user_id", "=", userId)
    .where("arxiv_id", "=", paperId)
    .executeTakeFirst();
  if (!row) return null;
  const tags = (await tagsOf(conn, userId, [paperId], maxParams)).get(paperId) ?? [];
  return {
    paperId,
    savedAt: row.saved_at as IsoTimestamp,
    readAt: row.read_at as IsoTimestamp | null,
    tags,
  };
}

/**
 * Saves a paper to the member's library. Saving again keeps the first save time and read mark; `tags`, when
 * given, replace the item's tags.
 */
export async function saveToLibrary(
  ctx: RepoContext,
  userId: string,
  paperId: ArxivId,
  options: { tags?: readonly string[] },
  now: IsoTimestamp,
): Promise<LibraryItem> {
  const tags = options.tags === undefined ? null : normalizeTags(options.tags);
  return ctx.write(async (conn) => {
    await requirePaper(conn, paperId);
    await conn
      .insertInto("library_items")
      .values({ user_id: userId, arxiv_id: paperId, saved_at: now, read_at: null })
      .onConflict((oc) => oc.columns(["user_id", "arxiv_id"]).doNothing())
      .execute();
    if (tags !== null) await writeTags(conn, userId, paperId, tags);
    const item = await readItem(conn, userId, paperId, ctx.maxParams);
    if (!item) throw new CommunityError("not_found", `no paper ${paperId} here`);
    return item;
  });
}

/**
 * Saves many papers at once (an import), `LIBRARY_BATCH` per write transaction: each is added unless it is
 * there (keeping its first save time and read mark) and given exactly `tags` (the caller merges). Returns the
 * ids that were new to the library. Unknown papers are refused (`not_found`) before anything is written.
 */
export async function saveManyToLibrary(
  ctx: RepoContext,
  userId: string,
  items: readonly { paperId: ArxivId; tags: readonly string[] }[],
  now: IsoTimestamp,
): Promise<Set<ArxivId>> {
  const cleaned = items.map((i) => ({ paperId: i.paperId, tags: normalizeTags(i.tags) }));
  const added = new Set<ArxivId>();
  for (const part of chunk(cleaned, LIBRARY_BATCH)) {
    await ctx.write(async (conn) => {
      const ids = part.map((i) => i.paperId);
      const known = new Set(
        (await conn.selectFrom("papers").select("arxiv_id").where("arxiv_id", "in", ids).execute()).map(
          (r) => r.arxiv_id,
        ),
      );
      const missing = ids.find((id) => !known.has(id));
      if (missing !== undefined) throw new CommunityError("not_found", `no paper ${missing} here`);
      const present = new Set(
        (
          await conn
            .selectFrom("library_items")
            .select("arxiv_id")
            .where("user_id", "=", userId)
            .where("arxiv_id", "in", ids)
            .execute()
        ).map((r) => r.arxiv_id),
      );
      for (const item of part) {
        if (!present.has(item.paperId)) {
          await conn
            .insertInto("library_items")
            .values({ user_id: userId, arxiv_id: item.paperId, saved_at: now, read_at: null })
            .onConflict((oc) => oc.columns(["user_id", "arxiv_id"]).doNothing())
            .execute();
          added.add(item.paperId);
        }
        await writeTags(conn, userId, item.paperId, item.tags);
      }
    });
  }
  return added;
}

/** Items per write transaction of `saveManyToLibrary`: well under every dialect's parameter limit. */
const LIBRARY_BATCH = 200;

/** Changes a saved item (tags, read mark); `not_found` when the paper is not in the library. */
export async function updateLibraryItem(
  ctx: RepoContext,
  userId: string,
  paperId: ArxivId,
  change: { tags?: readonly string[]; read?: boolean },
  now: IsoTimestamp,
): Promise<LibraryItem> {
  const tags = change.tags === undefined ? null : normalizeTags(change.tags);
  return ctx.write(async (conn) => {
    const before = await readItem(conn, userId, paperId, ctx.maxParams);
    if (!before) throw new CommunityError("not_found", `${paperId} is not in your library`);
    if (change.read !== undefined && change.read !== (before.readAt !== null)) {
      await conn
        .updateTable("library_items")
        .set({ read_at: change.read ? now : null })
        .where("user_id", "=", userId)
        .where("arxiv_id", "=", paperId)
        .execute();
    }
    if (tags !== null) await writeTags(conn, userId, paperId, tags);
    return (await readItem(conn, userId, paperId, ctx.maxParams)) ?? before;
  });
}

/** Takes a paper out of the library; false when it was not there. */
export function removeFromLibrary(ctx: RepoContext, userId: string, paperId: ArxivId): Promise<boolean> {
  return ctx.write(async (conn) => {
    await conn
      .deleteFrom("library_tags")
      .where("user_id", "=", userId)
      .where("arxiv_id", "=", paperId)
      .execute();
    const result = await conn
      .deleteFrom("library_items")
      .where("user_id", "=", userId)
      .where("arxiv_id", "=", paperId)
      .executeTakeFirst();
    return Number(result.numDeletedRows) > 0;
  });
}

/** A page of the member's library, most recently saved first, optionally one tag or read state only. */
export async function listLibrary(
  ctx: RepoContext,
  userId: string,
  query: LibraryQuery = {},
): Promise<{ items: LibraryItem[]; total: number }> {
  const limit = Math.min(Math.max(Math.trunc(query.limit ?? 50), 1), 200);
  const offset = Math.max(Math.trunc(query.offset ?? 0), 0);
  const tag = query.tag ? normalizeTags([query.tag])[0] : undefined;
  let base = ctx.db.selectFrom("library_items").where("library_items.user_id", "=", userId);
  if (tag !== undefined) {
    base = base.where((eb) =>
      eb.exists(
        eb
          .selectFrom("library_tags")
          .select("library_tags.tag")
          .whereRef("library_tags.user_id", "=", "library_items.user_id")
          .whereRef("library_tags.arxiv_id", "=", "library_items.arxiv_id")
          .where("library_tags.tag", "=", tag),
      ),
    );
  }
  if (query.read === true) base = base.where("library_items.read_at", "is not", null);
  if (query.read === false) base = base.where("library_items.read_at", "is", null);
  const total = await base.select((eb) => eb.fn.countAll().as("n")).executeTakeFirstOrThrow();
  const rows = await base
    .selectAll("library_items")
    .orderBy("library_items.saved_at", "desc")
    .orderBy("library_items.arxiv_id")
    .limit(limit)
    .offset(offset)
    .execute();
  return { total: Number(total.n), items: await withTags(ctx, userId, rows) };
}

type LibraryRow = { arxiv_id: string; saved_at: string; read_at: string | null };

/** Library rows as items, each with its tags (one tag query per chunk of rows). */
async function withTags(
  ctx: RepoContext,
  userId: string,
  rows: readonly LibraryRow[],
): Promise<LibraryItem[]> {
  const tags = await tagsOf(
    ctx.db,
    userId,
    rows.map((r) => r.arxiv_id),
    ctx.maxParams,
  );
  return rows.map((r) => ({
    paperId: r.arxiv_id as ArxivId,
    savedAt: r.saved_at as IsoTimestamp,
    readAt: r.read_at as IsoTimestamp | null,
    tags: tags.get(r.arxiv_id) ?? [],
  }));
}

/** The member's tags with how many papers carry each, by tag. */
export async function libraryTags(
  ctx: RepoContext,
  userId: string,
): Promise<{ tag: string; count: number }[]> {
  const rows = await ctx.db
    .selectFrom("library_tags")
    .select(["tag", (eb) => eb.fn.countAll().as("n")])
    .where("user_id", "=", userId)
    .groupBy("tag")
    .orderBy("tag")
    .execute();
  return rows.map((r) => ({ tag: r.tag, count: Number(r.n) }));
}

/** The library items among `ids` (to show "saved" on cards), by paper id. */
export async function savedItems(
  ctx: RepoContext,
  userId: string,
  ids: readonly ArxivId[],
): Promise<Map<ArxivId, LibraryItem>> {
  const unique = [...new Set(ids)];
  const out = new Map<ArxivId, LibraryItem>();
  for (const part of chunk(unique, Math.max(1, ctx.maxParams - 10))) {
    const rows = await ctx.db
      .selectFrom("library_items")
      .selectAll()
      .where("user_id", "=", userId)
      .where("arxiv_id", "in", part)
      .execute();
    for (const item of await withTags(ctx, userId, rows)) out.set(item.paperId, item);
  }
  return out;
}
