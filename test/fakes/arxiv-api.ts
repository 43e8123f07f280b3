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

/** An entry as arXiv wrote it, and the id it names (`1605.08386v1`). */
interface RecordedEntry {
  versionedId: string;
  xml: string;
}

/**
 * What the recordings say about single papers, for `id_list` lookups no recording asked for as such: every
 * paper entry any recording carries (searches included), by id without version, and the ids a recorded
 * `id_list` lookup asked for and arXiv returned nothing for (unknown or withdrawn).
 */
export interface RecordedPapers {
  entries: Map<string, RecordedEntry>;
  absent: Set<string>;
  /** The start of a recorded `id_list` answer, up to its first entry: the feed an assembled answer uses. */
  head: string;
}

const unversioned = (id: string) => id.replace(/v\d+$/, "");

export function recordedPapers(recordings: readonly Recording[] = loadRecordings()): RecordedPapers {
  const entries = new Map<string, RecordedEntry>();
  const absent = new Set<string>();
  let head = "";
  for (const recording of recordings) {
    if (recording.status !== 200) continue;
    const body = recording.body.toString("utf8");
    const found = new Set<string>();
    for (const [xml] of body.matchAll(/<entry>[\s\S]*?<\/entry>/g)) {
      const versionedId = /<id>https?:\/\/arxiv\.org\/abs\/([^<]+)<\/id>/.exec(xml)?.[1];
      if (!versionedId) continue;
      entries.set(unversioned(versionedId), { versionedId, xml });
      found.add(unversioned(versionedId));
    }
    const idList = recording.url.searchParams.get("id_list") ?? "";
    if (idList === "") continue;
    for (const id of idList.split(",")) if (!found.has(unversioned(id))) absent.add(unversioned(id));
    if (head === "" && found.size > 0) head = body.slice(0, body.indexOf("<entry>"));
  }
  for (const id of entries.keys()) absent.delete(id);
  return { entries, absent, head };
}

/**
 * An `id_list` answer assembled from recorded entries, as arXiv gives it: the entries of the ids it has, in
 * the order asked, and nothing for ids it does not have. Undefined (unplanned) when an id is one no recording
 * says anything about, or a version no recording holds.
 */
export function assembleIdList(papers: RecordedPapers, params: URLSearchParams): string | undefined {
  const ids = (params.get("id_list") ?? "").split(",").filter((id) => id !== "");
  if (ids.length === 0 || (params.get("search_query") ?? "") !== "" || params.get("start") !== "0")
    return undefined;
  const xml: string[] = [];
  for (const id of ids) {
    const entry = papers.entries.get(unversioned(id));
    if (entry && (id === unversioned(id) || entry.versionedId === id)) xml.push(entry.xml);
    else if (!papers.absent.has(unversioned(id))) return undefined;
  }
  const head = papers.head.replace(
    /<opensearch:totalResults>\d+<\/opensearch:totalResults>/,
    `<opensearch:totalResults>${xml.length}</opensearch:totalResults>`,
  );
  return `${head}${xml.map((e) => `${e}\n  `).join("")}</feed>\n`;
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
  /**
   * Ids the test declares arXiv has no paper for (withdrawn, not yet public). The recordings' only such ids
   * are malformed ones, so a test of a well-formed unknown id names it here; a lookup including it is
   * answered as the recorded lookups of unknown ids are: without an entry for it.
   */
  unknownIds?: readonly string[];
}

/**
 * A loopback arXiv API that replays the recordings: a GET on `/api/query` whose parameters equal a recorded
 * URL's (as a set) gets that recording's body and status; an `id_list` lookup of recorded papers gets their
 * recorded entries (`assembleIdList`). Anything else is unplanned.
 */
export async function startFakeArxivApi(options: FakeArxivApiOptions = {}): Promise<FakeArxivApi> {
  const holdTurns = options.holdTurns ?? 20;
  const byQuery = new Map<string, Recording>();
  const recordings = loadRecordings();
  for (const recording of recordings) byQuery.set(queryKey(recording.url.searchParams), recording);
  const papers = recordedPapers(recordings);
  for (const id of options.unknownIds ?? []) papers.absent.add(unversioned(id));

  let inFlight = 0;
  let maxInFlight = 0;
  const server = await startFakeServer(async (url, request) => {
    if (request.method !== "GET" || url.pathname !== ARXIV_API_PATH) return undefined;
    inFlight++;
    maxInFlight = Math.max(maxInFlight, inFlight);
    try {
      for (let i = 0; i < holdTurns; i++) await new Promise<void>((resolve) => setImmediate(resolve));
      const recording = byQuery.get(queryKey(url.searchParams));
      if (!recording) {
        const assembled = assembleIdList(papers, url.searchParams);
        return assembled === undefined
          ? undefined
          : { headers: { "content-type": "application/atom+xml; charset=utf-8" }, body: assembled };
      }
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
