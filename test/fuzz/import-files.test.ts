import assert from "node:assert/strict";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, test } from "node:test";
import fc from "fast-check";
import { type IsoDate, type IsoTimestamp, mergePaper } from "../../src/core/index.ts";
import { importFiles } from "../../src/jobs/import-files.ts";
import { parseSnapshotRecord } from "../../src/sources/arxiv/snapshot.ts";
import { detectFormat, type FileFormat, recordParser } from "../../src/sources/files/formats.ts";
import { exportDailyLine, exportHeader, exportPaperLine } from "../../src/sources/files/paperboy-export.ts";
import { parseHfDailyEntry } from "../../src/sources/hf/entry.ts";
import { openSqliteStore } from "../../src/store/sqlite.ts";
import type { Store } from "../../src/store/store.ts";
import { buildArxivRecord, buildDailyRecord, buildHfRecord, id } from "../helpers/factories.ts";
import { check, checkAsync, codeUnit } from "./fuzz.ts";
import { type Json, jsonMutation, mutateJson } from "./json.ts";
import { assertDailyRecord, assertPaperRecord, assertReason, assertRejection } from "./records.ts";

/**
 * The bulk import's record parsers (arXiv snapshot lines, Hugging Face daily entries, Paperboy export lines)
 * and the importer around them. A record, however broken, parses to a valid record or is rejected with a
 * domain error; in a file, a broken record is one problem and every good record around it is stored.
 */

const NOW = "2026-01-01T00:00:00.000Z" as IsoTimestamp;
const DAY = "2025-01-21" as IsoDate;
/** Good records get ids no mutation writes, unique across runs (the store is shared), so each is known by id. */
let nextId = 0;
const freshId = () => `2501.${String(10_000 + nextId++)}`;

function snapshotLine(arxivId: string): Json {
  return {
    id: arxivId,
    submitter: "Ada Lovelace",
    authors: 'Ada Lovelace, Kurt G\\"odel (IAS) and Alan Turing',
    title: "A title\n  wrapped as arXiv wraps it",
    comments: "12 pages",
    "journal-ref": null,
    doi: "10.1000/xyz",
    "report-no": null,
    categories: "cs.LG stat.ML",
    license: null,
    abstract: "  An abstract with $x^2$.\n",
    versions: [
      { version: "v1", created: "Mon, 20 Jan 2025 18:00:00 GMT" },
      { version: "v2", created: "Tue, 21 Jan 2025 10:00:00 GMT" },
    ],
    update_date: "2025-01-21",
    authors_parsed: [
      ["Lovelace", "Ada", ""],
      ['G\\"odel', "Kurt", ""],
      ["Turing", "Alan", ""],
    ],
  };
}

function hfEntry(arxivId: string): Json {
  return {
    paper: {
      id: arxivId,
      authors: [
        { _id: "1", name: "Ada Lovelace", hidden: false },
        { _id: "2", name: "Alan Turing", user: { user: "aturing", fullname: "Alan Turing" } },
      ],
      publishedAt: "2025-01-20T18:00:00.000Z",
      submittedOnDailyAt: "2025-01-21T03:50:58.348Z",
      title: "A title\n  wrapped",
      summary: "An abstract.",
      upvotes: 32,
      githubRepo: "https://github.com/o/r",
      githubStars: 120,
      projectPage: "https://example.org/project",
      ai_summary: "A summary.",
      ai_keywords: ["LMM", "ConvNeXt"],
      submittedOnDailyBy: { user: "akhaliq", fullname: "AK" },
      organization: { name: "org", fullname: "An Organisation" },
    },
    publishedAt: "2025-01-21T03:50:58.348Z",
    title: "A title wrapped",
    numComments: 3,
    submittedBy: { user: "akhaliq", fullname: "AK" },
  };
}

function exportPaper(arxivId: string): Json {
  const record = buildArxivRecord({ id: id(arxivId), sources: ["arxiv-snapshot", "hf-daily"] });
  const paper = mergePaper(null, record, NOW).paper;
  const enriched = mergePaper(paper, buildHfRecord({ id: id(arxivId) }), NOW).paper;
  return JSON.parse(exportPaperLine(enriched)) as Json;
}

function exportDaily(arxivId: string): Json {
  const daily = {
    ...buildDailyRecord({ paperId: id(arxivId), date: DAY }),
    firstSeenAt: NOW,
    lastUpdatedAt: NOW,
  };
  return JSON.parse(exportDailyLine(daily)) as Json;
}

const broken = fc.array(jsonMutation, { minLength: 1, maxLength: 4 });
const anyJson = fc.oneof(
  fc.jsonValue() as fc.Arbitrary<Json>,
  fc.anything({ maxDepth: 3, withNullPrototype: true, withBoxedValues: true, withSparseArray: true }),
);

/** Runs a record parser: a valid item, or a domain error. */
function parseOrReject<T>(parse: () => T, checkItem: (item: T) => void): void {
  let item: T;
  try {
    item = parse();
  } catch (error) {
    assertRejection(error);
    return;
  }
  checkItem(item);
}

const arxivRules = { bibliographic: true };
const anyRules = { bibliographic: false };

describe("fuzz: the record parsers", () => {
  test("good records parse", () => {
    assertPaperRecord(parseSnapshotRecord(snapshotLine("2501.00001")), arxivRules);
    const hf = parseHfDailyEntry(hfEntry("2501.00001"));
    assertPaperRecord(hf.paper, anyRules);
    assertDailyRecord(hf.daily);
    const parse = recordParser("paperboy-export", undefined);
    const paper = parse(exportPaper("2501.00001")).paper;
    assert.ok(paper);
    assertPaperRecord(paper, anyRules);
    const daily = parse(exportDaily("2501.00001")).daily;
    assert.ok(daily);
    assertDailyRecord(daily);
  });

  test("snapshot lines: a valid record or a domain error", () => {
    check(
      fc.property(
        fc.oneof(
          broken.map((m) => mutateJson(snapshotLine("2501.00001"), m)),
          anyJson,
        ),
        (value) => {
          parseOrReject(
            () => parseSnapshotRecord(value),
            (record) => assertPaperRecord(record, arxivRules),
          );
        },
      ),
      500,
    );
  });

  test("Hugging Face daily entries, with the file's day or their own: a valid item or a domain error", () => {
    check(
      fc.property(
        fc.oneof(
          broken.map((m) => mutateJson(hfEntry("2501.00001"), m)),
          anyJson,
        ),
        fc.constantFrom(DAY, undefined),
        (value, day) => {
          parseOrReject(
            () => parseHfDailyEntry(value, day),
            ({ paper, daily }) => {
              assertPaperRecord(paper, anyRules);
              assertDailyRecord(daily);
              assert.equal(daily.paperId, paper.id);
              if (day) assert.equal(daily.date, day);
            },
          );
        },
      ),
      500,
    );
  });

  test("Paperboy export lines: a valid item or a domain error", () => {
    const parse = recordParser("paperboy-export", undefined);
    const lines = fc.oneof(
      broken.map((m) => mutateJson(exportPaper("2501.00001"), m)),
      broken.map((m) => mutateJson(exportDaily("2501.00001"), m)),
      anyJson,
    );
    check(
      fc.property(lines, (value) => {
        parseOrReject(
          () => parse(value),
          (item) => {
            if (item.paper) assertPaperRecord(item.paper, anyRules);
            if (item.daily) assertDailyRecord(item.daily);
          },
        );
      }),
      500,
    );
  });

  test("format detection never throws, whatever the file starts with", () => {
    const heads = fc.oneof(
      fc.string({ maxLength: 100 }),
      fc.string({ unit: codeUnit, maxLength: 40 }),
      anyJson.map((v) => `${JSON.stringify(v) ?? ""}\n{"id": "x"}`),
      fc.constantFrom("\ufeff", "{", "[", "{}\n{}", '{"type":"paper"}', '{\n  "date": 1,', "\ufeff\n\n  {"),
    );
    check(
      fc.property(heads, (head) => {
        const detected = detectFormat(head);
        assert.ok(
          "error" in detected ? typeof detected.error === "string" : typeof detected.format === "string",
        );
      }),
      500,
    );
  });
});

interface FileCase {
  format: FileFormat | "hf-daily-wrapped";
  /** A good record with a fresh id, as JSON, and that id. */
  good: () => { value: Json; id: string };
}

const CASES: FileCase[] = [
  { format: "arxiv-snapshot", good: () => withId(snapshotLine) },
  { format: "hf-daily-lines", good: () => withId(hfEntry) },
  { format: "hf-daily", good: () => withId(hfEntry) },
  { format: "hf-daily-wrapped", good: () => withId(hfEntry) },
  { format: "paperboy-export", good: () => withId(exportPaper) },
];

function withId(build: (arxivId: string) => Json): { value: Json; id: string } {
  const arxivId = freshId();
  return { value: build(arxivId), id: arxivId };
}

/**
 * Broken records that keep their format's look: a record given the keys by which another format is recognised
 * (`paper`, `type`, `data`...) is, to format detection, a record of that format, so it is left out here.
 */
const brokenInPlace = broken.filter((ms) =>
  ms.every((m) => m.kind !== "add" || !["paper", "type", "data", "id"].includes(m.key)),
);

/** Lines that are no record at all: broken JSON, JSON that is not an object, blank lines. */
const junkLine = fc.constantFrom(
  "not json",
  "{",
  '{"id": ',
  "[]",
  "null",
  '"text"',
  "123",
  "{}",
  "",
  "   ",
  "\t",
);

describe("fuzz: importing files: a bad record never loses the good ones around it", () => {
  let dir: string;
  let store: Store;
  before(async () => {
    dir = mkdtempSync(join(tmpdir(), "paperboy-fuzz-"));
    store = openSqliteStore(join(dir, "paperboy.db"));
    await store.migrate();
  });
  after(async () => {
    await store.close();
    rmSync(dir, { recursive: true, force: true });
  });

  let fileNumber = 0;
  for (const { format, good } of CASES) {
    const lines = format !== "hf-daily" && format !== "hf-daily-wrapped";
    test(format, async () => {
      const plan = fc.array(
        fc.oneof(
          { weight: 2, arbitrary: fc.constant({ kind: "good" as const }) },
          {
            weight: 2,
            arbitrary: brokenInPlace.map((mutations) => ({ kind: "broken" as const, mutations })),
          },
          { weight: lines ? 1 : 0, arbitrary: junkLine.map((text) => ({ kind: "junk" as const, text })) },
        ),
        { minLength: 1, maxLength: 8 },
      );
      await checkAsync(
        fc.asyncProperty(plan, async (steps) => {
          // A file starting with `[` is an array, and `{` alone on the first line opens a pretty-printed
          // document: a JSON lines file beginning with such junk cannot be told from one.
          const top = steps.find((s) => s.kind !== "junk" || s.text.trim() !== "");
          fc.pre(top?.kind !== "junk" || !["{", "[]"].includes(top.text));
          const goodIds: string[] = [];
          const records: string[] = [];
          const values: Json[] = [];
          for (const step of steps) {
            if (step.kind === "junk") {
              records.push(step.text);
              continue;
            }
            const { value, id: arxivId } = good();
            const written = step.kind === "good" ? value : mutateJson(value, step.mutations);
            if (step.kind === "good") goodIds.push(arxivId);
            records.push(JSON.stringify(written));
            values.push(written);
          }
          const file = join(dir, `${DAY}-${fileNumber++}.json${lines ? "l" : ""}`);
          const body =
            format === "paperboy-export"
              ? [exportHeader(new Date(NOW)), ...records].join("\n")
              : format === "hf-daily"
                ? JSON.stringify(values)
                : format === "hf-daily-wrapped"
                  ? JSON.stringify({ date: DAY, data: values }, null, 2)
                  : records.join("\n");
          writeFileSync(file, body);

          const summary = await importFiles(store, [file], { now: () => NOW, maxProblems: 1_000 });
          const recordProblems = summary.problems.filter(
            (p) => p.line !== undefined || p.entry !== undefined,
          );
          for (const problem of summary.problems) assertReason(problem.reason);
          const fileProblems = summary.problems.filter((p) => p.line === undefined && p.entry === undefined);
          if (fileProblems.length > 0) {
            // Refusing a file as a whole (empty, or no record of a known shape) is fine when nothing good is lost.
            assert.deepEqual(goodIds, [], `a file with good records was refused: ${fileProblems[0]?.reason}`);
            return;
          }
          const nonBlank = lines ? records.filter((r) => r.trim() !== "").length : values.length;
          assert.equal(summary.read, nonBlank + (format === "paperboy-export" ? 1 : 0), "records read");
          const papers = summary.added + summary.updated + summary.unchanged;
          const headers = format === "paperboy-export" ? 1 : 0;
          assert.equal(
            papers + recordProblems.length + headers,
            summary.read,
            "a record was not accounted for",
          );
          for (const goodId of goodIds) {
            const stored = await store.getPaper(id(goodId));
            assert.ok(stored, `good record ${goodId} was not stored`);
          }
          if (format.startsWith("hf-daily")) {
            const featured = new Set((await store.dailyEntries(DAY)).map((e) => e.paperId as string));
            for (const goodId of goodIds) assert.ok(featured.has(goodId), `good entry ${goodId} not listed`);
          }
        }),
        25,
      );
    });
  }
});
