import type { Kysely } from "kysely";
import type { ArxivId } from "../../core/arxiv-id.ts";
import type { Database } from "../schema.ts";
import { chunk } from "../tx.ts";

/**
 * What search filters read of a paper, as the store's filters read it (`filters.ts`): its publication time,
 * its categories (`paper_categories`) and its authors' name keys (`paper_authors.name_key`).
 */
export interface PaperFacets {
  id: string;
  publishedAt: string | null;
  categories: string[];
  authorKeys: string[];
}

/** Papers after `after` (byte order of ids), at most `limit`, with their facets: pages over the whole library. */
export async function facetPage(
  db: Kysely<Database>,
  after: string | null,
  limit: number,
): Promise<PaperFacets[]> {
  let q = db.selectFrom("papers").select(["arxiv_id", "published_at"]).orderBy("arxiv_id").limit(limit);
  if (after !== null) q = q.where("arxiv_id", ">", after);
  const papers = await q.execute();
  const first = papers[0];
  const last = papers[papers.length - 1];
  if (first === undefined || last === undefined) return [];
  const between = { from: first.arxiv_id, to: last.arxiv_id };
  const [categories, authors] = await Promise.all([
    db
      .selectFrom("paper_categories")
      .select(["arxiv_id", "category"])
      .where("arxiv_id", ">=", between.from)
      .where("arxiv_id", "<=", between.to)
      .execute(),
    db
      .selectFrom("paper_authors")
      .select(["arxiv_id", "name_key"])
      .where("arxiv_id", ">=", between.from)
      .where("arxiv_id", "<=", between.to)
      .execute(),
  ]);
  return assemble(papers, categories, authors);
}

/** The facets of papers `ids` (those the store holds), in no particular order. */
export async function facetsOf(
  db: Kysely<Database>,
  ids: readonly ArxivId[],
  maxParams: number,
): Promise<PaperFacets[]> {
  const out: PaperFacets[] = [];
  for (const part of chunk([...new Set(ids)], Math.max(1, maxParams - 100))) {
    const [papers, categories, authors] = await Promise.all([
      db.selectFrom("papers").select(["arxiv_id", "published_at"]).where("arxiv_id", "in", part).execute(),
      db
        .selectFrom("paper_categories")
        .select(["arxiv_id", "category"])
        .where("arxiv_id", "in", part)
        .execute(),
      db.selectFrom("paper_authors").select(["arxiv_id", "name_key"]).where("arxiv_id", "in", part).execute(),
    ]);
    out.push(...assemble(papers, categories, authors));
  }
  return out;
}

function assemble(
  papers: readonly { arxiv_id: string; published_at: string | null }[],
  categories: readonly { arxiv_id: string; category: string }[],
  authors: readonly { arxiv_id: string; name_key: string }[],
): PaperFacets[] {
  const byId = new Map<string, PaperFacets>();
  for (const p of papers) {
    byId.set(p.arxiv_id, { id: p.arxiv_id, publishedAt: p.published_at, categories: [], authorKeys: [] });
  }
  for (const c of categories) byId.get(c.arxiv_id)?.categories.push(c.category);
  for (const a of authors) byId.get(a.arxiv_id)?.authorKeys.push(a.name_key);
  return [...byId.values()];
}
