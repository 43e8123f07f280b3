import assert from "node:assert/strict";
import {
  type DailyEntryRecord,
  isPaperboyError,
  isSourceName,
  normalizeText,
  type PaperRecord,
  parseCategory,
  parseIsoDate,
  toArxivId,
} from "../../src/core/index.ts";
import { SourceError } from "../../src/net/http-client.ts";

/**
 * What every parsed record must be, whichever source it came from: the types the core declares, with the
 * values their brands promise (canonical ids, real dates, http(s) links), so nothing downstream re-checks.
 */

/** An instant as `IsoTimestamp` promises: `YYYY-MM-DDThh:mm:ss.sssZ`, which sorts as text in time order. */
export function assertTimestamp(value: unknown, field: string): void {
  assert.ok(typeof value === "string", `${field}: not a string`);
  assert.match(value, /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/, `${field}: ${value}`);
  assert.equal(new Date(value).toISOString(), value, `${field}: ${value}`);
}

const isCount = (n: unknown) => typeof n === "number" && Number.isSafeInteger(n) && n >= 0;
const isNullableText = (v: unknown) => v === undefined || v === null || typeof v === "string";

export interface RecordRules {
  /**
   * Records read from arXiv's metadata: a normalised, non-empty title, at least one category, blank optional
   * fields as null. (A Paperboy export restores what was written; Hugging Face gives no bibliography.)
   */
  bibliographic: boolean;
}

export function assertPaperRecord(r: PaperRecord, rules: RecordRules): void {
  assert.equal(toArxivId(r.id), r.id, "id is canonical");
  assert.ok(r.sources.length > 0 && r.sources.every(isSourceName), `sources ${r.sources}`);
  const numbers = r.versions.map((v) => v.version);
  for (const v of r.versions) {
    assert.ok(Number.isSafeInteger(v.version) && v.version >= 1, `version ${v.version}`);
    assertTimestamp(v.date, `v${v.version} date`);
  }
  assert.equal(new Set(numbers).size, numbers.length, `versions repeat: ${numbers}`);
  for (const field of ["title", "abstract", "aiSummary"] as const) {
    const value = r[field];
    assert.ok(value === undefined || value === null || typeof value === "string", field);
  }
  for (const field of ["comments", "journalRef", "doi", "reportNo", "license"] as const) {
    assert.ok(isNullableText(r[field]), `${field}: ${JSON.stringify(r[field])}`);
  }
  for (const author of r.authors ?? [])
    assert.ok(typeof author === "string" && author !== "", "an empty author");
  for (const category of r.categories ?? []) assert.equal(parseCategory(category), category);
  assert.equal(new Set(r.categories).size, (r.categories ?? []).length, "categories repeat");
  if (r.publishedAt !== undefined && r.publishedAt !== null) assertTimestamp(r.publishedAt, "publishedAt");
  if (r.observedAt !== undefined) assertTimestamp(r.observedAt, "observedAt");
  for (const field of ["codeUrl", "projectUrl"] as const) {
    const url = r[field];
    if (url !== undefined && url !== null) assert.match(url, /^https?:\/\/\S+$/i, `${field}: ${url}`);
  }
  assert.ok(r.githubStars === undefined || r.githubStars === null || isCount(r.githubStars), "githubStars");
  for (const keyword of r.aiKeywords ?? []) assert.equal(typeof keyword, "string");
  if (r.restore) {
    assertTimestamp(r.restore.firstSeenAt, "firstSeenAt");
    assertTimestamp(r.restore.lastUpdatedAt, "lastUpdatedAt");
    if (r.restore.enrichedAt !== null) assertTimestamp(r.restore.enrichedAt, "enrichedAt");
    if (r.restore.starsObservedAt !== null) assertTimestamp(r.restore.starsObservedAt, "starsObservedAt");
  }
  if (rules.bibliographic) {
    // The arXiv parsers normalise text and write blank optional fields as null.
    for (const field of ["comments", "journalRef", "doi", "reportNo", "license"] as const) {
      assert.notEqual(r[field], "", `${field} is blank, not null`);
    }
    assert.ok(typeof r.title === "string" && r.title !== "", "no title");
    assert.equal(normalizeText(r.title), r.title, "title is not normalised");
    assert.equal(normalizeText(r.abstract ?? ""), r.abstract ?? "", "abstract is not normalised");
    assert.ok((r.categories ?? []).length > 0, "no category");
  }
}

export function assertDailyRecord(d: DailyEntryRecord): void {
  assert.equal(parseIsoDate(d.date), d.date, "date");
  assert.equal(toArxivId(d.paperId), d.paperId, "paperId is canonical");
  assert.ok(isSourceName(d.source), `source ${d.source}`);
  assert.ok(isCount(d.upvotes) && isCount(d.numComments), "counts");
  for (const who of [d.submitter, d.organization]) {
    if (who === null) continue;
    assert.equal(typeof who.name, "string");
    assert.ok(who.fullname === null || typeof who.fullname === "string");
  }
  if (d.submitter) assert.ok(d.submitter.name !== "", "a submitter without a name");
  if (d.firstSeenAt !== undefined) assertTimestamp(d.firstSeenAt, "firstSeenAt");
  if (d.lastUpdatedAt !== undefined) assertTimestamp(d.lastUpdatedAt, "lastUpdatedAt");
}

/** A record rejected the way the importers report it: a domain error with a reason, not a crash. */
export function assertRejection(error: unknown): void {
  assert.ok(
    isPaperboyError(error),
    `not a domain error: ${error instanceof Error ? error.stack : String(error)}`,
  );
  assert.ok(error.message.length > 0);
}

/** A document refused as a whole: a SourceError of kind "parse". Returns true, for `assert.throws`. */
export function assertUnreadable(error: unknown): true {
  assert.ok(
    error instanceof SourceError && error.kind === "parse",
    `not a parse SourceError: ${error instanceof Error ? error.stack : String(error)}`,
  );
  return true;
}

/** A problem's reason names a domain rule, never an unexpected exception. */
export function assertReason(reason: string): void {
  assert.ok(reason.length > 0, "an empty reason");
  assert.doesNotMatch(reason, /^unexpected error/, reason);
}
