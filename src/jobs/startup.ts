import { Cron } from "croner";
import type { Category, Job, NewJob, SourceState } from "../core/index.ts";
import { stableJson, toTimestamp } from "../core/index.ts";
import type { Store } from "../store/store.ts";
import { BACKFILL_HF } from "./backfill-hf.ts";
import { REBUILD_SEARCH } from "./rebuild-search.ts";
import { STARS_SOURCE } from "./refresh-stars.ts";
import { latestSlot, type Schedule, slotDedupeKey } from "./schedule.ts";
import { HF_SOURCE } from "./sync-hf.ts";
import { oaiSource } from "./sync-oai.ts";

/** The `source_state` row a job's sync records its freshness in; null for jobs that are no sync. */
export function sourceOfJob(job: Pick<NewJob, "kind" | "payload">): string | null {
  const p = job.payload ?? {};
  switch (job.kind) {
    case "sync-hf":
    case BACKFILL_HF:
      return HF_SOURCE;
    case "sync-arxiv-listing":
      return typeof p.category === "string" ? `arxiv-rss:${p.category}` : null;
    case "sync-oai":
      return oaiSource(typeof p.set === "string" ? p.set : null);
    case "refresh-stars":
      return STARS_SOURCE;
    case "sync-arxiv-categories":
      return "arxiv-categories";
    default:
      return null;
  }
}

/** The time between a cron expression's latest slot and the one before: how stale a source may get. */
export function intervalMs(cron: string, now: Date): number | null {
  const pattern = new Cron(cron, { paused: true, timezone: "UTC" });
  const [last, before] = pattern.previousRuns(2, new Date(now.getTime() + 1));
  return last && before ? last.getTime() - before.getTime() : null;
}

export interface StartupInput {
  now: Date;
  /** Every schedule the worker runs (syncs, search, digests). */
  schedules: readonly Schedule[];
  /** What the store knows of each source. */
  states: readonly SourceState[];
  /** Jobs queued or running now. */
  pending: readonly Job[];
  /** The first run's Hugging Face backfill, in daily lists (0: none). */
  backfillDays: number;
  /** The followed categories, whose latest arXiv listings a first run fetches. */
  categories: readonly Category[];
}

/** A job to enqueue on start: under `dedupeKey`, or, when that one exists already, under `retryKey`. */
export interface PlannedJob extends NewJob {
  dedupeKey: string;
  retryKey?: string;
}

/**
 * Earlier runs first: the papers people see, then the listings (and the categories of the papers the backfill
 * brought), the search engine, then the rest.
 */
function priority(job: NewJob): number {
  if (job.kind === BACKFILL_HF) return 0;
  if (job.kind === "sync-arxiv-listing" || job.kind === "sync-arxiv-categories") return 1;
  if (job.kind === REBUILD_SEARCH) return 2;
  return sourceOfJob(job) === null ? 4 : 3;
}

const sameJob = (a: Pick<NewJob, "kind" | "payload">, b: Pick<NewJob, "kind" | "payload">) =>
  a.kind === b.kind && stableJson(a.payload ?? {}) === stableJson(b.payload ?? {});

/**
 * What a start enqueues, in the order it should run. Every schedule's latest slot is taken now (under the
 * slot's own dedupe key, so the worker's first tick adds nothing and the slot never runs twice) rather than
 * left to run in slot order; a sync whose source last succeeded longer ago than its schedule's interval runs
 * even when its slot already ran (and failed). On a first run (Hugging Face never synced) the latest
 * `backfillDays` daily lists, the followed categories' arXiv listings and a search engine build come first.
 * Jobs already queued or running are not added again, and every key names the last attempt it follows, so
 * restarts add nothing twice.
 */
export function planStartup(input: StartupInput): PlannedJob[] {
  const { now } = input;
  const states = new Map(input.states.map((s) => [s.source, s]));
  const planned: PlannedJob[] = [];
  const add = (job: PlannedJob) => {
    if (input.pending.some((p) => sameJob(p, job)) || planned.some((p) => sameJob(p, job))) return;
    planned.push(job);
  };
  const attemptOf = (source: string | null) => (source && states.get(source)?.lastAttemptAt) || "never";

  const hf = states.get(HF_SOURCE);
  const firstRun = !hf?.lastSuccessAt;
  if (firstRun && input.backfillDays > 0) {
    add({
      kind: BACKFILL_HF,
      payload: { days: input.backfillDays },
      maxAttempts: 5,
      dedupeKey: `first-run:${BACKFILL_HF}:${attemptOf(HF_SOURCE)}`,
    });
  }

  for (const schedule of input.schedules) {
    const slot = latestSlot(schedule.cron, now);
    if (!slot) continue;
    const interval = intervalMs(schedule.cron, now);
    for (const job of schedule.jobs(slot)) {
      const source = sourceOfJob(job);
      const success = source ? states.get(source)?.lastSuccessAt : null;
      const stale =
        source !== null &&
        (!success || (interval !== null && now.getTime() - Date.parse(success) > interval));
      add({
        ...job,
        dedupeKey: slotDedupeKey(schedule.name, slot, job),
        ...(stale
          ? { retryKey: `startup:${job.kind}:${stableJson(job.payload ?? {})}:${attemptOf(source)}` }
          : {}),
      });
    }
  }

  if (firstRun) {
    for (const category of input.categories) {
      const job = { kind: "sync-arxiv-listing", payload: { category } };
      add({
        ...job,
        maxAttempts: 5,
        dedupeKey: `first-run:${job.kind}:${category}:${attemptOf(sourceOfJob(job))}`,
      });
    }
    add({
      kind: REBUILD_SEARCH,
      payload: {},
      maxAttempts: 3,
      dedupeKey: `first-run:${REBUILD_SEARCH}:${attemptOf(HF_SOURCE)}`,
    });
  }

  return planned
    .map((job, index) => ({ job, index }))
    .sort((a, b) => priority(a.job) - priority(b.job) || a.index - b.index)
    .map(({ job }) => job);
}

/**
 * Plans the start (`planStartup`) from the store and enqueues it, each job due a millisecond after the one
 * before so the worker takes them in order. Returns the kinds of the jobs added.
 */
export async function runStartup(
  store: Store,
  options: Omit<StartupInput, "states" | "pending">,
): Promise<string[]> {
  const [states, pending] = await Promise.all([
    store.listSourceStates(),
    store.listJobs({ states: ["queued", "running"], limit: 1000 }),
  ]);
  const plan = planStartup({ ...options, states, pending });
  const added: string[] = [];
  let at = options.now.getTime();
  for (const { retryKey, ...job } of plan) {
    const runAt = toTimestamp(new Date(at++));
    let result = await store.enqueueJob({ ...job, runAt }, toTimestamp(options.now));
    if (!result.created && retryKey) result = await store.enqueueJob({ ...job, runAt, dedupeKey: retryKey });
    if (result.created) added.push(job.kind);
  }
  return added;
}
