import assert from "node:assert/strict";
import { describe, test } from "node:test";
import fc from "fast-check";
import { type ArxivId, type IsoTimestamp, type Paper, toArxivId } from "../../src/core/index.ts";
import { tagsFrom } from "../../src/jobs/library-import.ts";
import {
  EXPORT_FORMATS,
  type ExportItem,
  LIBRARY_FORMATS,
  parseLibraryFile,
  writeLibrary,
} from "../../src/sources/library/index.ts";
import { normalizeTags } from "../../src/store/community/index.ts";
import { check, edgeStrings, textOf } from "./fuzz.ts";

/** The syntax of every format the importer reads, to be scattered in unexpected places. */
const PIECES = [
  "@article{",
  "@misc(",
  "@string{x = ",
  "@comment{",
  "@preamble{",
  "}",
  "{",
  "(",
  ")",
  ",",
  " = ",
  '"',
  " # ",
  "\\'e",
  "\\",
  "title",
  "eprint = {2104.12255}",
  "doi = {10.48550/arXiv.2104.12255}",
  "url = {https://arxiv.org/abs/hep-th/9901001v2}",
  "keywords = {a; b, c}",
  "\n",
  "\r\n",
  "TY  - JOUR",
  "TI  - ",
  "AU  - ",
  "UR  - ",
  "KW  - ",
  "ER  - ",
  "[",
  "]",
  '{"title": "',
  '"number": "arXiv:',
  '"keyword": "',
  "arxiv_id,title,tags",
  "2104.12255",
  "arXiv:",
  "https://doi.org/",
  "10.1000/x",
  "#",
];

function linesIn(text: string): number {
  return text.split("\n").length;
}

describe("library file readers under hostile input", () => {
  test("never throw; every entry and problem has a line inside the file; ids come out canonical", () => {
    const input = fc.oneof(textOf(PIECES, 60), fc.constantFrom(...edgeStrings(PIECES)));
    check(
      fc.property(input, fc.constantFrom(undefined, ...LIBRARY_FORMATS), (text, format) => {
        const parsed = parseLibraryFile(text, format);
        const max = linesIn(text.replace(/^\uFEFF/, ""));
        for (const e of parsed.entries) {
          assert.ok(e.line >= 1 && e.line <= max, `entry line ${e.line} of ${max}`);
          if (e.arxivId !== null) assert.equal(toArxivId(e.arxivId), e.arxivId);
          assert.ok(e.title !== null || e.arxivId !== null || e.doi !== null);
        }
        for (const p of parsed.problems) {
          assert.ok(p.line >= 1 && p.line <= max, `problem line ${p.line} of ${max}`);
          assert.ok(p.reason.length > 0);
        }
      }),
      400,
    );
  });

  test("keywords and collections always become tags the library accepts", () => {
    check(
      fc.property(fc.array(textOf(["Deep Learning", "(RL)", "a,b", "  ", "#x", "İ", "-", "é"], 8)), (raw) => {
        const tags = tagsFrom(raw);
        assert.deepEqual(normalizeTags(tags), tags);
      }),
      300,
    );
  });
});

const id = fc.oneof(
  fc.integer({ min: 0, max: 99_999 }).map((n) => `2104.${String(n).padStart(5, "0")}`),
  fc.integer({ min: 0, max: 999 }).map((n) => `hep-th/9901${String(n).padStart(3, "0")}`),
);
const text = fc.string({ unit: "grapheme", minLength: 1, maxLength: 30 }).filter((s) => /\p{L}/u.test(s));
const tag = fc
  .stringMatching(/^[a-z0-9][a-z0-9 _.+:/#-]{0,20}$/)
  .map((t) => t.replace(/\s+/g, " ").trim())
  .filter((t) => t !== "");

function paper(paperId: string, title: string, authors: string[]): Paper {
  const at = "2021-04-25T10:00:00.000Z" as IsoTimestamp;
  return {
    id: paperId as ArxivId,
    title,
    abstract: "An abstract.",
    authors,
    categories: [],
    versions: [{ version: 1, date: at }],
    comments: null,
    journalRef: null,
    doi: null,
    reportNo: null,
    license: null,
    publishedAt: at,
    links: { abs: "", pdf: "", code: null, project: null },
    githubStars: null,
    aiSummary: null,
    aiKeywords: [],
    enrichedAt: null,
    starsObservedAt: null,
    withdrawnAt: null,
    sources: [],
    firstSeenAt: at,
    lastUpdatedAt: at,
  };
}

describe("library export round trip", () => {
  test("every export format reads back with the same ids and tags, and no problem", () => {
    const items = fc.uniqueArray(
      fc.record({
        id,
        title: text,
        authors: fc.array(text, { maxLength: 3 }),
        tags: fc.uniqueArray(tag, { maxLength: 4 }),
      }),
      { selector: (r) => r.id, maxLength: 6 },
    );
    check(
      fc.property(items, fc.constantFrom(...EXPORT_FORMATS), (records, format) => {
        const list: ExportItem[] = records.map((r) => ({
          paper: paper(r.id, r.title, r.authors),
          tags: normalizeTags(r.tags),
          savedAt: "2024-01-01T00:00:00.000Z" as IsoTimestamp,
          readAt: null,
        }));
        const back = parseLibraryFile(writeLibrary(list, format));
        assert.deepEqual(back.problems, []);
        assert.deepEqual(
          back.entries.map((e) => [e.arxivId, tagsFrom(e.tags)]),
          list.map((i) => [i.paper.id, [...i.tags]]),
        );
      }),
      200,
    );
  });
});
