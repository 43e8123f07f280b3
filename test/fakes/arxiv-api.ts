import { readFileSync } from "node:fs";
import { shared } from "../helpers/paths.ts";
import { type FakeServer, startFakeServer } from "./server.ts";

/** The path the fake answers on; a client's base URL is `${server.url}${ARXIV_API_PATH}`. */
export const ARXIV_API_PATH = "/api/query";

/** Recorded arXiv API responses (../shared/data/arxiv-api): bodies in xml/, INDEX.tsv maps file → status → URL. */
export const ARXIV_API_DATA = shared("arxiv-api");

export interface Recording {
  file: string;
  status: number;
  url: URL;
  body: Buffer;
}

/** A canonical key for a query: its parameters as a set, so that order and encoding do not matter. */
export function queryKey(params: URLSearchParams): string {
  return JSON.stringify(
    [...params.entries()].sort(([a, av], [b, bv]) => (a === b ? cmp(av, bv) : cmp(a, b))),
  );
}

function cmp(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** Every recording listed in INDEX.tsv, bodies loaded. */
export function loadRecordings(): Recording[] {
  const lines = readFileSync(`${ARXIV_API_DATA}/INDEX.tsv`, "utf8").split("\n").slice(1);
  return lines
    .filter((line) => line.trim() !== "")
    .map((line) => {
      const [file = "", status = "", url = ""] = line.split("\t");
      return {
        file,
        status: Number(status),
        url: new URL(url),
        body: readFileSync(`${ARXIV_API_DATA}/xml/${file}`),
      };
    });
}

/** The recorded body whose file name starts with `prefix` (e.g. "q_testing_s0_m10_"), as text. */
export function recordedBody(prefix: string): string {
  const found = loadRecordings().find((r) => r.file.startsWith(prefix));
  if (!found) throw new Error(`no recording named ${prefix}*`);
  return found.body.toString("utf8");
}

export interface FakeArxivApi extends FakeServer {
  /** The most requests the fake was handling at once (1 when the client waits for each answer). */
  readonly maxInFlight: number;
}

export interface FakeArxivApiOptions {
  /**
   * Event-loop turns the fake holds each request before answering (no timers), so that a client sending
   * requests in parallel is caught with several in flight. Default 20.
   */
  holdTurns?: number;
}

/**
 * A loopback arXiv API that replays the recordings: a GET on `/api/query` whose parameters equal a recorded
 * URL's (as a set) gets that recording's body and status. Anything else is unplanned.
 */
export async function startFakeArxivApi(options: FakeArxivApiOptions = {}): Promise<FakeArxivApi> {
  const holdTurns = options.holdTurns ?? 20;
  const byQuery = new Map<string, Recording>();
  for (const recording of loadRecordings()) byQuery.set(queryKey(recording.url.searchParams), recording);

  let inFlight = 0;
  let maxInFlight = 0;
  const server = await startFakeServer(async (url, request) => {
    if (request.method !== "GET" || url.pathname !== ARXIV_API_PATH) return undefined;
    inFlight++;
    maxInFlight = Math.max(maxInFlight, inFlight);
    try {
      for (let i = 0; i < holdTurns; i++) await new Promise<void>((resolve) => setImmediate(resolve));
      const recording = byQuery.get(queryKey(url.searchParams));
      if (!recording) return undefined;
      return {
        status: recording.status,
        headers: { "content-type": "application/atom+xml; charset=utf-8" },
        body: recording.body,
      };
    } finally {
      inFlight--;
    }
  });
  return Object.defineProperty(server, "maxInFlight", { get: () => maxInFlight }) as FakeArxivApi;
}
