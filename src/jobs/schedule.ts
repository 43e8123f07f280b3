import { Cron } from "croner";
import type { NewJob } from "../core/index.ts";
import { stableJson } from "../core/index.ts";
import type { Store } from "../store/store.ts";

/** A recurring set of jobs: at every time the cron expression (UTC) names, `jobs(slot)` are due. */
export interface Schedule {
  name: string;
  cron: string;
  jobs(slot: Date): NewJob[];
}

/**
 * Enqueues the jobs of each schedule's latest slot at or before `now`. Each job's dedupe key names the slot,
 * so every worker may call this on every tick (and after a restart) without a slot ever running twice, and a
 * slot missed while no worker ran is still run once when one starts.
 */
export async function enqueueDueJobs(
  store: Store,
  schedules: readonly Schedule[],
  now: Date,
  /** Slots already enqueued by this process, to skip the store round trips on every tick. */
  seen: Map<string, string> = new Map(),
): Promise<number> {
  let created = 0;
  for (const schedule of schedules) {
    const slot = latestSlot(schedule.cron, now);
    if (!slot || seen.get(schedule.name) === slot.toISOString()) continue;
    for (const job of schedule.jobs(slot)) {
      const dedupeKey = slotDedupeKey(schedule.name, slot, job);
      const result = await store.enqueueJob({
        ...job,
        runAt: job.runAt ?? (slot.toISOString() as never),
        dedupeKey,
      });
      if (result.created) created++;
    }
    seen.set(schedule.name, slot.toISOString());
  }
  return created;
}

/** The key that makes a slot's job one job, whoever enqueues it. */
export function slotDedupeKey(schedule: string, slot: Date, job: Pick<NewJob, "kind" | "payload">): string {
  return `${schedule}@${slot.toISOString()}:${job.kind}:${stableJson(job.payload ?? {})}`;
}

/** The last time at or before `now` that the cron expression names, in UTC. */
export function latestSlot(cron: string, now: Date): Date | null {
  const pattern = new Cron(cron, { paused: true, timezone: "UTC" });
  // previousRuns looks strictly before its reference; a slot exactly at `now` counts as due.
  const [slot] = pattern.previousRuns(1, new Date(now.getTime() + 1));
  return slot ?? null;
}
