/** Small text formatters shared by the pages. Pure; no markup. */

const MONTHS = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"];

/** `2024-05-27` or an ISO timestamp → `27 May 2024` (UTC). */
export function formatDay(isoDateOrTimestamp: string): string {
  const d = new Date(
    isoDateOrTimestamp.length === 10 ? `${isoDateOrTimestamp}T00:00:00Z` : isoDateOrTimestamp,
  );
  if (Number.isNaN(d.getTime())) return isoDateOrTimestamp;
  return `${d.getUTCDate()} ${MONTHS[d.getUTCMonth()]} ${d.getUTCFullYear()}`;
}

/** `2024-05` → `May 2024`. */
export function formatMonth(key: string): string {
  const [y, m] = key.split("-");
  const name = MONTHS[Number(m) - 1];
  return name ? `${name} ${y}` : key;
}

/** `2024-W22` → `Week 22, 2024`. */
export function formatWeek(key: string): string {
  const m = /^(\d{4})-W(\d{2})$/.exec(key);
  return m ? `Week ${Number(m[2])}, ${m[1]}` : key;
}

/** 950 → `950`, 1234 → `1.2k`, 25_000 → `25k`. */
export function formatCount(n: number): string {
  if (n < 1000) return String(n);
  if (n < 10_000) return `${(n / 1000).toFixed(1).replace(/\.0$/, "")}k`;
  if (n < 1_000_000) return `${Math.round(n / 1000)}k`;
  return `${(n / 1_000_000).toFixed(1).replace(/\.0$/, "")}M`;
}

/** `1 comment`, `3 comments`. */
export function plural(n: number, one: string, many = `${one}s`): string {
  return `${formatCount(n)} ${n === 1 ? one : many}`;
}

/** The first `max` authors, then `et al.` with how many are left out. */
export function shortAuthors(authors: readonly string[], max = 3): string {
  if (authors.length === 0) return "Unknown authors";
  if (authors.length <= max + 1) return authors.join(", ");
  return `${authors.slice(0, max).join(", ")} +${authors.length - max} more`;
}

/** Cuts text at a word boundary to at most `max` characters, adding an ellipsis. */
export function truncate(text: string, max: number): string {
  if (text.length <= max) return text;
  const cut = text.slice(0, max - 1);
  const space = cut.lastIndexOf(" ");
  return `${(space > max * 0.6 ? cut.slice(0, space) : cut).trimEnd()}…`;
}

/** `github.com/owner/name` for a code link; the host and path otherwise. */
export function shortUrl(url: string): string {
  try {
    const u = new URL(url);
    return `${u.host.replace(/^www\./, "")}${u.pathname.replace(/\/+$/, "")}`;
  } catch {
    return url;
  }
}

/** Only http(s) links are ever rendered as links (a source could send `javascript:`). */
export function safeHref(url: string | null | undefined): string | null {
  if (!url) return null;
  try {
    const u = new URL(url);
    return u.protocol === "https:" || u.protocol === "http:" ? u.toString() : null;
  } catch {
    return null;
  }
}
