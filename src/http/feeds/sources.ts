import type { Category, IsoDate, Paper } from "../../core/index.ts";
import type { AppDeps } from "../env.ts";
import type { Feed, FeedItem } from "./model.ts";

/** How many of the latest days with papers the daily feed spans, so a reader polling daily misses nothing. */
export const DAILY_FEED_DAYS = 3;
/** Items per feed at most. */
export const FEED_ITEMS = 50;

export type FeedWithoutSelf = Omit<Feed, "selfUrl">;

function siteUrl(deps: AppDeps, path: string): string {
  return `${deps.config.web.baseUrl.replace(/\/+$/, "")}${path}`;
}

function toItem(deps: AppDeps, paper: Paper, appeared: Date | null): FeedItem {
  const link = siteUrl(deps, `/papers/${paper.id}`);
  const published = appeared ?? new Date(paper.publishedAt ?? paper.firstSeenAt);
  const lastUpdated = new Date(paper.lastUpdatedAt);
  return {
    id: link,
    title: paper.title,
    link,
    summary: paper.abstract,
    authors: paper.authors,
    categories: paper.categories,
    published,
    // A paper featured after its last change was still "updated" no earlier than it appeared.
    updated: lastUpdated > published ? lastUpdated : published,
    related: [
      { href: paper.links.pdf, title: "PDF", type: "application/pdf" },
      ...(paper.links.code ? [{ href: paper.links.code, title: "Code" }] : []),
    ],
  };
}

function feedOf(
  deps: AppDeps,
  feedPath: string,
  pagePath: string,
  title: string,
  description: string,
  items: FeedItem[],
): FeedWithoutSelf {
  const newest = items.reduce<Date | null>((max, i) => (!max || i.updated > max ? i.updated : max), null);
  return {
    id: siteUrl(deps, feedPath),
    title,
    description,
    pageUrl: siteUrl(deps, pagePath),
    updated: newest ?? deps.now(),
    items,
  };
}

const dayStart = (date: IsoDate) => new Date(`${date}T00:00:00Z`);

/** The latest days' lists, each best first; an item's date is the day it was featured. */
export async function dailyFeed(deps: AppDeps): Promise<FeedWithoutSelf> {
  const days = await deps.store.listings.days({ limit: DAILY_FEED_DAYS });
  const items: FeedItem[] = [];
  for (const { date } of days) {
    if (items.length >= FEED_ITEMS) break;
    const list = await deps.store.listings.period(
      { kind: "day", date },
      { perPage: FEED_ITEMS - items.length, now: deps.now() },
    );
    for (const item of list.items) items.push(toItem(deps, item.paper, dayStart(date)));
  }
  return feedOf(
    deps,
    "/feeds/daily",
    "/",
    "Paperboy: daily papers",
    "The papers of the latest days, by upvotes.",
    items,
  );
}

export async function trendingFeed(deps: AppDeps): Promise<FeedWithoutSelf> {
  const list = await deps.store.listings.trending({ perPage: FEED_ITEMS, now: deps.now() });
  const items = list.items.map((i) =>
    toItem(deps, i.paper, i.featuredOn[0] ? dayStart(i.featuredOn[0]) : null),
  );
  return feedOf(
    deps,
    "/feeds/trending",
    "/trending",
    "Paperboy: trending papers",
    "Papers readers pay attention to now (upvotes, comments and GitHub stars, decayed by age).",
    items,
  );
}

/**
 * Newest papers matching a search, so a saved search becomes a feed of new matches. The words as typed: a feed
 * reader subscribed to a query gets that query's papers, never a spelling correction's.
 */
export async function searchFeed(deps: AppDeps, q: string): Promise<FeedWithoutSelf> {
  const results = await deps.search.search({ q, sort: "date", perPage: FEED_ITEMS, spelling: "off" });
  const query = `?q=${encodeURIComponent(q)}`;
  return feedOf(
    deps,
    `/feeds/search${query}`,
    `/search${query}`,
    `Paperboy: search "${q}"`,
    `New papers matching "${q}".`,
    results.hits.map((h) => toItem(deps, h.paper, null)),
  );
}

export async function categoryFeed(deps: AppDeps, category: Category): Promise<FeedWithoutSelf> {
  const list = await deps.store.listings.byCategory(category, { perPage: FEED_ITEMS, now: deps.now() });
  const path = encodeURIComponent(category);
  return feedOf(
    deps,
    `/feeds/category/${path}`,
    `/categories/${path}`,
    `Paperboy: ${category}`,
    `New papers in ${category}.`,
    list.items.map((i) => toItem(deps, i.paper, null)),
  );
}

export async function authorFeed(deps: AppDeps, name: string): Promise<FeedWithoutSelf> {
  const list = await deps.store.listings.byAuthor(name, { perPage: FEED_ITEMS, now: deps.now() });
  const path = encodeURIComponent(name);
  return feedOf(
    deps,
    `/feeds/author/${path}`,
    `/authors/${path}`,
    `Paperboy: papers by ${name}`,
    `New papers by ${name}.`,
    list.items.map((i) => toItem(deps, i.paper, null)),
  );
}
