import { Cron } from "croner";
import type { WorkerConfig } from "../config/config.ts";
import type { IsoTimestamp, Job, SourceState } from "../core/index.ts";
import { classifyFailure, type FailureReason } from "../net/failure.ts";
import type { Store } from "../store/store.ts";
import { BACKFILL_HF, type BackfillProgress, backfillProgressOf } from "./backfill-hf.ts";
import { REBUILD_SEARCH } from "./rebuild-search.ts";
import { STARS_SOURCE } from "./refresh-stars.ts";
import { sourceOfJob } from "./startup.ts";
import { HF_SOURCE } from "./sync-hf.ts";

/** Something the worker is fetching or building now, or will next. */
export interface Activity {
  label: string;
  running: boolean;
  /** How far it got, when it knows (`6 of 14 days`). */
  progress: { done: number; total: number; unit: string } | null;
}

/** A source whose last sync failed: what, why, and when it is tried again. */
export interface SourceFailure {
  source: string;
  label: string;
  reason: FailureReason;
  error: string;
  since: IsoTimestamp | null;
  /** `now` (a worker is on it), a time (a retry is queued or the schedule's next run), or null (nothing planned). */
  retry: "now" | IsoTimestamp | null;
}

export interface FillStatus {
  /** The first run's backfill is still under way. */
  backfilling: boolean;
  activities: Activity[];
  failures: SourceFailure[];
}

/** A source's name for people: `hf-daily` is "Hugging Face daily papers". */
export function sourceLabel(source: string): string {
  if (source === HF_SOURCE) return "Hugging Face daily papers";
  if (source === STARS_SOURCE) return "GitHub stars";
  if (source.startsWith("arxiv-rss:")) return `arXiv listing of ${source.slice("arxiv-rss:".length)}`;
  if (source.startsWith("arxiv-oai")) return `arXiv OAI-PMH (${source.replace(/^arxiv-oai:?/, "") || "all"})`;
  if (source.startsWith("arxiv-api"))
    return `arXiv API${source.includes(":") ? ` (${source.split(":")[1]})` : ""}`;
  if (source === "search-engine") return "search engine build";
  if (source === "arxiv-categories") return "arXiv categories of Hugging Face papers";
  return source;
}

const SEARCH_BUILD = "Building the search engine";

function jobLabel(job: Job): string {
  if (job.kind === REBUILD_SEARCH) return SEARCH_BUILD;
  const source = sourceOfJob(job);
  return `Fetching ${source ? sourceLabel(source) : job.kind}`;
}

/** The schedule (cron) that syncs a source again, from the worker's configuration. */
function cronOf(source: string, schedules: WorkerConfig["schedules"]): string | null {
  // The categories of Hugging Face's papers are looked up after each Hugging Face sync.
  if (source === HF_SOURCE || source === "arxiv-categories") return schedules.hf;
  if (source === STARS_SOURCE) return schedules.stars;
  if (source.startsWith("arxiv-rss:") || source.startsWith("arxiv-oai")) return schedules.arxiv;
  return null;
}

function nextRun(cron: string | null, now: Date): IsoTimestamp | null {
  if (!cron) return null;
  const next = new Cron(cron, { paused: true, timezone: "UTC" }).nextRun(now);
  return next ? (next.toISOString() as IsoTimestamp) : null;
}

/** Reads what is being fetched, how far it got, and which sources fail, from the store's jobs and sources. */
export async function readFillStatus(
  store: Store,
  now: Date,
  schedules: WorkerConfig["schedules"] | null,
): Promise<FillStatus> {
  const [states, pending] = await Promise.all([
    store.listSourceStates(),
    store.listJobs({ states: ["queued", "running"], limit: 200 }),
  ]);
  return fillStatusOf(states, pending, now, schedules);
}

export function fillStatusOf(
  states: readonly SourceState[],
  pending: readonly Job[],
  now: Date,
  schedules: WorkerConfig["schedules"] | null,
): FillStatus {
  const hf = states.find((s) => s.source === HF_SOURCE);
  const progress: BackfillProgress | null = backfillProgressOf(hf?.cursor ?? null);
  const activities: Activity[] = [];
  const seen = new Set<string>();
  const ordered = [...pending].sort(
    (a, b) => Number(b.state === "running") - Number(a.state === "running") || a.runAt.localeCompare(b.runAt),
  );
  for (const job of ordered) {
    // A queued job that failed before is a retry: it shows with its source's failure instead.
    if (job.state === "queued" && job.lastError !== null) continue;
    if (sourceOfJob(job) === null && job.kind !== REBUILD_SEARCH) continue;
    const label = jobLabel(job);
    if (seen.has(label)) continue;
    seen.add(label);
    const backfill = job.kind === BACKFILL_HF;
    activities.push({
      label,
      running: job.state === "running",
      progress:
        backfill && progress && !progress.done
          ? { done: progress.found, total: progress.target, unit: "days" }
          : backfill
            ? { done: 0, total: Number(job.payload.days ?? 0), unit: "days" }
            : null,
    });
  }

  const failures: SourceFailure[] = [];
  for (const state of states) {
    if (state.failingSince === null || state.lastError === null) continue;
    const jobs = pending.filter((j) => sourceOfJob(j) === state.source);
    const retry: SourceFailure["retry"] = jobs.some((j) => j.state === "running")
      ? "now"
      : (jobs.map((j) => j.runAt).sort()[0] ??
        (schedules ? nextRun(cronOf(state.source, schedules), now) : null));
    failures.push({
      source: state.source,
      label: sourceLabel(state.source),
      reason: classifyFailure(state.lastError),
      error: state.lastError,
      since: state.failingSince,
      retry,
    });
  }
  return {
    backfilling: pending.some((j) => j.kind === BACKFILL_HF),
    activities,
    failures,
  };
}

/**
 * `Then: arXiv listing of cs.CL, the search engine build and 9 more.` for activities waiting their turn
 * (`Queued:` when nothing runs yet).
 */
export function queuedSummary(waiting: readonly Activity[], afterRunning: boolean): string {
  const named = waiting
    .slice(0, 2)
    .map((a) => (a.label === SEARCH_BUILD ? "the search engine build" : a.label.replace(/^Fetching /, "")));
  const more = waiting.length - named.length;
  return `${afterRunning ? "Then" : "Queued"}: ${named.join(", ")}${more > 0 ? ` and ${more} more` : ""}.`;
}
