import type { Feed } from "./model.ts";
import { emptyElement, parentElement, textElement } from "./xml.ts";

/** RFC 3339 date-time in UTC, as Atom (RFC 4287 §3.3) requires. */
export function rfc3339(date: Date): string {
  return date.toISOString();
}

/** The feed as Atom 1.0 (RFC 4287): every entry has an id, title, updated, link and summary. */
export function renderAtom(feed: Feed): string {
  const entries = feed.items.map((item) =>
    parentElement("entry", [
      textElement("id", item.id),
      textElement("title", item.title, { type: "text" }),
      emptyElement("link", { rel: "alternate", type: "text/html", href: item.link }),
      ...item.related.map((r) =>
        emptyElement("link", { rel: "related", href: r.href, title: r.title, type: r.type }),
      ),
      textElement("published", rfc3339(item.published)),
      textElement("updated", rfc3339(item.updated)),
      ...item.authors.map((name) => parentElement("author", [textElement("name", name)])),
      ...item.categories.map((term) => emptyElement("category", { term })),
      textElement("summary", item.summary, { type: "text" }),
    ]),
  );
  return `<?xml version="1.0" encoding="UTF-8"?>\n${parentElement(
    "feed",
    [
      textElement("id", feed.id),
      textElement("title", feed.title, { type: "text" }),
      textElement("subtitle", feed.description, { type: "text" }),
      textElement("updated", rfc3339(feed.updated)),
      emptyElement("link", { rel: "self", type: "application/atom+xml", href: feed.selfUrl }),
      emptyElement("link", { rel: "alternate", type: "text/html", href: feed.pageUrl }),
      // A feed-level author covers entries of papers without listed authors (RFC 4287 §4.1.1).
      parentElement("author", [textElement("name", "Paperboy")]),
      textElement("generator", "Paperboy"),
      ...entries,
    ],
    { xmlns: "http://www.w3.org/2005/Atom" },
  )}\n`;
}
