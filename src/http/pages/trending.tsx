import type { Context } from "hono";
import type { AppEnv } from "../env.ts";
import { feeds } from "../views/feeds.ts";
import { formatDay } from "../views/format.ts";
import { Pager, withQuery } from "../views/pager.tsx";
import { loadListExtras } from "./list-extras.tsx";
import { LIST_PER_PAGE, ListedCards } from "./listing.tsx";
import { parseQuery, trendingQuery } from "./params.ts";
import type { Site } from "./site.tsx";

/** Papers of the last days ranked by the trending score (formula on the about page). */
export async function trendingPage(site: Site, c: Context<AppEnv>): Promise<Response> {
  const query = parseQuery(trendingQuery, c.req.query());
  if (!query.ok) return site.problem(c, { status: 400, title: "Bad request", message: query.message });
  const { page } = query.value;
  const listing = await site.deps.store.listings.trending({
    now: site.deps.now(),
    page,
    perPage: LIST_PER_PAGE,
  });
  const { window, params } = listing;
  const extras = await loadListExtras(
    site,
    c,
    listing.items.map((i) => i.paper.id),
    listing.items.map((i) => i.entry),
  );
  return site.render(c, {
    title: "Trending papers",
    description:
      "Research papers readers are paying attention to now: upvotes, comments and new GitHub stars, weighed by age.",
    canonicalPath: withQuery("/trending", { page }, { page: 1 }),
    current: "trending",
    feeds: feeds.trending(),
    children: (
      <>
        <div class="bar">
          <h1>Trending</h1>
          <span class="muted small">
            Featured {formatDay(window.start)} – {formatDay(window.end)}. Papers rise with upvotes, comments
            and new GitHub stars, and sink as they get older (<a href="/about#trending">how</a>)
          </span>
        </div>
        {listing.items.length === 0 ? (
          <p class="notice">
            Nothing has been featured in the last {params.windowDays} days{page > 1 ? ` (page ${page})` : ""}.
            See the <a href="/">latest daily list</a>.
          </p>
        ) : (
          <ListedCards items={listing.items} extras={extras} showDay={true} />
        )}
        <Pager
          page={listing.page}
          perPage={listing.perPage}
          total={listing.total}
          href={(p) => withQuery("/trending", { page: p }, { page: 1 })}
        />
      </>
    ),
  });
}
