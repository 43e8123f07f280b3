import type { Context } from "hono";
import { DEFAULT_QUERY_LIMITS } from "../../core/search-query.ts";
import { DEFAULT_TRENDING_PARAMS, type TrendingParams } from "../../core/trending.ts";
import { SORTED_CUT, SORTED_CUT_SHARE } from "../../search/service/index.ts";
import type { AppEnv } from "../env.ts";
import type { Site } from "./site.tsx";

/** What each trending parameter means, in the reader's terms (names match src/core/trending.ts). */
const PARAM_DOCS: Record<keyof TrendingParams, string> = {
  commentWeight: "how many upvotes one comment is worth",
  starWeight: "how many upvotes one newly gained GitHub star is worth",
  ageOffsetHours: "hours added to every paper's age, so the first hours do not dominate",
  gravity: "how fast age wears a score down (0 ignores age)",
  windowDays: "only papers featured in the last this-many days are candidates",
};

/** GET /about: what Paperboy is, where its data comes from and how every list is ranked. */
export async function aboutPage(site: Site, c: Context<AppEnv>): Promise<Response> {
  const p = DEFAULT_TRENDING_PARAMS;
  return site.render(c, {
    title: "About and ranking",
    description: "How Paperboy ranks papers: upvotes, the trending formula and its parameters, and search.",
    canonicalPath: "/about",
    current: "about",
    children: (
      <article>
        <h1>About Paperboy</h1>
        <p>
          Paperboy follows new research papers: the papers of each day, ranked by readers, searchable by words
          and by meaning, with feeds and a JSON API. Papers come from arXiv; daily lists, upvotes, comments,
          code links and one-line summaries from Hugging Face's daily papers; star counts from GitHub.
        </p>
        <h2 id="upvotes">Upvotes and comments</h2>
        <p>
          A paper's upvotes are the Hugging Face upvotes of its most upvoted day on a daily list, plus the
          votes of members here. Comments are counted the same way.
        </p>
        <h2 id="sorts">Sorts</h2>
        <ul>
          <li>
            <strong>Top</strong>: most upvotes first, then most comments.
          </li>
          <li>
            <strong>Trending</strong>: the score below, highest first.
          </li>
          <li>
            <strong>Newest</strong>: latest publication first.
          </li>
        </ul>
        <h2 id="trending">Trending</h2>
        <p>A paper's trending score is its attention divided by a power of its age:</p>
        <pre class="bib">
          score = (upvotes + commentWeight × comments + starWeight × starsGained) / (ageHours +
          ageOffsetHours)
          <sup>gravity</sup>
        </pre>
        <p>
          <em>starsGained</em> is the number of GitHub stars the paper's code gained during the window;{" "}
          <em>ageHours</em> counts from the start (00:00 UTC) of the first day the paper was on a daily list,
          or from its publication if it never was. With the defaults, a paper featured a day ago needs{" "}
          {Math.round(10 * ((24 + p.ageOffsetHours) / p.ageOffsetHours) ** p.gravity)} upvotes to match a
          paper featured this hour with 10.
        </p>
        <table class="params">
          <thead>
            <tr>
              <th>Parameter</th>
              <th>Value</th>
              <th>Meaning</th>
            </tr>
          </thead>
          <tbody>
            {(Object.keys(PARAM_DOCS) as (keyof TrendingParams)[]).map((name) => (
              <tr>
                <td>
                  <code>{name}</code>
                </td>
                <td>{p[name]}</td>
                <td>{PARAM_DOCS[name]}</td>
              </tr>
            ))}
          </tbody>
        </table>
        <h2 id="search">Search</h2>
        <p>
          Search combines keyword ranking (BM25 over titles, authors and abstracts) with search by meaning
          (vectors learned from this library's own papers). How much meaning counts depends on the query: a
          few words, as when looking for one paper, rank by the words (meaning only breaks ties), while a
          sentence-long question gives meaning up to half of the score, less when the library's vocabulary
          does not know its words. Words typed exactly as a paper writes them, and words kept together as in
          the query, count extra. Choose "Words only" or "Meaning only" on the search page to use one of them.
        </p>
        <p>
          Sorted by date or by upvotes, a search lists the papers that answer it and only those: papers with
          every word of the query (quoted phrases as phrases, excluded words absent), and, unless you chose
          "Words only", also the {SORTED_CUT} papers the relevance ranking puts first (one in{" "}
          {Math.round(1 / SORTED_CUT_SHARE)} of the library's papers while it holds fewer than{" "}
          {Math.round(SORTED_CUT / SORTED_CUT_SHARE).toLocaleString("en-US")}), which may say the same in
          other words. The count above the results is how many these are; filters narrow them as usual; papers
          with the same date or upvotes keep one order (newest, then by arXiv id), so turning pages never
          repeats or skips one.
        </p>
        <p>
          <code>author:Tomas Pfister</code> needs no quotes: the name runs to the next filter (such as{" "}
          <code>cat:</code> or <code>year:</code>) or the end of the query. Names match without regard to case
          or accents, and first names in full or as initials ("T. Pfister"; "Pfister" alone is any first
          name), but a first name never stands for a last name. A query that is just an author's name offers a
          link to their page.
        </p>
        <p>
          A word no paper uses is corrected to the closest word papers do use, counting a swap of two letters
          as one mistake; among corrections as close, the one found with the query's other words wins, then
          the commonest. A correction that would find fewer papers than the words as typed is never offered.
          Queries are read up to {DEFAULT_QUERY_LIMITS.maxChars.toLocaleString("en-US")} characters and{" "}
          {DEFAULT_QUERY_LIMITS.maxTerms} words; a longer one is shortened, with a note saying so.
        </p>
        <h2 id="feeds">Feeds and API</h2>
        <p>
          Every list has RSS and Atom feeds (see the links in each page's head, e.g.{" "}
          <a href="/feeds/daily.atom">the daily feed</a>). The JSON API follows the Hugging Face papers API;
          its description is at <a href="/api/openapi.json">/api/openapi.json</a>.
        </p>
      </article>
    ),
  });
}
