import { readdirSync, readFileSync } from "node:fs";
import { splitAuthorLine } from "../../src/sources/arxiv/snapshot.ts";
import { shared } from "../helpers/paths.ts";
import { type FakeHandler, type FakeReply, type FakeServer, startFakeServer } from "./server.ts";

/**
 * A fake arXiv OAI-PMH service on loopback, with two endpoints:
 *
 * - `/oai2` replays the real exchanges recorded against export.arxiv.org (../shared/data/arxiv-oai/nock-json):
 *   Identify, GetRecord, ListSets, ... and ListRecords 2015-01-01..03, whose first answer is the real
 *   `503 Retry-After: 10` and whose next is the real page. Each recorded request answers its recordings in
 *   turn, then keeps giving the last one.
 * - `/oai` serves ListRecords over the 1,130 real records of ../shared/data/arxiv-abs, rendered in the layout of
 *   the recorded page (namespaces, element order) in the `arXiv` and `arXivRaw` formats, paged with resumption
 *   tokens, filtered by `from`/`until` (the records' update_date) and `set`.
 *
 * Sets follow arXiv's group:archive:subject scheme (`cs`, `cs:cs:LG`, `physics:hep-th`, `math:math:AG`).
 * `/_fake/ids` answers the ids the server holds (JSON) and `/_fake/expire` expires every token handed out, so a
 * test in another process can use both. Faults are injected through `server.inject`.
 */

/** One line of the shared snapshot file. */
export interface SnapshotLine {
  id: string;
  title: string;
  authors: string | null;
  authors_parsed: string[][] | null;
  categories: string;
  comments: string | null;
  "journal-ref": string | null;
  doi: string | null;
  "report-no": string | null;
  license: string | null;
  abstract: string | null;
  submitter: string | null;
  versions: { version: string; created: string }[];
  update_date: string;
}

export interface FakeOaiRecord {
  id: string;
  /** The header datestamp (the snapshot's update_date until `touch` changes it). */
  datestamp: string;
  deleted: boolean;
  line: SnapshotLine;
}

export type ListOrder = "identifier" | "datestamp";

export interface FakeOaiOptions {
  /** Records a page holds; default 100. */
  pageSize?: number;
  /** "identifier" (default), as arXiv serves lists (see the recorded ListIdentifiers), or "datestamp". */
  order?: ListOrder;
  /** Every page after the first starts with this many records of the page before again; default 0. */
  overlap?: number;
  /** The records served; default the shared snapshot's 1,130. */
  lines?: SnapshotLine[];
  /** Rewrites a record's XML before it is served (to plant a malformed record). */
  alterRecord?: (id: string, xml: string) => string;
}

export interface ListQuery {
  metadataPrefix: string;
  from: string | null;
  until: string | null;
  set: string | null;
}

export interface FakeOai {
  /** The synthetic endpoint, e.g. `http://127.0.0.1:43121/oai`. */
  url: string;
  /** The endpoint replaying the recorded exchanges. */
  recordedUrl: string;
  /** Every record held, deleted ones included. */
  records(): FakeOaiRecord[];
  /** The ids of the records held and not deleted, sorted. */
  allRecordIds(): string[];
  /** What a list with these arguments holds, in the order served. */
  select(query: Omit<ListQuery, "metadataPrefix">): FakeOaiRecord[];
  /** For a ListRecords request: which page of its list it asks for (0 for the first); null otherwise. */
  pageOf(url: URL): number | null;
  /** Every token handed out so far answers badResumptionToken from now on. */
  expireTokens(): void;
  /** Gives records a new datestamp, as arXiv does when their metadata changes. */
  touch(ids: readonly string[], datestamp: string): void;
  /** Marks records deleted (header status="deleted") as of `datestamp`. */
  markDeleted(ids: readonly string[], datestamp: string): void;
  handle: FakeHandler;
}

export interface StartedFakeOai extends FakeOai {
  server: FakeServer;
  close(): Promise<void>;
}

const OAI_NS =
  'xmlns="http://www.openarchives.org/OAI/2.0/" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" xsi:schemaLocation="http://www.openarchives.org/OAI/2.0/ http://www.openarchives.org/OAI/2.0/OAI-PMH.xsd"';
const formatNs = (name: string) =>
  `xmlns="http://arxiv.org/OAI/${name}/" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" xsi:schemaLocation="http://arxiv.org/OAI/${name}/ http://arxiv.org/OAI/${name}.xsd"`;
/** The group of each archive outside physics; every other archive (astro-ph, hep-th, acc-phys, ...) is physics. */
const GROUPS = new Map(
  [
    "cs cs cmp-lg",
    "econ econ",
    "eess eess",
    "math math alg-geom funct-an dg-ga q-alg",
    "q-bio q-bio",
    "q-fin q-fin",
    "stat stat",
  ]
    .map((line) => line.split(" "))
    .flatMap(([group = "", ...archives]) => archives.map((archive): [string, string] => [archive, group])),
);

export function loadSnapshotLines(): SnapshotLine[] {
  return readFileSync(shared("arxiv-abs", "arxiv-metadata-snapshot.jsonl"), "utf8")
    .split("\n")
    .filter((l) => l.trim() !== "")
    .map((l) => JSON.parse(l) as SnapshotLine);
}

/** `cs.LG` → `cs:cs:LG`, `hep-th` → `physics:hep-th`, `physics.acc-ph` → `physics:physics:acc-ph`. */
export function setSpecOf(category: string): string {
  const [archive = "", subject] = category.split(".");
  const group = GROUPS.get(archive) ?? "physics";
  return `${group}:${archive}${subject ? `:${subject}` : ""}`;
}

export function inSet(record: FakeOaiRecord, set: string): boolean {
  return record.line.categories
    .split(/\s+/)
    .map(setSpecOf)
    .some((spec) => spec === set || spec.startsWith(`${set}:`));
}

// Characters XML 1.0 cannot carry are dropped, as arXiv's own records never contain them.
// biome-ignore lint/suspicious/noControlCharactersInRegex: dropping control characters is the point
const NOT_XML = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\ufffe\uffff]/g;
export function esc(s: string): string {
  return s
    .replace(NOT_XML, "")
    .replace(/&/g, "&amp;")
    .replace(/</g, "&lt;")
    .replace(/>/g, "&gt;")
    .replace(/"/g, "&quot;");
}

const el = (name: string, value: string | null | undefined) =>
  value === null || value === undefined || value.trim() === "" ? "" : `<${name}>${esc(value)}</${name}>`;
const dayOf = (rfc2822: string) => new Date(Date.parse(rfc2822)).toISOString().slice(0, 10);

function renderArxiv(line: SnapshotLine): string {
  const versions = line.versions;
  const first = versions[0];
  const last = versions[versions.length - 1];
  const parsed =
    line.authors_parsed && line.authors_parsed.length > 0
      ? line.authors_parsed
      : splitAuthorLine(line.authors ?? "").map((name) => [name]);
  const authors = parsed
    .map(
      ([key = "", fore = "", suffix = ""]) =>
        `<author>${el("keyname", key)}${el("forenames", fore)}${el("suffix", suffix)}</author>`,
    )
    .join("");
  return (
    `<arXiv ${formatNs("arXiv")}>\n <id>${esc(line.id)}</id>${el("created", first ? dayOf(first.created) : null)}` +
    `${versions.length > 1 && last ? el("updated", dayOf(last.created)) : ""}<authors>${authors}</authors>` +
    `${el("title", line.title)}${el("categories", line.categories)}${el("comments", line.comments)}` +
    `${el("report-no", line["report-no"])}${el("journal-ref", line["journal-ref"])}${el("doi", line.doi)}` +
    `${el("license", line.license)}${el("abstract", line.abstract)}</arXiv>`
  );
}

/** arXivRaw; the snapshot has no file sizes or source types, so `<size>` and `<source_type>` are left out. */
function renderArxivRaw(line: SnapshotLine): string {
  const versions = line.versions
    .map((v) => `<version version="${esc(v.version)}"><date>${esc(v.created)}</date></version>`)
    .join("");
  return (
    `<arXivRaw ${formatNs("arXivRaw")}>\n <id>${esc(line.id)}</id>${el("submitter", line.submitter)}${versions}` +
    `${el("title", line.title)}${el("authors", line.authors)}${el("categories", line.categories)}` +
    `${el("comments", line.comments)}${el("report-no", line["report-no"])}${el("journal-ref", line["journal-ref"])}` +
    `${el("doi", line.doi)}${el("license", line.license)}${el("abstract", line.abstract)}</arXivRaw>`
  );
}

function renderRecord(record: FakeOaiRecord, prefix: string): string {
  const specs = [...new Set(record.line.categories.split(/\s+/).map(setSpecOf))];
  const header =
    `<header${record.deleted ? ' status="deleted"' : ""}>\n <identifier>oai:arXiv.org:${esc(record.id)}</identifier>\n` +
    ` <datestamp>${record.datestamp}</datestamp>\n${specs.map((s) => ` <setSpec>${esc(s)}</setSpec>\n`).join("")}</header>`;
  if (record.deleted) return `<record>\n${header}\n</record>`;
  const metadata = prefix === "arXiv" ? renderArxiv(record.line) : renderArxivRaw(record.line);
  return `<record>\n${header}\n<metadata>\n ${metadata}\n</metadata>\n</record>`;
}

function envelope(request: Record<string, string>, baseUrl: string, inner: string): string {
  const attrs = Object.entries(request)
    .map(([k, v]) => ` ${k}="${esc(v)}"`)
    .join("");
  return (
    `<?xml version="1.0" encoding="UTF-8"?>\n<OAI-PMH ${OAI_NS}>\n<responseDate>${new Date().toISOString().slice(0, 19)}Z</responseDate>\n` +
    `<request${attrs}>${esc(baseUrl)}</request>\n${inner}\n</OAI-PMH>\n`
  );
}

const oaiError = (code: string, message: string): string => `<error code="${code}">${esc(message)}</error>`;

interface Token extends ListQuery {
  offset: number;
  generation: number;
}

function encodeToken(token: Token): string {
  return Buffer.from(JSON.stringify(token)).toString("base64url");
}

function decodeToken(text: string): Token | null {
  try {
    const t = JSON.parse(Buffer.from(text, "base64url").toString("utf8")) as Token;
    return typeof t.offset === "number" && typeof t.generation === "number" ? t : null;
  } catch {
    return null;
  }
}

/** The recorded exchanges for export.arxiv.org, by request (verb and arguments, in any order). */
interface Recording {
  status: number;
  headers: Record<string, string>;
  body: string;
}

function requestKey(url: URL): string {
  return [...url.searchParams.entries()]
    .map(([k, v]) => `${k}=${v}`)
    .sort()
    .join("&");
}

function loadRecordings(): Map<string, Recording[]> {
  const dir = shared("arxiv-oai", "nock-json");
  const byKey = new Map<string, Recording[]>();
  for (const file of readdirSync(dir).filter((f) => f.endsWith(".json"))) {
    const text = readFileSync(`${dir}/${file}`, "utf8");
    const entries = JSON.parse(text.trim() === "" ? "[]" : text) as {
      scope: string;
      path: string;
      status: number;
      response: string;
      rawHeaders?: string[];
    }[];
    for (const e of entries) {
      if (!e.scope.includes("export.arxiv.org")) continue;
      const headers: Record<string, string> = {};
      const raw = e.rawHeaders ?? [];
      for (let i = 0; i + 1 < raw.length; i += 2) {
        const name = (raw[i] ?? "").toLowerCase();
        if (name === "content-type" || name === "retry-after") headers[name] = raw[i + 1] ?? "";
      }
      const key = requestKey(new URL(e.path, "http://export.arxiv.org"));
      byKey.set(key, [...(byKey.get(key) ?? []), { status: e.status, headers, body: e.response }]);
    }
  }
  return byKey;
}

/** The real `503 Retry-After: 10` arXiv sent before the recorded ListRecords page, as a reply to inject. */
export function recorded503Reply(): FakeReply {
  const [first] =
    loadRecordings().get("from=2015-01-01&metadataPrefix=arXiv&until=2015-01-03&verb=ListRecords") ?? [];
  if (first?.status !== 503) throw new Error("the recorded 503 exchange is missing from the shared data");
  return { status: first.status, headers: first.headers, body: first.body };
}

/** The fake's state and request handler, without a listening server (see `startFakeOai`, `oai-main.ts`). */
export function createFakeOai(baseUrl: string, options: FakeOaiOptions = {}): FakeOai {
  const pageSize = options.pageSize ?? 100;
  const overlap = options.overlap ?? 0;
  const order = options.order ?? "identifier";
  const held: FakeOaiRecord[] = (options.lines ?? loadSnapshotLines()).map((line) => ({
    id: line.id,
    datestamp: line.update_date,
    deleted: false,
    line,
  }));
  const byId = new Map(held.map((r) => [r.id, r]));
  const recordings = loadRecordings();
  const replayed = new Map<string, number>();
  let generation = 0;

  const compare = (x: string, y: string) => (x < y ? -1 : x > y ? 1 : 0);
  const byOrder = (a: FakeOaiRecord, b: FakeOaiRecord) =>
    order === "datestamp" && a.datestamp !== b.datestamp
      ? compare(a.datestamp, b.datestamp)
      : compare(a.id, b.id);
  const select = (q: Omit<ListQuery, "metadataPrefix">): FakeOaiRecord[] =>
    held
      .filter(
        (r) => (q.from === null || r.datestamp >= q.from) && (q.until === null || r.datestamp <= q.until),
      )
      .filter((r) => q.set === null || inSet(r, q.set))
      .sort(byOrder);

  const edit = (ids: readonly string[], datestamp: string, deleted: boolean) => {
    for (const id of ids) {
      const record = byId.get(id);
      if (!record) throw new Error(`the fake holds no record ${id}`);
      record.datestamp = datestamp;
      record.deleted = record.deleted || deleted;
    }
  };

  const listRecords = (params: URLSearchParams): string => {
    const request: Record<string, string> = Object.fromEntries(params.entries());
    const answer = (inner: string) => envelope(request, `${baseUrl}/oai`, inner);
    const tokenText = params.get("resumptionToken");
    let query: ListQuery;
    let offset = 0;
    if (tokenText !== null) {
      if ([...params.keys()].some((k) => k !== "verb" && k !== "resumptionToken")) {
        return answer(oaiError("badArgument", "resumptionToken is an exclusive argument"));
      }
      const token = decodeToken(tokenText);
      if (token === null || token.generation !== generation) {
        return answer(
          oaiError("badResumptionToken", "The value of the resumptionToken argument is invalid or expired."),
        );
      }
      query = token;
      offset = token.offset;
    } else {
      const prefix = params.get("metadataPrefix");
      if (prefix === null) return answer(oaiError("badArgument", "metadataPrefix is required"));
      if (prefix !== "arXiv" && prefix !== "arXivRaw") {
        return answer(oaiError("cannotDisseminateFormat", `format ${prefix} is not supported`));
      }
      const from = params.get("from");
      const until = params.get("until");
      for (const d of [from, until]) {
        if (d !== null && !/^\d{4}-\d{2}-\d{2}$/.test(d))
          return answer(oaiError("badArgument", `bad date ${d}`));
      }
      if (from !== null && until !== null && until < from)
        return answer(oaiError("badArgument", "until is before from"));
      query = { metadataPrefix: prefix, from, until, set: params.get("set") };
    }
    const list = select(query);
    if (list.length === 0) return answer(oaiError("noRecordsMatch", "No records match the request."));
    const page = list.slice(Math.max(0, offset - overlap), offset + pageSize);
    const next = offset + pageSize;
    const records = page.map((r) => {
      const xml = renderRecord(r, query.metadataPrefix);
      return options.alterRecord ? options.alterRecord(r.id, xml) : xml;
    });
    let token = "";
    if (next < list.length) {
      const t = encodeToken({ ...query, offset: next, generation });
      token = `<resumptionToken cursor="${offset}" completeListSize="${list.length}">${t}</resumptionToken>`;
    } else if (offset > 0) {
      token = `<resumptionToken cursor="${offset}" completeListSize="${list.length}"/>`;
    }
    return answer(`<ListRecords>\n${records.join("\n")}\n${token}\n</ListRecords>`);
  };

  const allRecordIds = () =>
    held
      .filter((r) => !r.deleted)
      .map((r) => r.id)
      .sort();

  const handle: FakeHandler = (url) => {
    if (url.pathname === "/oai" && url.searchParams.get("verb") === "ListRecords") {
      return { headers: { "content-type": "text/xml" }, body: listRecords(url.searchParams) };
    }
    if (url.pathname === "/oai2") {
      const key = requestKey(url);
      const sequence = recordings.get(key);
      if (!sequence) return undefined;
      const index = replayed.get(key) ?? 0;
      replayed.set(key, index + 1);
      const r = sequence[Math.min(index, sequence.length - 1)] as Recording;
      return { status: r.status, headers: r.headers, body: r.body };
    }
    if (url.pathname === "/_fake/ids") {
      return { headers: { "content-type": "application/json" }, body: JSON.stringify(allRecordIds()) };
    }
    if (url.pathname === "/_fake/expire") {
      generation++;
      return { headers: { "content-type": "application/json" }, body: JSON.stringify({ generation }) };
    }
    return undefined;
  };

  return {
    url: `${baseUrl}/oai`,
    recordedUrl: `${baseUrl}/oai2`,
    records: () => held,
    allRecordIds,
    select,
    pageOf(url) {
      if (url.pathname !== "/oai" || url.searchParams.get("verb") !== "ListRecords") return null;
      const token = url.searchParams.get("resumptionToken");
      if (token === null) return 0;
      const t = decodeToken(token);
      return t === null ? null : Math.floor(t.offset / pageSize);
    },
    expireTokens() {
      generation++;
    },
    touch: (ids, datestamp) => edit(ids, datestamp, false),
    markDeleted: (ids, datestamp) => edit(ids, datestamp, true),
    handle,
  };
}

/** Starts the fake on a loopback port (in-process). Close it when done. */
export async function startFakeOai(options: FakeOaiOptions = {}): Promise<StartedFakeOai> {
  let fake: FakeOai | null = null;
  const server = await startFakeServer((url, request) => fake?.handle(url, request));
  fake = createFakeOai(server.url, options);
  return { ...fake, server, close: () => server.close() };
}
