import { z } from "zod";

/** What a worker prints on stdout when its import is done: one JSON line, parsed by the runner. */
export const workerReportSchema = z.object({
  /** Records read (lines or array entries), the numerator of papers/s. */
  read: z.number(),
  added: z.number(),
  updated: z.number(),
  unchanged: z.number(),
  rejected: z.number(),
  dailyAdded: z.number(),
  /** Papers in the store once the import is done. */
  papersInStore: z.number(),
  /** Wall time of the import alone: opening the store and migrating come before the clock starts. */
  seconds: z.number(),
  /** Peak resident set size of the worker process over its whole life (getrusage ru_maxrss). */
  peakRssMb: z.number(),
  /** Read count and resident memory every few seconds, to see whether either drifts over a long import. */
  samples: z.array(z.object({ seconds: z.number(), read: z.number(), rssMb: z.number() })),
});

export type WorkerReport = z.infer<typeof workerReportSchema>;
