import { z } from "zod";
import {
  normalizeAuthorName,
  normalizeText,
  type PaperRecord,
  type PaperVersion,
  parseArxivId,
  parseCategoryList,
  parseTimestamp,
  ValidationError,
} from "../../core/index.ts";
import { parseWith } from "../validation.ts";

/**
 * One line of arXiv's public bulk metadata file ("arxiv-metadata-oai-snapshot.json"): id, submitter, authors,
 * title, comments, journal-ref, doi, report-no, categories, license, abstract, versions, update_date,
 * authors_parsed.
 */
const optionalText = z.string().nullish();
/** A version label as arXiv writes it, `v1`, `v2`, ...: there is no v0, and a few digits keep it a safe number. */
export const VERSION_LABEL = /^v[1-9]\d{0,5}$/;
const snapshotSchema = z.looseObject({
  id: z.string().min(1),
  title: z.string().min(1, "title is empty"),
  abstract: z.string().nullish(),
  authors: z.string().nullish(),
  authors_parsed: z.array(z.array(z.string())).nullish(),
  categories: z.string().min(1, "no categories"),
  comments: optionalText,
  "journal-ref": optionalText,
  doi: optionalText,
  "report-no": optionalText,
  license: optionalText,
  versions: z.array(
    z.object({ version: z.string().regex(VERSION_LABEL, "expected v1, v2, ..."), created: z.string() }),
  ),
});

function nullIfBlank(value: string | null | undefined): string | null {
  if (value === null || value === undefined) return null;
  const t = normalizeText(value);
  return t === "" ? null : t;
}

/** `[last, first, suffix, ...affiliations]` → "First Last Suffix". */
function authorFromParsed(parts: string[]): string {
  const [last = "", first = "", suffix = ""] = parts;
  return normalizeAuthorName(`${first} ${last} ${suffix}`);
}

/** Splits the free-text author line ("A, B and C (Univ)") when no parsed form is given. */
export function splitAuthorLine(line: string): string[] {
  const withoutAffiliations = line.replace(/\([^()]*\)/g, " ");
  return withoutAffiliations
    .split(/,|\band\b|;/)
    .map(normalizeAuthorName)
    .filter((name) => name.length > 0);
}

export function parseSnapshotRecord(value: unknown): PaperRecord {
  const raw = parseWith(snapshotSchema, value);
  const { id, version } = parseArxivId(raw.id);
  if (version !== null)
    throw new ValidationError(
      "invalid_record",
      `id "${raw.id}" carries a version; the snapshot lists versions apart`,
    );
  const versions: PaperVersion[] = raw.versions.map((v) => ({
    version: Number(v.version.slice(1)),
    date: parseTimestamp(v.created),
  }));
  if (versions.length === 0) throw new ValidationError("invalid_record", "versions: no versions listed");
  if (new Set(versions.map((v) => v.version)).size < versions.length) {
    throw new ValidationError("invalid_record", "versions: a version is listed twice");
  }
  // A title of white space or control characters passes `min(1)` but is no title.
  const title = normalizeText(raw.title);
  if (title === "") throw new ValidationError("invalid_record", "title: empty");
  const categories = parseCategoryList(raw.categories);
  if (categories.length === 0) {
    throw new ValidationError("invalid_record", `categories: none in "${raw.categories}"`);
  }
  const authors =
    raw.authors_parsed && raw.authors_parsed.length > 0
      ? raw.authors_parsed.map(authorFromParsed).filter((a) => a.length > 0)
      : splitAuthorLine(raw.authors ?? "");
  return {
    id,
    sources: ["arxiv-snapshot"],
    versions,
    title,
    abstract: normalizeText(raw.abstract ?? ""),
    authors,
    categories,
    comments: nullIfBlank(raw.comments),
    journalRef: nullIfBlank(raw["journal-ref"]),
    doi: nullIfBlank(raw.doi),
    reportNo: nullIfBlank(raw["report-no"]),
    license: nullIfBlank(raw.license),
  };
}
