import { readFileSync } from "node:fs";
import { shared } from "../helpers/paths.ts";
import { type FakeReply, type FakeServer, startFakeServer } from "./server.ts";

export const JSON_HEADERS = { "content-type": "application/json; charset=utf-8" };

/** The recorded body of the daily papers API for `date` (`../shared/data/hf-daily/<set>/<date>.json`), or null. */
export function recordedDay(date: string, set: "raw" | "malformed" = "raw"): Buffer | null {
  try {
    return readFileSync(shared("hf-daily", set, `${date}.json`));
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ENOENT") return null;
    throw error;
  }
}

/** A recorded day's entries as JSON values, for a test to change and serve back (e.g. new upvote counts). */
export function recordedEntries(date: string): Record<string, unknown>[] {
  const body = recordedDay(date);
  if (body === null) throw new Error(`no recording for ${date}`);
  return JSON.parse(body.toString("utf8")) as Record<string, unknown>[];
}

/** A JSON answer. */
export function jsonReply(value: unknown, status = 200): FakeReply {
  return { status, headers: JSON_HEADERS, body: JSON.stringify(value) };
}

/** Matches requests for one day's list, for `inject`. */
export function forDay(date: string): (url: URL) => boolean {
  return (url) => url.pathname === "/api/daily_papers" && url.searchParams.get("date") === date;
}

export interface FakeHf extends FakeServer {
  /** Answers `date` with `reply` from now on instead of the recording. */
  setDay(date: string, reply: FakeReply): void;
  /** Back to the recording for `date`. */
  resetDay(date: string): void;
  /** The `date` of each daily papers request, in order. */
  datesRequested(): string[];
}

/**
 * A fake Hugging Face API: `GET /api/daily_papers?date=D` replays `../shared/data/hf-daily/raw/D.json` as it
 * was recorded, and answers `[]` for a day with no recording (as the API does for a day with no list yet).
 * Tests override a day with `setDay` and inject faults (503, hangs, truncation) with `inject(forDay(D), ...)`.
 */
export async function startFakeHf(): Promise<FakeHf> {
  const overrides = new Map<string, FakeReply>();
  const server = await startFakeServer((url) => {
    const date = url.searchParams.get("date");
    if (url.pathname !== "/api/daily_papers" || date === null || !/^\d{4}-\d{2}-\d{2}$/.test(date)) {
      return undefined;
    }
    const override = overrides.get(date);
    if (override) return override;
    return { headers: JSON_HEADERS, body: recordedDay(date) ?? "[]" };
  });
  return {
    ...server,
    setDay(date, reply) {
      overrides.set(date, reply);
    },
    resetDay(date) {
      overrides.delete(date);
    },
    datesRequested() {
      return server.requests
        .filter((r) => r.url.pathname === "/api/daily_papers")
        .map((r) => r.url.searchParams.get("date") ?? "");
    },
  };
}
