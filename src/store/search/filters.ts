import { type Expression, type ExpressionBuilder, type SqlBool, sql } from "kysely";
import { namePatterns } from "../../core/author-names.ts";
import type { IsoDate } from "../../core/dates.ts";
import type { SearchFilters } from "../../core/search-query.ts";
import { authorKey } from "../../core/text/normalize.ts";
import type { Database } from "../schema.ts";

/** Query builders here read papers under the alias `p`. */
export type PapersAlias = Database & { p: Database["papers"] };

/** The day after an ISO date, so `until` can include the whole of its day against full timestamps. */
export function nextDay(date: IsoDate): string {
  const d = new Date(`${date}T00:00:00.000Z`);
  d.setUTCDate(d.getUTCDate() + 1);
  return d.toISOString().slice(0, 10);
}

/**
 * The conditions a paper `p` must meet for `filters`, as bound-parameter expressions:
 * - each author: a `paper_authors` row whose `name_key` is one the name means (`namePatterns`);
 * - categories: a `paper_categories` row in any of them (an archive such as `cs` covers `cs.*`);
 * - since / until: `published_at` on or after the first day, before the day after the last (papers without a
 *   date never pass a date filter).
 */
export function filterConditions(
  eb: ExpressionBuilder<PapersAlias, "p">,
  filters: SearchFilters,
): Expression<SqlBool>[] {
  const conditions: Expression<SqlBool>[] = [];
  for (const name of filters.authors ?? []) {
    const key = authorKey(name);
    conditions.push(
      eb.exists(
        eb
          .selectFrom("paper_authors as pa")
          .select(sql.lit(1).as("one"))
          .whereRef("pa.arxiv_id", "=", "p.arxiv_id")
          .where((w) => {
            // A key holds only [a-z0-9 ], so it carries no LIKE wildcard but those `namePatterns` adds.
            const { exact, like } = namePatterns(key);
            return w.or([
              w("pa.name_key", "in", exact),
              ...like.map((pattern) => w("pa.name_key", "like", pattern)),
            ]);
          }),
      ),
    );
  }
  const categories = filters.categories ?? [];
  if (categories.length > 0) {
    conditions.push(
      eb.exists(
        eb
          .selectFrom("paper_categories as pc")
          .select(sql.lit(1).as("one"))
          .whereRef("pc.arxiv_id", "=", "p.arxiv_id")
          .where((c) =>
            c.or([
              c("pc.category", "in", categories),
              // Categories are validated ([A-Za-z.-] only), so no LIKE wildcard can slip in.
              ...categories.filter((x) => !x.includes(".")).map((x) => c("pc.category", "like", `${x}.%`)),
            ]),
          ),
      ),
    );
  }
  if (filters.since) conditions.push(eb("p.published_at", ">=", filters.since));
  if (filters.until) conditions.push(eb("p.published_at", "<", nextDay(filters.until)));
  return conditions;
}
