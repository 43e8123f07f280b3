import type { FeedLink } from "./layout.tsx";

/**
 * The RSS and Atom feeds a page offers, as the feed routes (src/http/feeds/) serve them. One place, so the
 * pages never disagree with the feed URLs.
 */
function both(title: string, path: string, query = ""): FeedLink[] {
  return [
    { title: `${title} (Atom)`, href: `${path}.atom${query}`, format: "atom" },
    { title: `${title} (RSS)`, href: `${path}.rss${query}`, format: "rss" },
  ];
}

export const feeds = {
  daily: () => both("Daily papers", "/feeds/daily"),
  trending: () => both("Trending papers", "/feeds/trending"),
  search: (q: string) => both(`Search: ${q}`, "/feeds/search", `?q=${encodeURIComponent(q)}`),
  category: (category: string) =>
    both(`Papers in ${category}`, `/feeds/category/${encodeURIComponent(category)}`),
  author: (name: string) => both(`Papers by ${name}`, `/feeds/author/${encodeURIComponent(name)}`),
};
