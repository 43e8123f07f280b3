import type { IsoTimestamp } from "./dates.ts";

/** What the store knows about one source's syncs. */
export interface SourceState {
  /** e.g. `hf-daily`, `arxiv-oai:cs:cs:LG`, `arxiv-rss:cs.LG`, `github-stars`. */
  source: string;
  /** Where an interrupted or incremental sync continues from (source-specific JSON). */
  cursor: unknown;
  lastAttemptAt: IsoTimestamp | null;
  lastSuccessAt: IsoTimestamp | null;
  lastError: string | null;
  lastErrorAt: IsoTimestamp | null;
  /** Start of the current run of failures; null while the source is healthy. */
  failingSince: IsoTimestamp | null;
  /** Publication time of the newest item the source has given us. */
  newestItemAt: IsoTimestamp | null;
  /** Items received from the source over all syncs. */
  itemsSynced: number;
}

export interface Freshness {
  source: string;
  lastSuccessAt: IsoTimestamp | null;
  newestItemAt: IsoTimestamp | null;
  /** Time from the newest item to now, in milliseconds; null when nothing was synced. */
  lagMs: number | null;
  lastError: string | null;
  /** Failing for longer than the allowed time (or never succeeded and failing that long). */
  flagged: boolean;
  status: "ok" | "failing" | "flagged" | "never-synced";
}

/**
 * How fresh a source is. A source is `flagged` when it has been failing for more than `failingAfterMs`
 * (operators are told), merely `failing` before that (a retry may still fix it).
 */
export function assessFreshness(state: SourceState, nowMs: number, failingAfterMs: number): Freshness {
  const lagMs = state.newestItemAt ? Math.max(0, nowMs - Date.parse(state.newestItemAt)) : null;
  const failingFor = state.failingSince ? nowMs - Date.parse(state.failingSince) : 0;
  const flagged = state.failingSince !== null && failingFor > failingAfterMs;
  const status = flagged
    ? "flagged"
    : state.failingSince !== null
      ? "failing"
      : state.lastSuccessAt === null
        ? "never-synced"
        : "ok";
  return {
    source: state.source,
    lastSuccessAt: state.lastSuccessAt,
    newestItemAt: state.newestItemAt,
    lagMs,
    lastError: state.lastError,
    flagged,
    status,
  };
}
