import type { Context } from "hono";
import { isPaperboyError } from "../../core/index.ts";
import { readFillStatus } from "../../jobs/fill-status.ts";
import type { ListedPaper, PeriodKind, PeriodListing } from "../../store/listings/index.ts";
import { parsePeriodKey } from "../../store/listings/index.ts";
import { keyOf } from "../../store/listings/periods.ts";
import type { AppEnv } from "../env.ts";
import { EmptyStore, NoDailyLists } from "../views/empty-store.tsx";
import { feeds } from "../views/feeds.ts";
import { FillNotice } from "../views/fill-status.tsx";
import { formatDay, formatMonth, formatWeek } from "../views/format.ts";
import { Pager, Tabs, withQuery } from "../views/pager.tsx";
import { PaperCard } from "../views/paper-card.tsx";
import { type ListExtras, loadListExtras } from "./list-extras.tsx";
import { listingQuery, parseQuery } from "./params.ts";
import type { Site } from "./site.tsx";

/**
 * Papers per list page: with thumbnails and avatars, 40 cards keep a page within its 60 KB budget of HTML
 * (before compression); the few busier days go on to a second page.
 */
export const LIST_PER_PAGE = 40;

const SORT_LABELS = { top: "Top", trending: "Trending", newest: "Newest" } as const;

/** `/day/2024-05-27`, `/week/2024-W22`, `/month/2024-05`. */
export function periodPath(kind: PeriodKind, key: string): string {
  return `/${kind}/${key}`;
}

function periodTitle(kind: PeriodKind, key: string): string {
  if (kind === "week") return formatWeek(key);
  if (kind === "month") return formatMonth(key);
  return formatDay(key);
}

const PICKERS = {
  day: { type: "date", name: "date", label: "Go to day" },
  week: { type: "week", name: "week", label: "Go to week" },
  month: { type: "month", name: "month", label: "Go to month" },
} as const;

/** Jumps to another day, week or month: the browser's own picker for the period shown. */
function PeriodPicker(props: { kind: PeriodKind; value: string }) {
  const picker = PICKERS[props.kind];
  return (
    <form method="get" action={`/${props.kind}`} class="tabs">
      <input type={picker.type} name={picker.name} value={props.value} aria-label={picker.label} />
      <button type="submit">Go</button>
    </form>
  );
}

/** A list's cards, without papers an admin hid; members get vote buttons. */
export function ListedCards(props: { items: readonly ListedPaper[]; extras: ListExtras; showDay: boolean }) {
  const { extras } = props;
  return (
    <ol class="cards">
      {props.items
        .filter((item) => !extras.hidden.has(item.paper.id))
        .map((item) => (
          <PaperCard
            paper={item.paper}
            upvotes={item.upvotes}
            comments={item.numComments}
            submitter={item.entry?.submitter ?? null}
            organization={item.entry?.organization ?? null}
            pictures={extras.pictures(item.entry)}
            day={props.showDay ? (item.entry?.date ?? null) : null}
            vote={extras.vote(item.paper.id, item.upvotes)}
          />
        ))}
    </ol>
  );
}

/** The home page and the day, week and month pages: one period's papers, sorted, with neighbours. */
export async function periodPage(
  site: Site,
  c: Context<AppEnv>,
  kind: PeriodKind,
  key: string | null,
): Promise<Response> {
  const query = parseQuery(listingQuery, c.req.query());
  if (!query.ok) return site.problem(c, { status: 400, title: "Bad request", message: query.message });
  const { sort, page } = query.value;
  const { store } = site.deps;
  let listing: PeriodListing;
  try {
    const period = key === null ? null : parsePeriodKey(kind, key);
    listing = await store.listings.period(period, { sort, page, perPage: LIST_PER_PAGE });
  } catch (error) {
    if (isPaperboyError(error) && error.code === "invalid_date") {
      return site.problem(c, { status: 404, title: "No such date", message: error.message });
    }
    throw error;
  }
  const isHome = key === null;
  const now = site.deps.now();
  const fill = isHome ? await readFillStatus(store, now, site.deps.config.worker.schedules) : null;
  // While the store fills, the home page reloads itself as days land.
  if (fill && (fill.backfilling || (listing.total === 0 && fill.activities.length > 0)))
    c.header("Refresh", "10");
  const notice = fill ? <FillNotice status={fill} now={now} /> : null;
  if (isHome && listing.total === 0 && (await store.listings.latestDay()) === null) {
    const papers = (await store.stats()).papers;
    return site.render(c, {
      title: papers === 0 ? "Welcome" : "No daily lists yet",
      description: "Paperboy: follow new research papers.",
      canonicalPath: "/",
      current: "daily",
      children: (
        <>
          {notice}
          {papers === 0 ? <EmptyStore /> : <NoDailyLists papers={papers} />}
        </>
      ),
    });
  }

  const { range } = listing;
  const extras = await loadListExtras(
    site,
    c,
    listing.items.map((i) => i.paper.id),
    listing.items.map((i) => i.entry),
  );
  const path = isHome ? "/" : periodPath(range.kind, range.key);
  const title = isHome
    ? `Daily papers, ${formatDay(range.key)}`
    : `Papers of ${periodTitle(range.kind, range.key)}`;
  const link = (p: { sort?: string; page?: number }) =>
    withQuery(path, { sort: p.sort ?? sort, page: p.page ?? 1 }, { sort: "top", page: 1 });
  const anchorDay = range.end;
  // "← Previous day" and "Next day →"; phones drop the period's name to keep one line.
  const nav = (to: string | null, word: string, kind: string, rel: "prev" | "next") => {
    const label = (
      <>
        {word}
        <span class="wide-only"> {kind}</span>
        {rel === "next" ? " →" : ""}
      </>
    );
    return to ? (
      <a href={withQuery(periodPath(range.kind, to), { sort }, { sort: "top" })} rel={rel}>
        {label}
      </a>
    ) : (
      <span aria-disabled="true">{label}</span>
    );
  };

  return site.render(c, {
    title,
    description: `The ${listing.total} research papers featured on ${periodTitle(range.kind, range.key)}, ranked by ${SORT_LABELS[sort].toLowerCase()}.`,
    canonicalPath: link({ page }),
    current: "daily",
    feeds: feeds.daily(),
    children: (
      <>
        {notice}
        <div class="bar">
          <h1>{title}</h1>
          <Tabs
            label="Period"
            items={(["day", "week", "month"] as const).map((k) => ({
              label: k[0]?.toUpperCase() + k.slice(1),
              href: periodPath(k, keyOf(k, anchorDay)),
              // The home page is the latest day: "Day" is where the reader is.
              current: k === range.kind,
            }))}
          />
        </div>
        <div class="bar">
          <nav class="tabs" aria-label={`Previous and next ${range.kind}`}>
            {nav(listing.previous, "← Previous", range.kind, "prev")}
            {nav(listing.next, "Next", range.kind, "next")}
          </nav>
          <PeriodPicker kind={range.kind} value={range.key} />
          <Tabs
            label="Sort"
            items={(["top", "trending", "newest"] as const).map((s) => ({
              label: SORT_LABELS[s],
              href: link({ sort: s }),
              current: s === sort,
            }))}
          />
        </div>
        {listing.items.length === 0 ? (
          <p class="notice">
            No papers were featured on {periodTitle(range.kind, range.key)}
            {page > 1 ? ` on page ${page}` : ""}. Try the previous or next {range.kind}, or the{" "}
            <a href="/">latest day</a>.
          </p>
        ) : (
          <ListedCards items={listing.items} extras={extras} showDay={range.kind !== "day"} />
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
