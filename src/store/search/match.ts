import { type RawBuilder, sql } from "kysely";
import type { ParsedSearchQuery, SearchPhrase } from "../../core/search-query.ts";
import type { Dialect } from "../repo.ts";

/**
 * Field weights of the relevance score, in the order title, authors, abstract: a word in the title counts
 * twice a word in the abstract, a word in the author list one and a half times.
 */
export const FIELD_WEIGHTS = { title: 2, authors: 1.5, abstract: 1 } as const;

/** The papers matching a query's text, as a subquery of `arxiv_id` and `score` (higher is better). */
export interface TextMatch {
  source: RawBuilder<{ arxiv_id: string; score: number }>;
}

/**
 * Which of a query's words a paper must have: `any` (one is enough, ranked by how many and how well; the
 * relevance search) or `all` (every word; what a sort by date or upvotes lists, so the newest papers are
 * those about the whole query, not about one of its words).
 */
export type WordMatch = "any" | "all";

/**
 * What a query means on both stores: every phrase must appear; any of the words (`match` "any", the default)
 * or every one (`all`); no excluded word or phrase may appear. The score counts phrases and words alike.
 */
export function textMatch(dialect: Dialect, query: ParsedSearchQuery, match: WordMatch = "any"): TextMatch {
  return { source: dialect === "sqlite" ? fts5Match(query, match) : postgresMatch(query, match) };
}

/**
 * An FTS5 query string. Every word and phrase goes in as a double-quoted string, which FTS5 reads as plain
 * text to tokenize (no operator, column filter or prefix inside it is syntax); the parser's words hold only
 * letters and digits, and a quote would be doubled anyway. The whole string is then a bound parameter.
 */
export function fts5Expression(query: ParsedSearchQuery, match: WordMatch = "any"): string {
  const quote = (words: readonly string[]) => `"${words.join(" ").replaceAll('"', '""')}"`;
  const anyTerm = `(${query.terms.map((t) => quote([t])).join(match === "all" ? " AND " : " OR ")})`;
  // Each phrase's words are among the terms, so requiring the phrases also satisfies `anyTerm`; keeping it
  // lets bm25() rank by the words as well as the phrases.
  const required = [...query.phrases.map((p) => quote(p.words)), anyTerm].join(" AND ");
  return [`(${required})`, ...query.excluded.map((e) => quote(e.words))].join(" NOT ");
}

/** The FTS5 matches with their scores; with `onlyIds`, only those papers' rows are looked up and scored. */
function fts5Match(
  query: ParsedSearchQuery,
  match: WordMatch,
  onlyIds?: RawBuilder<unknown>,
): TextMatch["source"] {
  const { title, authors, abstract } = FIELD_WEIGHTS;
  const only =
    onlyIds === undefined
      ? sql``
      : sql`and paper_search_fts.rowid in (select i.doc_id from paper_search_docs i where i.arxiv_id in (${onlyIds}))`;
  // bm25() is smaller for better matches; negated so that higher is better on both stores.
  return sql<{ arxiv_id: string; score: number }>`(
    select d.arxiv_id as arxiv_id,
           -bm25(paper_search_fts, ${sql.lit(title)}, ${sql.lit(authors)}, ${sql.lit(abstract)}) as score
    from paper_search_fts
    join paper_search_docs d on d.doc_id = paper_search_fts.rowid
    where paper_search_fts match ${fts5Expression(query, match)} ${only}
  )`;
}

/**
 * `textMatch` for the papers `ids` only (a page of a sort ordered elsewhere), with the same scores. FTS5's
 * bm25() reads the whole index's statistics again for each row looked up by rowid (about a millisecond a row),
 * so when the text matches few papers (`matches`, when the caller counted them) scoring them all is cheaper.
 */
export function textMatchOf(
  dialect: Dialect,
  query: ParsedSearchQuery,
  match: WordMatch,
  ids: readonly string[],
  matches = Number.POSITIVE_INFINITY,
): TextMatch["source"] {
  const list = sql.join(ids.map((id) => sql`${id}`));
  if (dialect !== "sqlite" || matches <= SCORE_ALL_BELOW) {
    return sql<{ arxiv_id: string; score: number }>`(
      select t.arxiv_id as arxiv_id, t.score as score from ${textMatch(dialect, query, match).source} as t
      where t.arxiv_id in (${list})
    )`;
  }
  return fts5Match(query, match, list);
}

/** Matches below which `textMatchOf` scores every match rather than looking the page's rows up one by one. */
const SCORE_ALL_BELOW = 5_000;

/**
 * A tsquery built from one function call per word or phrase, joined with tsquery operators: the user's text
 * only ever travels as bound parameters. Each goes through 'english' (stemmed, for title and abstract) and
 * 'simple' (as written, for author names), matching how the document was built.
 */
function tsWords(words: readonly string[]): RawBuilder<unknown> {
  const text = words.join(" ");
  return words.length === 1
    ? sql`(plainto_tsquery('english', ${text}) || plainto_tsquery('simple', ${text}))`
    : sql`(phraseto_tsquery('english', ${text}) || phraseto_tsquery('simple', ${text}))`;
}

function joinTs(parts: readonly RawBuilder<unknown>[], operator: "||" | "&&"): RawBuilder<unknown> {
  return sql`(${sql.join(parts, sql.raw(` ${operator} `))})`;
}

/** The tsquery a document must match (`textMatch` on PostgreSQL, without the rank). */
export function postgresFilter(query: ParsedSearchQuery, match: WordMatch): RawBuilder<unknown> {
  const terms = query.terms.map((t) => tsWords([t]));
  const phrases = query.phrases.map((p: SearchPhrase) => tsWords(p.words));
  let filter =
    match === "all"
      ? joinTs([...phrases, ...terms], "&&")
      : phrases.length > 0
        ? joinTs(phrases, "&&")
        : joinTs(terms, "||");
  for (const e of query.excluded) filter = sql`(${filter} && !!${tsWords(e.words)})`;
  return filter;
}

function postgresMatch(query: ParsedSearchQuery, match: WordMatch): TextMatch["source"] {
  const terms = query.terms.map((t) => tsWords([t]));
  const phrases = query.phrases.map((p: SearchPhrase) => tsWords(p.words));
  const filter = postgresFilter(query, match);
  const rank = joinTs([...phrases, ...terms], "||");
  const { title, authors, abstract } = FIELD_WEIGHTS;
  // ts_rank's weights are listed D, C, B, A (D is unused) and must lie in 0..1, hence scaled by the title's.
  // Normalisation 1 divides by 1 + log(length): like BM25, the shorter of two equal matches ranks first.
  const weights = sql.raw(`'{0, ${abstract / title}, ${authors / title}, 1}'::float4[]`);
  return sql<{ arxiv_id: string; score: number }>`(
    select s.arxiv_id as arxiv_id, ts_rank(${weights}, s.document, ${rank}, 1) as score
    from paper_search s
    where s.document @@ ${filter}
  )`;
}
