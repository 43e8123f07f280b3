import { type Kysely, type RawBuilder, type SelectQueryBuilder, sql } from "kysely";
import type { ArxivId } from "../../core/arxiv-id.ts";
import { ValidationError } from "../../core/errors.ts";
import {
  checkFilters,
  type ParsedSearchQuery,
  parseSearchQuery,
  type SearchFilters,
} from "../../core/search-query.ts";
import { type HighlightQuery, highlight, snippet } from "../../core/text/highlight.ts";
import { authorKey } from "../../core/text/normalize.ts";
import type { RepoContext } from "../repo.ts";
import { rowToPaper } from "../rows.ts";
import type { Database, PapersTable } from "../schema.ts";
import { chunk } from "../tx.ts";
import { facetPage, facetsOf, type PaperFacets } from "./facets.ts";
import { filterConditions, type PapersAlias } from "./filters.ts";
import { textMatch, textMatchOf, type WordMatch } from "./match.ts";
import type {
  KnownAuthor,
  PaperSearch,
  SearchSort,
  StoreSearchHit,
  StoreSearchRequest,
  StoreSearchResult,
} from "./search.ts";
import { SortKeyReader } from "./sort-keys.ts";

/** Totals are counted exactly up to this many matches; past it, `total` is this lower bound. */
export const TOTAL_LIMIT = 10_000;
/**
 * Deepest result a page may start at: a deep page of a relevance sort costs as much as the whole sort. Pages
 * past it come back empty, with a note.
 */
export const MAX_OFFSET = 10_000;
export const MAX_LIMIT = 100;
/** The note of a page that starts past `MAX_OFFSET`. */
export const TOO_DEEP_NOTE = `Only the first ${MAX_OFFSET.toLocaleString("en-US")} results can be paged through; narrow the search.`;
const DEFAULT_LIMIT = 20;

/**
 * A paper's upvotes: the largest count any Hugging Face daily entry gave it plus this site's own votes
 * (community_counts, kept in the vote's transaction): the one place sorts and hits read upvotes from.
 */
export const PAPER_UPVOTES_SQL: RawBuilder<number> = sql<number>`coalesce(
  (select max(de.upvotes) from daily_entries de where de.arxiv_id = p.arxiv_id), 0)
  + coalesce((select cc.votes from community_counts cc where cc.arxiv_id = p.arxiv_id), 0)`;

const SORTS: readonly SearchSort[] = ["relevance", "date", "upvotes"];

interface Page {
  sort: SearchSort;
  offset: number;
  limit: number;
}

/** Most ids a request may `include`. */
export const MAX_INCLUDE = 1_000;

/** How a query's text selects papers: which words it needs and which papers count whatever their words. */
interface Selection {
  query: ParsedSearchQuery;
  match: WordMatch;
  include: readonly string[];
}

/** Checks paging and filters the caller built itself (a query's own filters are valid by construction). */
function validate(request: Omit<StoreSearchRequest, "text">): Page {
  const sort = request.sort ?? "relevance";
  const offset = request.offset ?? 0;
  const limit = request.limit ?? DEFAULT_LIMIT;
  if (!SORTS.includes(sort)) {
    throw new ValidationError(
      "invalid_record",
      `sort must be one of ${SORTS.join(", ")}, got "${String(sort)}"`,
    );
  }
  if (!Number.isSafeInteger(offset) || offset < 0) {
    throw new ValidationError("invalid_record", "offset must be a whole number, 0 or more");
  }
  if (!Number.isSafeInteger(limit) || limit < 1 || limit > MAX_LIMIT) {
    throw new ValidationError("invalid_record", `limit must be a whole number from 1 to ${MAX_LIMIT}`);
  }
  if (request.match !== undefined && request.match !== "any" && request.match !== "all") {
    throw new ValidationError(
      "invalid_record",
      `match must be "any" or "all", got "${String(request.match)}"`,
    );
  }
  if ((request.include?.length ?? 0) > MAX_INCLUDE) {
    throw new ValidationError("invalid_record", `include takes at most ${MAX_INCLUDE} ids`);
  }
  checkFilters(request.filters ?? {});
  return { sort, offset, limit };
}

/** Without words there is no relevance: such lists are newest first unless asked otherwise. */
function listingPage(page: Page): Page {
  return page.sort === "relevance" ? { ...page, sort: "date" } : page;
}

type Row = PapersTable & { score: number; upvotes: number };

const NO_QUERY: HighlightQuery = { terms: [], phrases: [] };

export class KyselyPaperSearch implements PaperSearch {
  readonly sortKeys: SortKeyReader;

  constructor(private readonly ctx: RepoContext) {
    this.sortKeys = new SortKeyReader(ctx.db, ctx.dialect, ctx.maxParams);
  }

  private get db(): Kysely<Database> {
    return this.ctx.db;
  }

  async search(request: StoreSearchRequest): Promise<StoreSearchResult> {
    const page = validate(request);
    const text = typeof request.text === "string" ? request.text : "";
    const query = request.parsed ?? parseSearchQuery(text);
    const requestFilters = request.filters ?? {};
    // Filters the caller passed and filters written in the text must all hold.
    const filters = [requestFilters, query.filters];
    if (query.terms.length > 0) {
      if (query.problem !== null) return { hits: [], total: 0, notes: query.notes, problem: query.problem };
      const include = [...new Set(request.include ?? [])];
      const found = await this.run({ query, match: request.match ?? "any", include }, filters, page);
      return { ...found, notes: [...query.notes, ...found.notes] };
    }
    // No words: list by the filters, if there are any (the text's "nothing to search" is then only a note).
    const textHasFilters = Object.keys(query.filters).length > 0;
    const listable = textHasFilters || Object.keys(requestFilters).length > 0;
    if (query.problem !== null && (textHasFilters || !listable)) {
      return { hits: [], total: 0, notes: query.notes, problem: query.problem };
    }
    const notes =
      query.problem !== null && text.trim() !== "" ? [...query.notes, query.problem] : query.notes;
    const listed = await this.run(null, filters, listingPage(page));
    return { ...listed, notes: [...notes, ...listed.notes] };
  }

  async filter(request: Omit<StoreSearchRequest, "text">): Promise<StoreSearchResult> {
    const page = validate(request);
    return this.run(null, [request.filters ?? {}], listingPage(page));
  }

  async passing(ids: readonly ArxivId[], filters: SearchFilters): Promise<ArxivId[]> {
    validate({ filters });
    const wanted = [...new Set(ids)];
    const pass = new Set<string>();
    for (const part of chunk(wanted, Math.max(1, this.ctx.maxParams - 100))) {
      const rows = await this.db
        .selectFrom("papers as p")
        .select("p.arxiv_id")
        .where("p.arxiv_id", "in", part)
        .where((eb) => eb.and(filterConditions(eb, filters)))
        .execute();
      for (const r of rows) pass.add(r.arxiv_id);
    }
    return wanted.filter((id) => pass.has(id));
  }

  async author(name: string): Promise<KnownAuthor | null> {
    const key = authorKey(typeof name === "string" ? name : "");
    if (key === "") return null;
    const rows = await this.db
      .selectFrom("paper_authors")
      .select(["name", (eb) => eb.fn.count<number>("arxiv_id").distinct().as("papers")])
      .where("name_key", "=", key)
      .groupBy("name")
      .execute();
    if (rows.length === 0) return null;
    const counted = rows.map((r) => ({ name: r.name, papers: Number(r.papers) }));
    counted.sort((a, b) => b.papers - a.papers || (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
    const papers = await this.db
      .selectFrom("paper_authors")
      .select((eb) => eb.fn.count<number>("arxiv_id").distinct().as("n"))
      .where("name_key", "=", key)
      .executeTakeFirstOrThrow();
    return { name: (counted[0] as { name: string }).name, papers: Number(papers.n) };
  }

  facetPage(after: string | null, limit: number): Promise<PaperFacets[]> {
    return facetPage(this.db, after, limit);
  }

  facetsOf(ids: readonly ArxivId[]): Promise<PaperFacets[]> {
    return facetsOf(this.db, ids, this.ctx.maxParams);
  }

  async hitsFor(
    query: ParsedSearchQuery,
    match: WordMatch,
    ids: readonly ArxivId[],
    include: readonly ArxivId[],
    matches?: number,
  ): Promise<StoreSearchHit[]> {
    if (ids.length === 0) return [];
    // Scored like `matches`: the text's score (computed for these papers only), 0 for an included paper.
    const scored = await sql<{ arxiv_id: string; score: number }>`
      select t.arxiv_id as arxiv_id, t.score as score
      from ${textMatchOf(this.ctx.dialect, query, match, ids, matches)} as t`.execute(this.db);
    const scores = new Map(scored.rows.map((r) => [r.arxiv_id, Number(r.score)]));
    const included = new Set<string>(include);
    const ranked = ids.map((id) => {
      const s = scores.get(id);
      const score = s === undefined ? 0 : included.has(id) ? Math.max(s, 0) : s;
      return { arxiv_id: id, score };
    });
    return this.readHits(ranked, query);
  }

  /** The papers matching `selection` (or every paper when null) and every one of `filters`: a page, and the total. */
  private async run(
    selection: Selection | null,
    filters: readonly SearchFilters[],
    page: Page,
  ): Promise<StoreSearchResult> {
    const query = selection?.query ?? null;
    const base = () => {
      // Typed as if the text match `m` were always joined; it is only referenced when it is.
      let q = this.db.selectFrom("papers as p") as unknown as SelectQueryBuilder<
        PapersAlias & { m: { arxiv_id: string; score: number } },
        "p" | "m",
        object
      >;
      if (selection !== null) q = q.innerJoin(this.matches(selection).as("m"), "m.arxiv_id", "p.arxiv_id");
      // Withdrawn papers leave search and filtered lists; their page still shows them.
      return q
        .where("p.withdrawn_at", "is", null)
        .where((eb) => eb.and(filters.flatMap((f) => filterConditions(eb, f))));
    };
    // The page is chosen on narrow rows (id, score, sort keys) and only its papers are read whole: sorting
    // thousands of matches with their abstracts attached costs several times more.
    let ranked = base()
      .select("p.arxiv_id")
      .select(query === null ? sql<number>`0`.as("score") : sql<number>`m.score`.as("score"));
    if (page.sort === "upvotes") ranked = ranked.select(PAPER_UPVOTES_SQL.as("upvotes"));
    if (page.sort === "relevance") ranked = ranked.orderBy("score", "desc");
    if (page.sort === "upvotes") ranked = ranked.orderBy(sql`upvotes`, "desc");
    ranked = ranked
      .orderBy("p.published_at", (o) => o.desc().nullsLast())
      .orderBy("p.arxiv_id")
      .offset(page.offset)
      .limit(page.limit);
    const tooDeep = page.offset > MAX_OFFSET;
    const pageIds = tooDeep ? [] : await ranked.execute();
    const found = await this.readHits(pageIds, query ?? NO_QUERY);

    const counted = await this.db
      .selectFrom(
        base()
          .select("p.arxiv_id")
          .limit(TOTAL_LIMIT + 1)
          .as("matches"),
      )
      .select((eb) => eb.fn.countAll().as("n"))
      .executeTakeFirstOrThrow();
    const total = Math.min(Number(counted.n), TOTAL_LIMIT);
    const notes = tooDeep ? [TOO_DEEP_NOTE] : [];
    return { hits: found, total, notes, problem: null };
  }

  /** The text's matches, and the papers to include whatever their words (scored 0 unless the text matches). */
  private matches(selection: Selection): RawBuilder<{ arxiv_id: string; score: number }> {
    const text = textMatch(this.ctx.dialect, selection.query, selection.match).source;
    if (selection.include.length === 0) return text;
    const ids = sql.join(selection.include.map((id) => sql`${id}`));
    return sql<{ arxiv_id: string; score: number }>`(
      select u.arxiv_id as arxiv_id, max(u.score) as score from (
        select t.arxiv_id as arxiv_id, t.score as score from ${text} as t
        union all
        select i.arxiv_id as arxiv_id, 0 as score from papers as i where i.arxiv_id in (${ids})
      ) as u group by u.arxiv_id
    )`;
  }

  /** The hits for a page of ranked ids, in rank order. */
  private async readHits(
    ranked: readonly { arxiv_id: string; score: number }[],
    query: HighlightQuery,
  ): Promise<StoreSearchHit[]> {
    if (ranked.length === 0) return [];
    const rows = await this.db
      .selectFrom("papers as p")
      .selectAll("p")
      .select(PAPER_UPVOTES_SQL.as("upvotes"))
      .where(
        "p.arxiv_id",
        "in",
        ranked.map((r) => r.arxiv_id),
      )
      .execute();
    const byId = new Map(rows.map((r) => [r.arxiv_id, r]));
    return ranked.flatMap((r) => {
      const row = byId.get(r.arxiv_id);
      return row ? [toHit({ ...row, score: r.score }, query)] : [];
    });
  }
}

function toHit(row: Row, query: HighlightQuery): StoreSearchHit {
  const paper = rowToPaper(row);
  return {
    paper,
    score: Number(row.score),
    title: highlight(paper.title, query),
    snippet: snippet(paper.abstract, query),
    upvotes: Number(row.upvotes),
  };
}
