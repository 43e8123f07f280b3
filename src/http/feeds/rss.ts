import type { Feed } from "./model.ts";
import { emptyElement, htmlTextElement, parentElement, textElement } from "./xml.ts";

/** RFC 822 date-time (as RSS 2.0 requires), in GMT: `Wed, 02 Oct 2002 13:00:00 GMT`. */
export function rfc822(date: Date): string {
  return date.toUTCString();
}

/** The feed as RSS 2.0, with an `atom:link rel="self"` as the RSS Advisory Board recommends. */
export function renderRss(feed: Feed): string {
  const items = feed.items.map((item) =>
    parentElement("item", [
      textElement("title", item.title),
      textElement("link", item.link),
      htmlTextElement("description", item.summary),
      // RSS's <author> wants an e-mail address; Dublin Core's creator holds a plain name.
      ...item.authors.map((name) => textElement("dc:creator", name)),
      ...item.categories.map((category) => textElement("category", category)),
      textElement("guid", item.id, { isPermaLink: "true" }),
      textElement("pubDate", rfc822(item.published)),
    ]),
  );
  const channel = parentElement("channel", [
    textElement("title", feed.title),
    textElement("link", feed.pageUrl),
    htmlTextElement("description", feed.description),
    emptyElement("atom:link", { href: feed.selfUrl, rel: "self", type: "application/rss+xml" }),
    textElement("language", "en"),
    textElement("lastBuildDate", rfc822(feed.updated)),
    textElement("generator", "Paperboy"),
    textElement("docs", "https://www.rssboard.org/rss-specification"),
    textElement("ttl", "60"),
    ...items,
  ]);
  return `<?xml version="1.0" encoding="UTF-8"?>\n${parentElement("rss", [channel], {
    version: "2.0",
    "xmlns:atom": "http://www.w3.org/2005/Atom",
    "xmlns:dc": "http://purl.org/dc/elements/1.1/",
  })}\n`;
}
