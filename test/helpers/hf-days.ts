import { readFileSync } from "node:fs";
import type { IsoDate } from "../../src/core/index.ts";
import { parseHfDailyEntry } from "../../src/sources/hf/entry.ts";
import type { Store } from "../../src/store/store.ts";
import { shared } from "./paths.ts";

/** The recorded Hugging Face response of one day, as parsed JSON (read in place from ../shared/data). */
export function recordedDay(date: string): unknown[] {
  return JSON.parse(readFileSync(shared("hf-daily", "raw", `${date}.json`), "utf8")) as unknown[];
}

/** Ingests recorded days into a store the way the Hugging Face sync does. */
export async function ingestRecordedDays(store: Store, dates: readonly string[]): Promise<void> {
  for (const date of dates) {
    const items = recordedDay(date).map((entry) => parseHfDailyEntry(entry, date as IsoDate));
    await store.ingest({ papers: items.map((i) => i.paper), daily: items.map((i) => i.daily) });
  }
}
