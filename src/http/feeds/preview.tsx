import type { Context } from "hono";
import type { AppEnv } from "../env.ts";
import { formatDay, truncate } from "../views/format.ts";
import { renderPage } from "../views/page.tsx";
import type { Feed, FeedFormat } from "./model.ts";

/**
 * Whether a request for a feed should get the HTML preview: `?view=html` asks for it, `?view=xml` for the feed
 * itself; otherwise a browser (whose Accept header starts with text/html and names no feed type) gets the
 * preview, and feed readers the XML.
 */
export function wantsPreview(c: Context<AppEnv>): boolean {
  const view = c.req.query("view");
  if (view !== undefined) return view !== "xml";
  const accept = (c.req.header("accept") ?? "").toLowerCase();
  return accept.trimStart().startsWith("text/html") && !/rss|atom/.test(accept);
}

/** A readable page for a feed opened in a browser: what it is, how to subscribe, and its newest items. */
export function renderPreview(
  c: Context<AppEnv>,
  baseUrl: string,
  feed: Feed,
  format: FeedFormat,
  selfPath: string,
): Promise<Response> {
  const other: FeedFormat = format === "rss" ? "atom" : "rss";
  const otherPath = selfPath.replace(`.${format}`, `.${other}`);
  const xmlPath = `${selfPath}${selfPath.includes("?") ? "&" : "?"}view=xml`;
  return renderPage(c, baseUrl, {
    title: `Feed: ${feed.title}`,
    description: feed.description,
    noindex: true,
    children: (
      <>
        <h1>{feed.title}</h1>
        <section class="notice">
          <h2>This is a feed</h2>
          <p>
            Copy its address into a feed reader (such as Thunderbird, NetNewsWire, Feedly or Miniflux) to get
            new papers as they arrive:
          </p>
          <p>
            <input class="feed-url" type="url" readonly value={feed.selfUrl} aria-label="Feed address" />
          </p>
          <p class="small">
            {format === "rss" ? "RSS 2.0" : "Atom"} · also as{" "}
            <a href={otherPath}>{other === "rss" ? "RSS 2.0" : "Atom"}</a> · <a href={xmlPath}>the raw XML</a>{" "}
            · the same list <a href={feed.pageUrl}>as a page</a>
          </p>
        </section>
        <h2>Newest in this feed</h2>
        {feed.items.length === 0 ? (
          <p class="muted">Nothing yet.</p>
        ) : (
          <ol class="feed-items">
            {feed.items.map((item) => (
              <li>
                <a href={item.link}>{item.title}</a>
                <div class="muted small">
                  {item.authors.slice(0, 3).join(", ")}
                  {item.authors.length > 3 ? ` +${item.authors.length - 3} more` : ""} ·{" "}
                  {formatDay(item.published.toISOString())}
                </div>
                <p class="small">{truncate(item.summary, 240)}</p>
              </li>
            ))}
          </ol>
        )}
      </>
    ),
  });
}
