import { XMLParser, XMLValidator } from "fast-xml-parser";
import { z } from "zod";
import {
  type ArxivId,
  type IsoDate,
  normalizeAuthorName,
  normalizeText,
  type PaperRecord,
  type PaperVersion,
  parseArxivId,
  parseCategoryList,
  parseIsoDate,
  parseTimestamp,
  ValidationError,
} from "../../core/index.ts";
import { SourceError } from "../../net/http-client.ts";
import { parseWith, rejectionReason } from "../validation.ts";
import { splitAuthorLine, VERSION_LABEL } from "./snapshot.ts";

/**
 * Reading arXiv's OAI-PMH ListRecords responses (https://www.openarchives.org/OAI/2.0/openarchivesprotocol.htm)
 * in its two metadata formats:
 *
 * - `arXiv`: structured authors (keyname, forenames, suffix, affiliation) but only the dates of the first
 *   version (`created`) and of the latest one (`updated`, present when there are several), not its number.
 * - `arXivRaw`: the full version history (`<version version="v2"><date>` in RFC 2822), authors as one line.
 *
 * A record that cannot be read becomes a problem with a reason; the rest of the page still comes back. A body
 * that is not a whole OAI-PMH document (cut off, an HTML error page) is a `SourceError` of kind "parse".
 */

export type OaiMetadataPrefix = "arXiv" | "arXivRaw";

export interface OaiProblem {
  /** The record's OAI identifier (e.g. `oai:arXiv.org:1412.8544`), when it could be read. */
  identifier?: string;
  reason: string;
}

export interface OaiRecordsPage {
  kind: "records";
  records: PaperRecord[];
  deleted: ArxivId[];
  problems: OaiProblem[];
  /** The header datestamp (day) of every record whose header could be read, in the order served. */
  datestamps: IsoDate[];
  /** The token for the next page; null when this page ends the list. */
  resumptionToken: string | null;
  /** The list's size when the server announced it (`completeListSize`). */
  completeListSize: number | null;
}

/** An OAI-PMH `<error code="...">` answer (noRecordsMatch, badResumptionToken, badArgument, ...). */
export interface OaiErrorAnswer {
  kind: "error";
  code: string;
  message: string;
}

export type OaiListAnswer = OaiRecordsPage | OaiErrorAnswer;

const OAI_ID_PREFIX = /^oai:arxiv\.org:/i;
const ARRAY_TAGS = new Set(["record", "setSpec", "author", "version", "error"]);

const parser = new XMLParser({
  ignoreAttributes: false,
  attributeNamePrefix: "@_",
  removeNSPrefix: true,
  // Values stay text: "1412.8544" must not become a number.
  parseTagValue: false,
  parseAttributeValue: false,
  trimValues: true,
  isArray: (name, _path, _leaf, isAttribute) => !isAttribute && ARRAY_TAGS.has(name),
});

/** An element's text: a plain string, or `#text` when the element also has attributes. */
function unwrapText(value: unknown): unknown {
  if (value !== null && typeof value === "object" && !Array.isArray(value)) {
    const text = (value as Record<string, unknown>)["#text"];
    if (text !== undefined) return text;
    if (Object.keys(value).every((k) => k.startsWith("@_"))) return "";
  }
  return value;
}

/** Why an element is not usable text: absent, repeated (the parser makes an array of it), or not text. */
const textIssue = (issue: { input?: unknown }): string =>
  issue.input === undefined
    ? "missing"
    : Array.isArray(issue.input)
      ? "given more than once"
      : "expected text";
const text = z.preprocess(unwrapText, z.string({ error: textIssue }).min(1, "empty"));
const optionalText = z.preprocess(unwrapText, z.string({ error: textIssue })).optional();

const headerSchema = z.looseObject({
  identifier: text,
  datestamp: text,
  "@_status": z.string().optional(),
});

const bibliographic = {
  id: text,
  title: text,
  categories: text,
  comments: optionalText,
  "report-no": optionalText,
  "journal-ref": optionalText,
  doi: optionalText,
  license: optionalText,
  abstract: optionalText,
};

const arxivSchema = z.looseObject({
  ...bibliographic,
  created: text,
  updated: optionalText,
  authors: z.preprocess(
    (v) => (v === "" ? undefined : v),
    z
      .looseObject({
        author: z.array(
          z.looseObject({ keyname: optionalText, forenames: optionalText, suffix: optionalText }),
        ),
      })
      .optional(),
  ),
});

const arxivRawSchema = z.looseObject({
  ...bibliographic,
  authors: optionalText,
  version: z
    .array(
      z.looseObject({
        "@_version": z.string().regex(VERSION_LABEL, "expected v1, v2, ..."),
        date: text,
      }),
      { error: "no versions listed" },
    )
    .min(1, "no versions listed"),
});

type Bibliographic = z.infer<typeof arxivSchema> | z.infer<typeof arxivRawSchema>;

function reject(reason: string): never {
  throw new ValidationError("invalid_record", reason);
}

function nullIfBlank(value: string | undefined): string | null {
  if (value === undefined) return null;
  const t = normalizeText(value);
  return t === "" ? null : t;
}

/** `oai:arXiv.org:hep-th/9504118` → `hep-th/9504118`. */
export function idFromOaiIdentifier(identifier: string): ArxivId {
  if (!OAI_ID_PREFIX.test(identifier)) reject(`identifier "${identifier}" is not an arXiv OAI identifier`);
  return parseArxivId(identifier.replace(OAI_ID_PREFIX, "")).id;
}

/** The day of a header datestamp; accepts `YYYY-MM-DD` and the seconds granularity `YYYY-MM-DDThh:mm:ssZ`. */
export function datestampDay(datestamp: string): IsoDate {
  if (!/^\d{4}-\d{2}-\d{2}(T\d{2}:\d{2}:\d{2}Z)?$/.test(datestamp)) {
    reject(`datestamp "${datestamp.slice(0, 40)}" is not YYYY-MM-DD`);
  }
  return parseIsoDate(datestamp.slice(0, 10));
}

function baseRecord(raw: Bibliographic, headerId: ArxivId, versions: PaperVersion[]): PaperRecord {
  const { id, version } = parseArxivId(raw.id);
  if (version !== null) reject(`id "${raw.id}" carries a version`);
  if (id !== headerId) reject(`metadata id "${raw.id}" does not match the header identifier ${headerId}`);
  // Text that is only white space or control characters (in a CDATA section, say) is no title either.
  const title = normalizeText(raw.title);
  if (title === "") reject("title: empty");
  const categories = parseCategoryList(raw.categories);
  if (categories.length === 0) reject(`categories: none in "${raw.categories}"`);
  return {
    id,
    sources: ["arxiv-oai"],
    versions,
    title,
    abstract: normalizeText(raw.abstract ?? ""),
    categories,
    comments: nullIfBlank(raw.comments),
    journalRef: nullIfBlank(raw["journal-ref"]),
    doi: nullIfBlank(raw.doi),
    reportNo: nullIfBlank(raw["report-no"]),
    license: nullIfBlank(raw.license),
  };
}

/**
 * The `arXiv` format knows the first version's day (`created`) and, through `updated`, that a later version
 * exists, but not its number. The record therefore lists only version 1, dated midnight UTC of `created`
 * (the format gives no time of day). Its bibliographic fields are those of the latest version; under the
 * store's merge rules a record whose latest known version is 1 fills a new paper but does not overwrite a
 * stored one, so use `arXivRaw` when revisions must reach papers already stored.
 */
function arxivRecord(metadata: unknown, headerId: ArxivId): PaperRecord {
  const raw = parseWith(arxivSchema, metadata);
  const created = parseTimestamp(parseIsoDate(raw.created));
  const record = baseRecord(raw, headerId, [{ version: 1, date: created }]);
  record.authors = (raw.authors?.author ?? [])
    .map((a) => normalizeAuthorName(`${a.forenames ?? ""} ${a.keyname ?? ""} ${a.suffix ?? ""}`))
    .filter((name) => name.length > 0);
  return record;
}

/** The `arXivRaw` format: every version with its submission time; authors split from the author line. */
function arxivRawRecord(metadata: unknown, headerId: ArxivId): PaperRecord {
  const raw = parseWith(arxivRawSchema, metadata);
  const versions: PaperVersion[] = raw.version.map((v) => ({
    version: Number(v["@_version"].slice(1)),
    date: parseTimestamp(v.date),
  }));
  versions.sort((a, b) => a.version - b.version);
  for (let i = 1; i < versions.length; i++) {
    if (versions[i]?.version === versions[i - 1]?.version)
      reject(`version v${versions[i]?.version} listed twice`);
  }
  const record = baseRecord(raw, headerId, versions);
  record.authors = splitAuthorLine(raw.authors ?? "");
  return record;
}

function asObject(value: unknown): Record<string, unknown> | null {
  return value !== null && typeof value === "object" && !Array.isArray(value)
    ? (value as Record<string, unknown>)
    : null;
}

function readDocument(xml: string, url: string): Record<string, unknown> {
  const fail = (why: string): never => {
    throw new SourceError("parse", url, `unreadable OAI-PMH response from ${url}: ${why}`);
  };
  // OAI-PMH answers never declare a DTD; refusing one rules out entity-expansion tricks.
  if (/<!DOCTYPE|<!ENTITY/i.test(xml)) fail("it declares a DTD");
  const valid = XMLValidator.validate(xml);
  if (valid !== true) fail(`${valid.err.msg} (line ${valid.err.line})`);
  let parsed: unknown;
  try {
    parsed = parser.parse(xml);
  } catch (error) {
    fail(error instanceof Error ? error.message : String(error));
  }
  const root = asObject(asObject(parsed)?.["OAI-PMH"]);
  return root ?? fail("no OAI-PMH root element");
}

function readToken(value: unknown): { token: string | null; size: number | null } {
  if (value === undefined) return { token: null, size: null };
  const token = unwrapText(value);
  const sizeText = asObject(value)?.["@_completeListSize"];
  const size = typeof sizeText === "string" && /^\d+$/.test(sizeText) ? Number(sizeText) : null;
  return { token: typeof token === "string" && token.trim() !== "" ? token.trim() : null, size };
}

/** Reads one record into the page; anything wrong with it becomes a problem. */
function readRecord(value: unknown, prefix: OaiMetadataPrefix, page: OaiRecordsPage): void {
  let identifier: string | undefined;
  try {
    const record = asObject(value) ?? reject("record is empty");
    const header = parseWith(headerSchema, record.header ?? reject("record has no header"));
    identifier = header.identifier;
    page.datestamps.push(datestampDay(header.datestamp));
    const id = idFromOaiIdentifier(header.identifier);
    if (header["@_status"] === "deleted") {
      page.deleted.push(id);
      return;
    }
    const metadata = asObject(record.metadata)?.[prefix];
    if (metadata === undefined) reject(`record has no <${prefix}> metadata`);
    page.records.push(prefix === "arXiv" ? arxivRecord(metadata, id) : arxivRawRecord(metadata, id));
  } catch (error) {
    page.problems.push(
      identifier === undefined
        ? { reason: rejectionReason(error) }
        : { identifier, reason: rejectionReason(error) },
    );
  }
}

/**
 * Reads a ListRecords answer. Throws `SourceError` (kind "parse") when the body is not a whole OAI-PMH document
 * or has neither records nor an error; `url` only names the request in messages.
 */
export function parseListRecords(xml: string, prefix: OaiMetadataPrefix, url: string): OaiListAnswer {
  const root = readDocument(xml, url);
  const errors = root.error;
  if (Array.isArray(errors) && errors.length > 0) {
    const first = errors[0];
    const code = asObject(first)?.["@_code"];
    const message = unwrapText(first);
    return {
      kind: "error",
      code: typeof code === "string" ? code : "unknown",
      message: typeof message === "string" ? normalizeText(message) : "",
    };
  }
  if (!("ListRecords" in root)) {
    throw new SourceError("parse", url, `unreadable OAI-PMH response from ${url}: no ListRecords element`);
  }
  const list = asObject(root.ListRecords) ?? {};
  const { token, size } = readToken(list.resumptionToken);
  const page: OaiRecordsPage = {
    kind: "records",
    records: [],
    deleted: [],
    problems: [],
    datestamps: [],
    resumptionToken: token,
    completeListSize: size,
  };
  const records = Array.isArray(list.record) ? list.record : [];
  for (const record of records) readRecord(record, prefix, page);
  return page;
}
