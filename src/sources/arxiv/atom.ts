import { XMLParser, XMLValidator } from "fast-xml-parser";
import { z } from "zod";
import {
  type Category,
  describeError,
  normalizeAuthorName,
  normalizeText,
  type PaperRecord,
  type PaperVersion,
  parseArxivId,
  parseCategory,
  parseTimestamp,
  ValidationError,
} from "../../core/index.ts";
import { SourceError } from "../../net/http-client.ts";
import { parseWith, rejectionReason } from "../validation.ts";

/**
 * Parsing of the arXiv API's Atom feeds (`export.arxiv.org/api/query`), plus the small XML helpers the RSS
 * listings parser shares. See https://info.arxiv.org/help/api/user-manual.html for the layout: a `<feed>` with
 * opensearch paging counts and one `<entry>` per paper; errors come back as a feed whose single entry has an
 * id under `https://arxiv.org/api/errors` and the message in `<summary>`.
 */

/** An entry that could not be turned into a record: its id when one could be read, and why. */
export interface FeedProblem {
  id?: string;
  reason: string;
}

/** A record from the arXiv API, with the PDF link the entry gives (PaperRecord has no field for it). */
export interface ArxivApiRecord extends PaperRecord {
  pdfUrl: string | null;
}

export interface AtomFeed {
  totalResults: number;
  startIndex: number;
  itemsPerPage: number;
  records: ArxivApiRecord[];
  problems: FeedProblem[];
  /** Entries in the feed, good and bad (error entries excluded): how far a page moves the paging cursor. */
  entryCount: number;
  /** The `<summary>` of every error entry; non-empty means arXiv refused the query. */
  apiErrors: string[];
}

// ---------------------------------------------------------------------------------------------------------
// XML helpers, shared with the RSS listings parser.

const XML_ENTITIES: Record<string, string> = { lt: "<", gt: ">", amp: "&", quot: '"', apos: "'" };

/**
 * Decodes XML's five named entities and numeric character references in one pass (so `&amp;#233;` stays
 * `&#233;`). The parser's own entity handling is off: it leaves numeric references undecoded.
 */
export function decodeXmlEntities(text: string): string {
  return text.replace(/&(#x[0-9a-f]+|#[0-9]+|[a-z]+);/gi, (whole, name: string) => {
    if (name[0] === "#") {
      const code =
        name[1] === "x" || name[1] === "X" ? Number.parseInt(name.slice(2), 16) : Number(name.slice(1));
      return Number.isInteger(code) && code >= 0 && code <= 0x10ffff ? String.fromCodePoint(code) : whole;
    }
    return Object.hasOwn(XML_ENTITIES, name) ? (XML_ENTITIES[name] as string) : whole;
  });
}

/**
 * A parser for arXiv's feeds. Namespace prefixes are dropped (`arxiv:comment` → `comment`), tag values stay
 * strings (a title "0" must not become the number 0), and the tags in `arrayTags` always come back as arrays.
 */
export function createFeedParser(arrayTags: readonly string[]): XMLParser {
  const arrays = new Set(arrayTags);
  return new XMLParser({
    ignoreAttributes: false,
    attributeNamePrefix: "@_",
    removeNSPrefix: true,
    parseTagValue: false,
    parseAttributeValue: false,
    processEntities: false,
    isArray: (name, _path, _leaf, isAttribute) => !isAttribute && arrays.has(name),
  });
}

/**
 * Checks that `xml` is well formed before parsing: the parser alone reads a body cut half way as a shorter
 * feed, which would pass a partial result off as the whole one.
 */
export function parseXmlDocument(parser: XMLParser, xml: string, url: string): Record<string, unknown> {
  const valid = XMLValidator.validate(xml);
  if (valid !== true) {
    throw new SourceError(
      "parse",
      url,
      `malformed XML from ${url} (cut short?): ${valid.err.msg} at line ${valid.err.line}, column ${valid.err.col}`,
    );
  }
  let doc: unknown;
  try {
    doc = parser.parse(xml);
  } catch (error) {
    // Well-formed XML the parser still refuses: nesting past its limit, a tag named `__proto__`.
    throw new SourceError("parse", url, `unreadable XML from ${url}: ${describeError(error)}`);
  }
  if (doc === null || typeof doc !== "object")
    throw new SourceError("parse", url, `empty XML document from ${url}`);
  return doc as Record<string, unknown>;
}

/** The text of a parsed element: a plain string, or `#text` when the element also has attributes. */
export function xmlText(node: unknown): string | undefined {
  if (typeof node === "string") return decodeXmlEntities(node);
  if (node !== null && typeof node === "object" && "#text" in node) {
    const text = (node as { "#text": unknown })["#text"];
    return typeof text === "string" ? decodeXmlEntities(text) : undefined;
  }
  return undefined;
}

/** A zod schema for an element's text, entities decoded. */
export const textSchema = z.preprocess((node) => xmlText(node) ?? node, z.string());

/** An attribute value (`@_name`), entities decoded. */
export const attributeSchema = z.string().transform(decodeXmlEntities);

/** Whitespace-normalised text, or null when absent or blank. */
export function nullIfBlank(value: string | null | undefined): string | null {
  if (value === null || value === undefined) return null;
  const t = normalizeText(value);
  return t === "" ? null : t;
}

/** Runs `parse` and prefixes the field name to the reason it fails with. */
export function field<T>(name: string, parse: () => T): T {
  try {
    return parse();
  } catch (error) {
    throw new ValidationError("invalid_record", `${name}: ${rejectionReason(error)}`);
  }
}

/**
 * The arXiv categories among `terms`, `primary` first, duplicates dropped. Terms that are not arXiv categories
 * (ACM or MSC classes that some entries carry) are skipped; an entry with no arXiv category at all is rejected.
 */
export function arxivCategories(terms: readonly string[], primary?: string): Category[] {
  const seen = new Set<string>();
  const out: Category[] = [];
  for (const term of primary === undefined ? terms : [primary, ...terms]) {
    let category: Category;
    try {
      category = parseCategory(term);
    } catch {
      continue;
    }
    if (!seen.has(category)) {
      seen.add(category);
      out.push(category);
    }
  }
  if (out.length === 0) {
    throw new ValidationError("invalid_record", `categories: no arXiv category among "${terms.join(", ")}"`);
  }
  return out;
}

// ---------------------------------------------------------------------------------------------------------
// The API's Atom feed.

const termSchema = z.looseObject({ "@_term": attributeSchema });
const linkSchema = z.looseObject({
  "@_href": attributeSchema,
  "@_rel": attributeSchema.optional(),
  "@_type": attributeSchema.optional(),
  "@_title": attributeSchema.optional(),
});

const entrySchema = z.looseObject({
  id: textSchema,
  title: textSchema,
  summary: textSchema.optional(),
  published: textSchema,
  updated: textSchema,
  author: z.array(z.looseObject({ name: textSchema })).default([]),
  category: z.array(termSchema).default([]),
  primary_category: termSchema.optional(),
  comment: textSchema.optional(),
  journal_ref: textSchema.optional(),
  doi: textSchema.optional(),
  link: z.array(linkSchema).default([]),
});

const ERROR_ID = /^https?:\/\/(?:export\.)?arxiv\.org\/api\/errors/;

/** Turns one `<entry>` (as parsed by `createFeedParser`) into a record; throws a ValidationError if it is bad. */
export function parseAtomEntry(node: unknown): ArxivApiRecord {
  const raw = parseWith(entrySchema, node);
  const { id, version } = field("id", () => parseArxivId(raw.id));
  if (version === null) throw new ValidationError("invalid_record", `id: "${raw.id}" names no version`);
  const title = normalizeText(raw.title);
  if (title === "") throw new ValidationError("invalid_record", "title: empty");
  const published = field("published", () => parseTimestamp(raw.published));
  const updated = field("updated", () => parseTimestamp(raw.updated));

  // The entry is the latest version (or the one asked for): `updated` dates it, `published` dates v1.
  const versions: PaperVersion[] =
    version === 1
      ? [{ version: 1, date: published }]
      : [
          { version: 1, date: published },
          { version, date: updated },
        ];
  const pdf = raw.link.find((l) => l["@_title"] === "pdf" || l["@_type"] === "application/pdf");
  return {
    id,
    sources: ["arxiv-api"],
    versions,
    title,
    abstract: normalizeText(raw.summary ?? ""),
    authors: raw.author.map((a) => normalizeAuthorName(a.name)).filter((a) => a.length > 0),
    categories: arxivCategories(
      raw.category.map((c) => c["@_term"]),
      raw.primary_category?.["@_term"],
    ),
    comments: nullIfBlank(raw.comment),
    journalRef: nullIfBlank(raw.journal_ref),
    doi: nullIfBlank(raw.doi),
    publishedAt: published,
    pdfUrl: pdf ? pdf["@_href"] : null,
  };
}

function count(feed: Record<string, unknown>, name: string, url: string): number {
  const text = xmlText(feed[name]);
  // Digits only: Number() would read an empty element as 0, and "1e3" or "0x10" as counts.
  const n = text !== undefined && /^\s*\d+\s*$/.test(text) ? Number(text) : Number.NaN;
  if (!Number.isSafeInteger(n)) {
    throw new SourceError(
      "parse",
      url,
      `arXiv feed from ${url} has no valid opensearch:${name} ("${text ?? ""}")`,
    );
  }
  return n;
}

const feedParser = createFeedParser(["entry", "author", "category", "link"]);

/**
 * Parses an arXiv API response. A malformed document or one without the paging counts is a
 * `SourceError("parse")`; a malformed entry becomes a problem and the other entries still come back.
 */
export function parseAtomFeed(xml: string, url: string): AtomFeed {
  const doc = parseXmlDocument(feedParser, xml, url);
  const feed = doc.feed;
  if (feed === null || typeof feed !== "object" || Array.isArray(feed)) {
    throw new SourceError("parse", url, `not an Atom feed from ${url}: no <feed> element`);
  }
  const f = feed as Record<string, unknown>;
  const entries = Array.isArray(f.entry) ? (f.entry as unknown[]) : [];
  const result: AtomFeed = {
    totalResults: count(f, "totalResults", url),
    startIndex: count(f, "startIndex", url),
    itemsPerPage: count(f, "itemsPerPage", url),
    records: [],
    problems: [],
    entryCount: 0,
    apiErrors: [],
  };
  for (const entry of entries) {
    const rawId =
      entry !== null && typeof entry === "object" ? xmlText((entry as { id?: unknown }).id) : undefined;
    if (rawId !== undefined && ERROR_ID.test(rawId.trim())) {
      const summary = xmlText((entry as { summary?: unknown }).summary);
      result.apiErrors.push(normalizeText(summary ?? rawId));
      continue;
    }
    result.entryCount++;
    try {
      result.records.push(parseAtomEntry(entry));
    } catch (error) {
      const problem: FeedProblem = { reason: rejectionReason(error) };
      const id = rawId === undefined ? undefined : canonicalOrRaw(rawId);
      if (id) problem.id = id;
      result.problems.push(problem);
    }
  }
  return result;
}

/** The canonical id when `input` parses as one, else the trimmed input: for naming an entry in a problem. */
export function canonicalOrRaw(input: string): string {
  try {
    return parseArxivId(input).id;
  } catch {
    return input.trim();
  }
}
