import type { Migration } from "kysely";
import type { DailyMedia } from "../../core/index.ts";
import type { RepoContext } from "../repo.ts";
import { mediaMigration } from "./migration.ts";

/** Migrations of the media module, merged into the store's list. */
export const mediaMigrations: Record<string, Migration> = { "0010_media": mediaMigration };

/** A fetched picture, or why it was refused. */
export type FetchedImage =
  | { url: string; sha256: string; ext: string; contentType: string; bytes: Uint8Array }
  | { url: string; error: string };

export interface StoredImage {
  contentType: string;
  bytes: Uint8Array;
}

/**
 * Pictures named by daily entries (`store.media`): which still need fetching, the fetched copies, and the
 * local file name of each source URL, so pages never send readers' browsers to a third party.
 */
export interface Media {
  /** Up to `limit` source URLs no fetch has been tried for yet, from the newest days first. */
  wanted(limit: number): Promise<string[]>;
  /** Keeps a fetch's outcome (the bytes, or the reason they were refused). */
  save(image: FetchedImage, now?: Date): Promise<void>;
  /** `<sha256>.<ext>` of each source URL that has a kept copy; URLs without one are absent. */
  localNames(urls: readonly string[]): Promise<Map<string, string>>;
  /** The kept copy with this hash and extension, or null. */
  image(sha256: string, ext: string): Promise<StoredImage | null>;
}

function urlsOf(media: DailyMedia): string[] {
  return [media.thumbnail, media.submitterAvatar, media.organizationAvatar].filter(
    (u): u is string => typeof u === "string",
  );
}

/** Rows read per step when looking for pictures not fetched yet. */
const SCAN_BATCH = 500;

export function createMedia(ctx: RepoContext): Media {
  const { db } = ctx;
  return {
    async wanted(limit) {
      const out: string[] = [];
      if (limit <= 0) return out;
      const seen = new Set<string>();
      let before: { day: string; id: string } | null = null;
      while (out.length < limit) {
        let q = db
          .selectFrom("daily_entries")
          .select(["day", "arxiv_id", "media_json"])
          .where("media_json", "is not", null)
          .orderBy("day", "desc")
          .orderBy("arxiv_id", "desc")
          .limit(SCAN_BATCH);
        if (before) {
          const b = before;
          q = q.where((eb) =>
            eb.or([eb("day", "<", b.day), eb.and([eb("day", "=", b.day), eb("arxiv_id", "<", b.id)])]),
          );
        }
        const rows = await q.execute();
        if (rows.length === 0) break;
        const last = rows[rows.length - 1];
        if (last) before = { day: last.day, id: last.arxiv_id };
        const candidates: string[] = [];
        for (const row of rows) {
          for (const url of urlsOf(JSON.parse(row.media_json ?? "{}") as DailyMedia)) {
            if (!seen.has(url)) {
              seen.add(url);
              candidates.push(url);
            }
          }
        }
        const known = new Set<string>();
        for (let i = 0; i < candidates.length; i += ctx.maxParams) {
          const part = candidates.slice(i, i + ctx.maxParams);
          const found = await db.selectFrom("media_images").select("url").where("url", "in", part).execute();
          for (const r of found) known.add(r.url);
        }
        for (const url of candidates) {
          if (!known.has(url) && out.length < limit) out.push(url);
        }
      }
      return out;
    },

    async save(image, now = new Date()) {
      const row =
        "error" in image
          ? {
              url: image.url,
              sha256: null,
              ext: null,
              content_type: null,
              bytes: null,
              size: null,
              error: image.error.slice(0, 500),
              fetched_at: now.toISOString(),
            }
          : {
              url: image.url,
              sha256: image.sha256,
              ext: image.ext,
              content_type: image.contentType,
              bytes: image.bytes,
              size: image.bytes.byteLength,
              error: null,
              fetched_at: now.toISOString(),
            };
      const { url: _url, ...update } = row;
      await ctx.write((conn) =>
        conn
          .insertInto("media_images")
          .values(row)
          .onConflict((oc) => oc.column("url").doUpdateSet(update))
          .execute(),
      );
    },

    async localNames(urls) {
      const out = new Map<string, string>();
      const unique = [...new Set(urls)];
      for (let i = 0; i < unique.length; i += ctx.maxParams) {
        const rows = await db
          .selectFrom("media_images")
          .select(["url", "sha256", "ext"])
          .where("url", "in", unique.slice(i, i + ctx.maxParams))
          .where("sha256", "is not", null)
          .execute();
        for (const r of rows) if (r.sha256 && r.ext) out.set(r.url, `${r.sha256}.${r.ext}`);
      }
      return out;
    },

    async image(sha256, ext) {
      const row = await db
        .selectFrom("media_images")
        .select(["content_type", "bytes"])
        .where("sha256", "=", sha256)
        .where("ext", "=", ext)
        .limit(1)
        .executeTakeFirst();
      if (!row?.bytes || !row.content_type) return null;
      return { contentType: row.content_type, bytes: new Uint8Array(row.bytes) };
    },
  };
}
