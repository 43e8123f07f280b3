/** The categories a reader can follow: those the library's papers are in, with how many papers each has. */
import type { RepoContext } from "../repo.ts";

export interface CategoryCount {
  category: string;
  papers: number;
}

/** The `limit` categories with the most papers (primary or cross-listed), most first, then by name. */
export async function categoryCounts(ctx: RepoContext, limit: number): Promise<CategoryCount[]> {
  const rows = await ctx.db
    .selectFrom("paper_categories")
    .select(["category", ctx.db.fn.countAll<number | string>().as("papers")])
    .groupBy("category")
    .orderBy("papers", "desc")
    .orderBy("category")
    .limit(limit)
    .execute();
  return rows.map((r) => ({ category: r.category, papers: Number(r.papers) }));
}
