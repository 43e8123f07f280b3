/** Builds a link to the same page with some query parameters changed (undefined or default values dropped). */
export function withQuery(
  path: string,
  params: Record<string, string | number | undefined>,
  defaults: Record<string, string | number> = {},
): string {
  const search = new URLSearchParams();
  for (const [key, value] of Object.entries(params)) {
    if (value === undefined || value === "" || defaults[key] === value) continue;
    search.set(key, String(value));
  }
  const qs = search.toString();
  return qs ? `${path}?${qs}` : path;
}

export interface PagerProps {
  page: number;
  perPage: number;
  total: number;
  /** The link for a page number. */
  href: (page: number) => string;
}

/** Previous / next page links with "page N of M"; nothing when everything fits on one page. */
export function Pager(props: PagerProps) {
  const pages = Math.max(1, Math.ceil(props.total / props.perPage));
  if (pages <= 1 && props.page <= 1) return null;
  return (
    <nav class="pager" aria-label="Pages">
      {props.page > 1 ? (
        <a href={props.href(props.page - 1)} rel="prev">
          ← Previous
        </a>
      ) : (
        <span />
      )}
      <span class="muted small">
        Page {props.page} of {pages}
      </span>
      {props.page < pages ? (
        <a href={props.href(props.page + 1)} rel="next">
          Next →
        </a>
      ) : (
        <span />
      )}
    </nav>
  );
}

/** A row of links, the current one marked (sorts, day/week/month). */
export function Tabs(props: {
  items: readonly { label: string; href: string; current: boolean }[];
  label: string;
}) {
  return (
    <nav class="tabs" aria-label={props.label}>
      {props.items.map((item) => (
        <a href={item.href} aria-current={item.current ? "page" : undefined}>
          {item.label}
        </a>
      ))}
    </nav>
  );
}
