import type { Context } from "hono";
import { describeError, parseCategory, parseIsoDate } from "../../core/index.ts";
import { DEFAULT_QUERY_LIMITS } from "../../core/search-query.ts";
import type { PaperResults } from "../../search/service/index.ts";
import type { SearchFilters } from "../../store/search/index.ts";
import { FollowButton, followButton } from "../digests/follow-button.tsx";
import type { AppEnv } from "../env.ts";
import { feeds } from "../views/feeds.ts";
import { Pager, withQuery } from "../views/pager.tsx";
import { PaperCard } from "../views/paper-card.tsx";
import { authorPath } from "./browse.tsx";
import { loadListExtras } from "./list-extras.tsx";
import { parseQuery, SEARCH_MODES, SEARCH_SORTS, type SearchQuery, searchQuery } from "./params.ts";
import type { Site } from "./site.tsx";

const PER_PAGE = 20;

const MODE_LABELS = { hybrid: "Words and meaning", keyword: "Words only", vector: "Meaning only" } as const;
const SORT_LABELS = { relevance: "Relevance", date: "Newest", upvotes: "Upvotes" } as const;
const SORTED_BY = { date: "newest first", upvotes: "most upvoted first" } as const;

/** The form's filters as the search service takes them; a bad category or date is a reader's mistake (400). */
function filtersOf(query: SearchQuery): SearchFilters | string {
  const filters: SearchFilters = {};
  try {
    if (query.cat) filters.categories = [parseCategory(query.cat)];
    if (query.author) filters.authors = [query.author];
    if (query.since) filters.since = parseIsoDate(query.since);
    if (query.until) filters.until = parseIsoDate(query.until);
  } catch (error) {
    return describeError(error);
  }
  return filters;
}

function hasFilters(query: SearchQuery): boolean {
  return Boolean(query.cat || query.author || query.since || query.until);
}

/** Link to this search with some fields changed. */
function searchLink(query: SearchQuery, change: Partial<Record<keyof SearchQuery, string | number>>): string {
  const merged = { ...query, page: 1, ...change };
  return withQuery(
    "/search",
    {
      q: merged.q,
      mode: merged.mode,
      sort: merged.sort,
      cat: merged.cat,
      author: merged.author,
      since: merged.since,
      until: merged.until,
      page: merged.page,
      as_typed: merged.as_typed,
    },
    { sort: "relevance", page: 1 },
  );
}

/** The search box, with the filters folded behind a button (open when one is set); works without script. */
function SearchForm(props: { query: SearchQuery }) {
  const { query } = props;
  const open = hasFilters(query) || query.mode !== undefined || query.sort !== "relevance";
  return (
    <form method="get" action="/search" class="search-form">
      {/* A reader who chose the words as typed keeps them so when changing the sort or a filter. */}
      {query.as_typed ? <input type="hidden" name="as_typed" value="1" /> : null}
      <div class="search-row">
        <input
          type="search"
          name="q"
          value={query.q}
          maxlength={DEFAULT_QUERY_LIMITS.maxChars}
          aria-label="Search papers"
          placeholder="Search papers"
        />
        <button class="btn" type="submit">
          Search
        </button>
      </div>
      <details class="more" open={open}>
        <summary>Filters and sort</summary>
        <div class="filters">
          <label>
            Match
            <select name="mode">
              <option value="">Default</option>
              {SEARCH_MODES.map((m) => (
                <option value={m} selected={query.mode === m}>
                  {MODE_LABELS[m]}
                </option>
              ))}
            </select>
          </label>
          <label>
            Sort
            <select name="sort">
              {SEARCH_SORTS.map((s) => (
                <option value={s} selected={query.sort === s}>
                  {SORT_LABELS[s]}
                </option>
              ))}
            </select>
          </label>
          <label>
            Category
            <input name="cat" value={query.cat ?? ""} placeholder="cs.LG" size={8} maxlength={40} />
          </label>
          <label>
            Author
            <input name="author" value={query.author ?? ""} size={14} maxlength={200} />
          </label>
          <label>
            Since
            <input type="date" name="since" value={query.since ?? ""} />
          </label>
          <label>
            Until
            <input type="date" name="until" value={query.until ?? ""} />
          </label>
        </div>
      </details>
    </form>
  );
}

function Tips() {
  return (
    <section class="notice">
      <h2>Search tips</h2>
      <ul>
        <li>Describe what you are after in your own words: search matches meaning as well as words.</li>
        <li>
          <code>"exact phrase"</code> keeps words together.
        </li>
        <li>
          Filters in the query: <code>author:"Yann LeCun"</code> (or <code>author:Yann LeCun</code>, which
          takes the name up to the next filter; initials and accents are optional), <code>cat:cs.CL</code>,{" "}
          <code>since:2024-05-01</code>, <code>until:2024-06-30</code>, <code>year:2023</code>.
        </li>
        <li>
          Example:{" "}
          <a href="/search?q=test-time+adaptation+under+label+shift">
            test-time adaptation under label shift
          </a>
        </li>
      </ul>
    </section>
  );
}

function NoResults(props: { query: SearchQuery; results: PaperResults }) {
  const { query } = props;
  return (
    <section class="notice">
      <h2>No papers match</h2>
      <ul>
        {hasFilters(query) ? (
          <li>
            <a href={searchLink(query, { cat: "", author: "", since: "", until: "" })}>
              Search without the filters
            </a>
          </li>
        ) : null}
        {props.results.mode !== "hybrid" && query.q ? (
          <li>
            <a href={searchLink(query, { mode: "hybrid" })}>Search by meaning as well as words</a>
          </li>
        ) : null}
        <li>Use fewer or more general words, or check the spelling.</li>
        <li>The paper may not be in this library yet: members can submit it by its arXiv id.</li>
      </ul>
    </section>
  );
}

/**
 * How many papers answer, and which: sorted by date or upvotes, those with all the words (and in the modes by
 * meaning the closest by relevance), as `/about#search` explains.
 */
function ResultCount(props: { results: PaperResults; sort: SearchQuery["sort"] }) {
  const { results, sort } = props;
  const papers = `${results.total} ${results.total === 1 ? "paper" : "papers"}`;
  if (sort !== "relevance") {
    return (
      <>
        {papers}{" "}
        {results.mode === "keyword" ? "with all the words" : "with all the words or closest in meaning"}
        {", "}
        {SORTED_BY[sort]} (<a href="/about#search">which papers?</a>)
      </>
    );
  }
  if (results.mode === "keyword") {
    return <>{`${results.total} ${results.total === 1 ? "paper matches" : "papers match"}`}</>;
  }
  if (results.total === 1) return <>One paper found</>;
  return <>{`${results.total} best matches, most relevant first`}</>;
}

/** GET /search?q=&mode=&sort=&cat=&author=&since=&until=&page= */
export async function searchPage(site: Site, c: Context<AppEnv>): Promise<Response> {
  const parsed = parseQuery(searchQuery, c.req.query());
  if (!parsed.ok) return site.problem(c, { status: 400, title: "Bad search", message: parsed.message });
  const query = parsed.value;
  const filters = filtersOf(query);
  if (typeof filters === "string") {
    return site.problem(c, { status: 400, title: "Bad search", message: filters });
  }
  const base = (q: string) => ({
    title: q ? `Search: ${q}` : "Search",
    description: "Search research papers by words and by meaning.",
    current: "search" as const,
    query: q,
  });
  if (!query.q && !hasFilters(query) && query.sort === "relevance") {
    return site.render(c, {
      ...base(query.q),
      canonicalPath: "/search",
      children: (
        <>
          <h1>Search</h1>
          <SearchForm query={query} />
          <Tips />
        </>
      ),
    });
  }
  const { search, store } = site.deps;
  const results = await search.search({
    q: query.q,
    ...(query.mode ? { mode: query.mode } : {}),
    sort: query.sort,
    filters,
    page: query.page,
    perPage: PER_PAGE,
    spelling: query.as_typed === "1" ? "suggest" : "correct",
  });
  // When the results are the suggestion's (a word of the query is in no paper), the page is the corrected search's:
  // title, search boxes, pager, feed. A reader who refines the query or turns the page then goes on from words
  // that find papers, not from the typo; the message over the results still shows what was typed.
  const shown =
    results.correctedFrom !== null && results.suggestion !== null
      ? { ...query, q: results.suggestion }
      : query;
  const ids = results.hits.map((h) => h.paper.id);
  // "Alert me" saves the words with the category and author filters, in the query language a digest reads.
  const alertText = [
    shown.q,
    shown.cat ? `cat:${shown.cat}` : "",
    shown.author ? `author:"${shown.author.replace(/"/g, "")}"` : "",
  ]
    .filter(Boolean)
    .join(" ")
    .trim();
  const [activity, alert] = await Promise.all([
    store.listings.activity(ids),
    alertText && alertText.length <= 200
      ? followButton(store, c, { kind: "search", value: alertText })
      : null,
  ]);
  const extras = await loadListExtras(
    site,
    c,
    ids,
    ids.map((id) => activity.get(id)?.entry),
  );
  return site.render(c, {
    ...base(shown.q),
    canonicalPath: searchLink(shown, { page: query.page }),
    noindex: true,
    feeds: shown.q ? feeds.search(shown.q) : [],
    children: (
      <>
        <div class="bar">
          <h1>{shown.q ? `Results for “${shown.q}”` : "Papers"}</h1>
          {alert ? <FollowButton {...alert} /> : null}
        </div>
        <SearchForm query={shown} />
        {results.notes.map((note) => (
          <p class="muted small">{note}</p>
        ))}
        {results.author !== null ? (
          <p class="suggestion">
            <a href={authorPath(results.author.name)}>Papers by {results.author.name} →</a>{" "}
            <span class="muted small">
              ({results.author.papers} {results.author.papers === 1 ? "paper" : "papers"})
            </span>
          </p>
        ) : null}
        {results.correctedFrom !== null && results.typedHasResults ? (
          <p class="suggestion">
            Showing results for “<a href={searchLink(shown, {})}>{shown.q}</a>”. Search instead for “
            <a href={searchLink(query, { as_typed: "1" })}>{results.correctedFrom}</a>”.
          </p>
        ) : results.correctedFrom !== null ? (
          <p class="suggestion">
            No papers match “{results.correctedFrom}”. Showing results for “
            <a href={searchLink(shown, {})}>{shown.q}</a>”.
          </p>
        ) : results.suggestion !== null ? (
          <p class="suggestion">
            Did you mean{" "}
            <a href={searchLink(query, { q: results.suggestion, as_typed: "" })}>{results.suggestion}</a>?
          </p>
        ) : null}
        {results.problem ? (
          <p class="notice">{results.problem}</p>
        ) : results.hits.length === 0 ? (
          query.page > 1 ? (
            <p class="notice">
              There is no page {query.page} of results.{" "}
              <a href={searchLink(query, {})}>Back to the first page</a>.
            </p>
          ) : (
            <NoResults query={query} results={results} />
          )
        ) : (
          <>
            <p class="muted small">
              <ResultCount results={results} sort={query.sort} /> · {MODE_LABELS[results.mode]}
            </p>
            <ol class="cards">
              {results.hits
                .filter((hit) => !extras.hidden.has(hit.paper.id))
                .map((hit) => {
                  const seen = activity.get(hit.paper.id);
                  return (
                    <PaperCard
                      paper={hit.paper}
                      upvotes={hit.upvotes}
                      comments={seen?.numComments ?? 0}
                      submitter={seen?.entry?.submitter ?? null}
                      organization={seen?.entry?.organization ?? null}
                      pictures={extras.pictures(seen?.entry)}
                      day={hit.paper.publishedAt}
                      highlight={{ title: hit.title, snippet: hit.snippet }}
                      vote={extras.vote(hit.paper.id, hit.upvotes)}
                    />
                  );
                })}
            </ol>
          </>
        )}
        <Pager
          page={results.page}
          perPage={results.perPage}
          total={results.total}
          href={(p) => searchLink(shown, { page: p })}
        />
      </>
    ),
  });
}
