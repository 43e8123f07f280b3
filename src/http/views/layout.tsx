import type { Child } from "hono/jsx";
import type { SessionUser } from "../env.ts";
import { assetUrl } from "../static/assets.ts";

/** An RSS or Atom feed a page offers (`<link rel="alternate">`). */
export interface FeedLink {
  title: string;
  /** Path on this site, e.g. `/feeds/daily.atom`. */
  href: string;
  format: "rss" | "atom";
}

export type NavItem = "daily" | "trending" | "search" | "submit" | "library" | "for-you" | "digest" | "about";

export interface LayoutProps {
  /** The page's own title; the site name is appended. */
  title: string;
  /** For search engines and link previews; plain text. */
  description?: string;
  /** Absolute URL of the page's canonical address. */
  canonical?: string;
  feeds?: readonly FeedLink[];
  user: SessionUser | null;
  /** The session's CSRF token (for the sign-out form). */
  csrf: string;
  /** Prefills the header's search box. */
  query?: string;
  /** Marks the current section in the header. */
  current?: NavItem;
  /** Keeps the page out of search engines (errors, personal pages). */
  noindex?: boolean;
  children?: Child;
}

const FEED_TYPES = { rss: "application/rss+xml", atom: "application/atom+xml" } as const;

function NavLink(props: { href: string; item: NavItem; current: NavItem | undefined; children: Child }) {
  return (
    <a href={props.href} aria-current={props.item === props.current ? "page" : undefined}>
      {props.children}
    </a>
  );
}

/** The page's feeds as visible links (a browser opening one gets a preview that says how to subscribe). */
function FeedLinks(props: { feeds: readonly FeedLink[] }) {
  if (props.feeds.length === 0) return null;
  return (
    <p class="feeds">
      <span aria-hidden="true" class="feed-icon" />
      Follow this list in a feed reader:{" "}
      {props.feeds.map((feed, i) => (
        <>
          {i > 0 ? " · " : ""}
          <a href={feed.href} type={FEED_TYPES[feed.format]}>
            {feed.format === "atom" ? "Atom" : "RSS"}
          </a>
        </>
      ))}
    </p>
  );
}

/** The frame of every page: head, header with navigation and search, main, footer. */
export function Layout(props: LayoutProps) {
  const { user, current } = props;
  const fullTitle = props.title ? `${props.title} · Paperboy` : "Paperboy";
  return (
    <html lang="en">
      <head>
        <meta charset="utf-8" />
        <meta name="viewport" content="width=device-width, initial-scale=1" />
        <title>{fullTitle}</title>
        {props.description ? <meta name="description" content={props.description} /> : null}
        {props.canonical ? <link rel="canonical" href={props.canonical} /> : null}
        {props.noindex ? <meta name="robots" content="noindex" /> : null}
        {(props.feeds ?? []).map((feed) => (
          <link rel="alternate" type={FEED_TYPES[feed.format]} title={feed.title} href={feed.href} />
        ))}
        <link rel="icon" href={assetUrl("favicon.svg")} type="image/svg+xml" />
        <link rel="stylesheet" href={assetUrl("style.css")} />
        <script src={assetUrl("app.js")} defer />
      </head>
      <body>
        <a class="skip" href="#main">
          Skip to content
        </a>
        <header class="top">
          <div class="wrap">
            <a class="brand" href="/">
              Paperboy
            </a>
            <nav class="nav" aria-label="Main">
              <NavLink href="/" item="daily" current={current}>
                Daily
              </NavLink>
              <NavLink href="/trending" item="trending" current={current}>
                Trending
              </NavLink>
              <NavLink href="/submit" item="submit" current={current}>
                Submit
              </NavLink>
              <NavLink
                href={user ? "/settings/digests" : "/digests/subscribe"}
                item="digest"
                current={current}
              >
                Get the digest
              </NavLink>
              {/* Phones have no room for the search box in the header: a link to the search page instead. */}
              <a class="narrow-only" href="/search" aria-current={current === "search" ? "page" : undefined}>
                Search
              </a>
              {user ? (
                <>
                  <NavLink href="/for-you" item="for-you" current={current}>
                    For you
                  </NavLink>
                  <NavLink href="/library" item="library" current={current}>
                    Library
                  </NavLink>
                  <a href="/settings">{user.name || user.email}</a>
                  <form method="post" action="/signout">
                    <input type="hidden" name="_csrf" value={props.csrf} />
                    <button type="submit">Sign out</button>
                  </form>
                </>
              ) : (
                <a href="/signin">Sign in</a>
              )}
            </nav>
            {/* The search page has its own box, with the filters; one is enough. */}
            {current === "search" ? null : (
              <form class="search" method="get" action="/search">
                <input
                  type="search"
                  name="q"
                  value={props.query ?? ""}
                  placeholder="Search papers"
                  aria-label="Search papers"
                  maxlength={500}
                />
              </form>
            )}
          </div>
        </header>
        <main id="main" class="wrap">
          {props.children}
          <FeedLinks feeds={props.feeds ?? []} />
        </main>
        <footer>
          <div class="wrap">
            <a href="/digests/subscribe">Trending papers in your inbox</a> ·{" "}
            <a href="/about">About and ranking</a> · <a href="/feeds/daily.atom">Daily feed</a> ·{" "}
            <a href="/api/openapi.json">API</a>
          </div>
        </footer>
      </body>
    </html>
  );
}
