import { type Expression, type ExpressionBuilder, type SqlBool, sql } from "kysely";
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

/** First names of a longer name are matched in full or as initials; past this many, only in full. */
const MAX_FLEXIBLE_FIRST_NAMES = 3;

/**
 * The `name_key`s (exact, and LIKE patterns) of the authors a name filter means, from the name's key:
 * - one word: that last name ("pfister": "pfister", "tomas pfister", "t j pfister");
 * - several: the same last name, each first name in full or as its initial, middle names allowed
 *   ("tomas pfister": "tomas pfister", "t pfister", "tomas j pfister"; "t pfister": any first name starting
 *   with t). A first name is never a last name: "tomas pfister" never finds "r tomas".
 */
export function namePatterns(key: string): { exact: string[]; like: string[] } {
  const words = key.split(" ").filter((w) => w !== "");
  const last = words.pop();
  if (last === undefined) return { exact: [key], like: [] };
  if (words.length === 0) return { exact: [last], like: [`% ${last}`] };
  if (words.length > MAX_FLEXIBLE_FIRST_NAMES) return { exact: [key], like: [] };
  let firsts = [""];
  for (const word of words) {
    const forms = word.length === 1 ? [`${word}%`] : [word, word[0] as string];
    firsts = firsts.flatMap((f) => forms.map((form) => (f === "" ? form : `${f} ${form}`)));
  }
  const exact: string[] = [];
  const like: string[] = [];
  for (const first of firsts) {
    const whole = `${first} ${last}`;
    (whole.includes("%") ? like : exact).push(whole);
    like.push(`${first} % ${last}`);
  }
  return { exact: exact.length > 0 ? exact : [key], like };
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
