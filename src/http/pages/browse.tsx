import type { Context } from "hono";
import type { Follow } from "../../core/digest.ts";
import { describeError, parseCategory } from "../../core/index.ts";
import type { Listing, ListingSort } from "../../store/listings/index.ts";
import { FollowButton, followButton } from "../digests/follow-button.tsx";
import type { AppEnv } from "../env.ts";
import { feeds } from "../views/feeds.ts";
import type { FeedLink } from "../views/layout.tsx";
import { Pager, Tabs, withQuery } from "../views/pager.tsx";
import { loadListExtras } from "./list-extras.tsx";
import { LIST_PER_PAGE, ListedCards } from "./listing.tsx";
import { browseQuery, parseQuery } from "./params.ts";
import type { Site } from "./site.tsx";

/** Longest author name accepted in a URL; real names are far shorter. */
const MAX_AUTHOR_CHARS = 200;

export function authorPath(name: string): string {
  return `/authors/${encodeURIComponent(name)}`;
}

export function categoryPath(category: string): string {
  return `/categories/${encodeURIComponent(category)}`;
}

const SORT_LABELS: Record<ListingSort, string> = { newest: "Newest", top: "Top", trending: "Trending" };

interface BrowseView {
  title: string;
  description: string;
  path: string;
  feeds: FeedLink[];
  empty: string;
  /** What the page's Follow button follows. */
  follow: Follow;
}

async function browsePage(
  site: Site,
  c: Context<AppEnv>,
  view: BrowseView,
  load: (sort: ListingSort, page: number) => Promise<Listing>,
): Promise<Response> {
  const query = parseQuery(browseQuery, c.req.query());
  if (!query.ok) return site.problem(c, { status: 400, title: "Bad request", message: query.message });
  const { sort, page } = query.value;
  const [listing, follow] = await Promise.all([
    load(sort, page),
    followButton(site.deps.store, c, view.follow),
  ]);
  const extras = await loadListExtras(
    site,
    c,
    listing.items.map((i) => i.paper.id),
    listing.items.map((i) => i.entry),
  );
  const link = (p: { sort?: ListingSort; page?: number }) =>
    withQuery(view.path, { sort: p.sort ?? sort, page: p.page ?? 1 }, { sort: "newest", page: 1 });
  return site.render(c, {
    title: view.title,
    description: view.description,
    canonicalPath: link({ page }),
    feeds: view.feeds,
    children: (
      <>
        <div class="bar">
          <h1>{view.title}</h1>
          <FollowButton {...follow} />
          <Tabs
            label="Sort"
            items={(["newest", "top", "trending"] as const).map((s) => ({
              label: SORT_LABELS[s],
              href: link({ sort: s }),
              current: s === sort,
            }))}
          />
        </div>
        <p class="muted small">
          {listing.total} {listing.total === 1 ? "paper" : "papers"}
        </p>
        {listing.items.length === 0 ? (
          <p class="notice">{page > 1 ? `There is no page ${page}.` : view.empty}</p>
        ) : (
          <ListedCards items={listing.items} extras={extras} showDay={true} />
        )}
        <Pager
          page={listing.page}
          perPage={listing.perPage}
          total={listing.total}
          href={(p) => link({ page: p })}
        />
      </>
    ),
  });
}

/** GET /authors/<name>: the author's papers (names matched without case or accents). */
export async function authorPage(site: Site, c: Context<AppEnv>): Promise<Response> {
  // Hono has already percent-decoded the parameter.
  const name = (c.req.param("name") ?? "").trim();
  if (name === "" || name.length > MAX_AUTHOR_CHARS) {
    return site.problem(c, {
      status: 404,
      title: "No such author",
      message: `Author pages are at /authors/<name>, with a name of 1 to ${MAX_AUTHOR_CHARS} characters.`,
    });
  }
  return browsePage(
    site,
    c,
    {
      title: `Papers by ${name}`,
      description: `Research papers by ${name}.`,
      path: authorPath(name),
      feeds: feeds.author(name),
      follow: { kind: "author", value: name },
      empty: `No papers by ${name} in this library. Names are matched in full, without case or accents; try a search instead.`,
    },
    (sort, page) => site.deps.store.listings.byAuthor(name, { sort, page, perPage: LIST_PER_PAGE }),
  );
}

/** GET /categories/<category>: papers in an arXiv category, primary or cross-listed. */
export async function categoryPage(site: Site, c: Context<AppEnv>): Promise<Response> {
  const raw = c.req.param("category") ?? "";
  let category: ReturnType<typeof parseCategory>;
  try {
    category = parseCategory(raw);
  } catch (error) {
    return site.problem(c, { status: 404, title: "No such category", message: describeError(error) });
  }
  return browsePage(
    site,
    c,
    {
      title: `Papers in ${category}`,
      description: `Research papers in the arXiv category ${category}.`,
      path: categoryPath(category),
      feeds: feeds.category(category),
      empty: `No papers in ${category} in this library yet.`,
      follow: { kind: "category", value: category },
    },
    (sort, page) => site.deps.store.listings.byCategory(category, { sort, page, perPage: LIST_PER_PAGE }),
  );
}
