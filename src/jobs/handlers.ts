import { z } from "zod";
import type { WorkerConfig } from "../config/config.ts";
import type { Category, NewJob } from "../core/index.ts";
import { fetchForLibrary, LIBRARY_FETCH } from "./library-import.ts";
import { refreshStars } from "./refresh-stars.ts";
import type { Schedule } from "./schedule.ts";
import { syncArxivCategory, syncArxivIds, syncArxivListing } from "./sync-arxiv.ts";
import { syncArxivCategories } from "./sync-arxiv-categories.ts";
import type { SyncContext } from "./sync-context.ts";
import { recentDays, syncHfDays } from "./sync-hf.ts";
import { oaiSetFor, syncOai } from "./sync-oai.ts";
import type { JobHandler } from "./worker.ts";

const isoDate = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, "expected YYYY-MM-DD");

/** Each job kind's payload, validated when the job runs (a bad payload fails the job with the reason). */
const payloads = {
  "sync-hf": z.union([
    z.object({ from: isoDate, to: isoDate }),
    z.object({ recentDays: z.number().int().min(1).max(60) }),
  ]),
  "sync-oai": z.object({
    set: z.string().nullable(),
    initialFrom: isoDate.optional(),
    from: isoDate.optional(),
    until: isoDate.optional(),
  }),
  "sync-arxiv-listing": z.object({ category: z.string() }),
  "sync-arxiv-category": z.object({ category: z.string(), since: isoDate }),
  "sync-arxiv-ids": z.object({ ids: z.array(z.string()).min(1) }),
  "sync-arxiv-categories": z.object({}),
  "refresh-stars": z.object({}),
  [LIBRARY_FETCH]: z.object({
    userId: z.string(),
    papers: z.array(z.object({ paperId: z.string(), tags: z.array(z.string()) })).min(1),
  }),
} as const;

export type JobKind = keyof typeof payloads;

/** The worker's handlers: each parses its payload and runs the sync with the job's abort signal. */
export function syncHandlers(base: Omit<SyncContext, "signal" | "logger">): Record<JobKind, JobHandler> {
  const ctx = (signal: AbortSignal, logger: SyncContext["logger"]): SyncContext => ({
    ...base,
    signal,
    logger,
  });
  return {
    "sync-hf": async (job, { signal, logger }) => {
      const p = payloads["sync-hf"].parse(job.payload);
      const range = "recentDays" in p ? recentDays(base.clock.now(), p.recentDays) : p;
      await syncHfDays(ctx(signal, logger), range);
    },
    "sync-oai": async (job, { signal, logger }) => {
      const p = payloads["sync-oai"].parse(job.payload);
      await syncOai(ctx(signal, logger), p);
    },
    "sync-arxiv-listing": async (job, { signal, logger }) => {
      await syncArxivListing(ctx(signal, logger), payloads["sync-arxiv-listing"].parse(job.payload).category);
    },
    "sync-arxiv-category": async (job, { signal, logger }) => {
      const p = payloads["sync-arxiv-category"].parse(job.payload);
      await syncArxivCategory(ctx(signal, logger), {
        category: p.category,
        since: new Date(`${p.since}T00:00:00Z`),
      });
    },
    "sync-arxiv-ids": async (job, { signal, logger }) => {
      await syncArxivIds(ctx(signal, logger), payloads["sync-arxiv-ids"].parse(job.payload).ids);
    },
    "sync-arxiv-categories": async (job, { signal, logger }) => {
      payloads["sync-arxiv-categories"].parse(job.payload);
      await syncArxivCategories(ctx(signal, logger));
    },
    "refresh-stars": async (_job, { signal, logger }) => {
      await refreshStars(ctx(signal, logger));
    },
    [LIBRARY_FETCH]: async (job, { signal, logger }) => {
      await fetchForLibrary(ctx(signal, logger), payloads[LIBRARY_FETCH].parse(job.payload));
    },
  };
}

/** The recurring syncs the configuration asks for. */
export function syncSchedules(worker: WorkerConfig, categories: readonly Category[]): Schedule[] {
  const schedules: Schedule[] = [];
  if (worker.schedules.hf) {
    // Hugging Face's papers come without arXiv categories; the arXiv API fills them in after each sync.
    schedules.push({
      name: "hf",
      cron: worker.schedules.hf,
      jobs: () => [job("sync-hf", { recentDays: 2 }), job("sync-arxiv-categories", {})],
    });
  }
  if (worker.schedules.arxiv) {
    schedules.push({
      name: "arxiv",
      cron: worker.schedules.arxiv,
      jobs: (slot) => {
        const weekAgo = new Date(slot.getTime() - 7 * 86_400_000).toISOString().slice(0, 10);
        return categories.flatMap((category) => [
          job("sync-arxiv-listing", { category }),
          job("sync-oai", { set: oaiSetFor(category), initialFrom: weekAgo }),
        ]);
      },
    });
  }
  if (worker.schedules.stars) {
    schedules.push({ name: "stars", cron: worker.schedules.stars, jobs: () => [job("refresh-stars", {})] });
  }
  return schedules;
}

function job(kind: JobKind, payload: Record<string, unknown>): NewJob {
  return { kind, payload, maxAttempts: 5 };
}

/**
 * Digests (`send-digests`, src/jobs/digests.ts): the handler needs the mailer, the web secret, the base URL and
 * the outbound policy; the worker adds `[SEND_DIGESTS]: digestHandler({ store, mailer, secret, baseUrl,
 * outbound })` and `digestSchedules()`.
 */
export { digestHandler, digestSchedules, SEND_DIGESTS } from "./digests.ts";
/**
 * Pictures (`fetch-images`, src/jobs/fetch-images.ts): the worker adds `[FETCH_IMAGES]: fetchImagesHandler({
 * store, images: config.images, clock, timeoutMs })` and `fetchImagesSchedules(config.images)`.
 */
export { FETCH_IMAGES, fetchImagesHandler, fetchImagesSchedules } from "./fetch-images.ts";
/**
 * The search engine's rebuild (`rebuild-search`, src/jobs/rebuild-search.ts): its handler, built from the
 * store, config.dataDir and config.search, and its schedule from config.search.schedule. The worker adds them
 * beside the syncs': `{ ...syncHandlers(...), [REBUILD_SEARCH]: rebuildSearchHandler(...) }` and
 * `[...syncSchedules(...), ...rebuildSearchSchedules(config.search)]`.
 */
export { REBUILD_SEARCH, rebuildSearchHandler, rebuildSearchSchedules } from "./rebuild-search.ts";
