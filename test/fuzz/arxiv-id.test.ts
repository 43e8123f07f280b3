import assert from "node:assert/strict";
import { describe, test } from "node:test";
import fc from "fast-check";
import {
  absUrl,
  isArxivId,
  type ParsedArxivId,
  parseArxivId,
  pdfUrl,
  toArxivId,
} from "../../src/core/arxiv-id.ts";
import { ValidationError } from "../../src/core/errors.ts";
import { check, textOf } from "./fuzz.ts";

const two = (n: number) => String(n).padStart(2, "0");

/** A canonical new-style id: YYMM.NNNN from 0704 to 1412, YYMM.NNNNN from 1501 on. */
const newStyle = fc
  .record({ yy: fc.integer({ min: 7, max: 99 }), mm: fc.integer({ min: 1, max: 12 }), n: fc.nat(99_999) })
  .filter(({ yy, mm }) => yy * 100 + mm >= 704)
  .map(({ yy, mm, n }) => {
    const five = yy * 100 + mm >= 1501;
    return `${two(yy)}${two(mm)}.${String(n % (five ? 100_000 : 10_000)).padStart(five ? 5 : 4, "0")}`;
  });

const ARCHIVES = ["hep-th", "hep-ph", "math", "cond-mat", "astro-ph", "acc-phys", "q-bio", "cs", "physics"];
/** A canonical old-style id: archive/YYMMNNN (the subject class is not part of it). */
const oldStyle = fc
  .record({
    archive: fc.constantFrom(...ARCHIVES),
    yy: fc.nat(99),
    mm: fc.integer({ min: 1, max: 12 }),
    n: fc.nat(999),
  })
  .map(({ archive, yy, mm, n }) => `${archive}/${two(yy)}${two(mm)}${String(n).padStart(3, "0")}`);

const canonical = fc.oneof(newStyle, oldStyle);
const version = fc.option(fc.integer({ min: 1, max: 1_000 }), { nil: null });

/** The same id as people write it: prefixes, URLs, versions, subject classes, a `.pdf`, spaces. */
const written = fc
  .record({
    id: canonical,
    version,
    subject: fc.constantFrom("", ".AG", ".GT", ".stat-mech"),
    form: fc.constantFrom(
      "plain",
      "arXiv:",
      "ARXIV:",
      "https://arxiv.org/abs/",
      "http://export.arxiv.org/abs/",
      "arxiv.org/pdf/",
      "https://huggingface.co/papers/",
      "https://arxiv.org/html/",
    ),
    pdf: fc.boolean(),
    tail: fc.constantFrom("", "/", "?context=cs", "#section", " ", "\n\t"),
    lead: fc.constantFrom("", " ", "\t", "\u00a0"),
  })
  .map(({ id, version, subject, form, pdf, tail, lead }) => {
    const withSubject = id.includes("/") ? id.replace("/", `${subject}/`) : id;
    const core = `${withSubject}${version === null ? "" : `v${version}`}`;
    const url = form === "plain" ? core : `${form}${core}`;
    // A PDF URL ends in `.pdf`, perhaps with a query or fragment after it, never a slash.
    const suffix = pdf && form.startsWith("http") ? `.pdf${tail === "/" ? "" : tail}` : tail;
    const text = `${lead}${url}${suffix}`;
    return { id, version, text };
  });

const ID_PIECES = [
  ...["0", "1", "9", "00", "07", "04", "12", "13", "14", "15", "01", "99", "2405", "0704", "1501", "1412"],
  ...[".", "..", "/", "//", "v", "V", "v0", "v1", "v99999999999999999999", "-", "_", ":", " ", "\n"],
  ...["arXiv:", "arxiv:", "https://", "http://", "arxiv.org", "huggingface.co", "/abs/", "/pdf/", ".pdf"],
  ...["hep-th", "math", ".AG", "cond-mat", "-", "?", "#", "\u0661", "\uff10", "\u00b9"],
];

/** A written id with a few characters inserted, deleted or replaced: near misses, valid or not. */
const nearMiss = fc
  .tuple(
    written,
    fc.array(fc.tuple(fc.nat(), fc.nat(3), fc.constantFrom(...ID_PIECES)), { minLength: 1, maxLength: 3 }),
  )
  .map(([{ text }, edits]) =>
    edits.reduce((s, [at, cut, piece]) => {
      const i = at % (s.length + 1);
      return s.slice(0, i) + piece + s.slice(i + cut);
    }, text),
  );

function attempt(input: string): ParsedArxivId | ValidationError {
  try {
    return parseArxivId(input);
  } catch (error) {
    assert.ok(error instanceof ValidationError, `threw ${String(error)} for ${JSON.stringify(input)}`);
    assert.equal(error.code, "invalid_arxiv_id");
    return error;
  }
}

describe("fuzz: arXiv ids", () => {
  test("parse throws nothing but an invalid_arxiv_id ValidationError, and its id is canonical", () => {
    check(
      fc.property(
        fc.oneof(
          { weight: 3, arbitrary: nearMiss },
          { weight: 2, arbitrary: textOf(ID_PIECES, 12) },
          { weight: 1, arbitrary: fc.string({ maxLength: 30 }) },
        ),
        (input) => {
          const parsed = attempt(input);
          assert.equal(isArxivId(input), !(parsed instanceof ValidationError));
          if (parsed instanceof ValidationError) return;
          assert.equal(toArxivId(parsed.id), parsed.id);
          // Normalising is idempotent: the canonical id parses to itself, without a version.
          assert.deepEqual(parseArxivId(parsed.id), { id: parsed.id, version: null });
          assert.ok(parsed.version === null || (Number.isSafeInteger(parsed.version) && parsed.version >= 1));
        },
      ),
      1_500,
    );
  });

  test("every way of writing a valid id parses to the canonical id and its version", () => {
    check(
      fc.property(written, ({ id, version, text }) => {
        assert.deepEqual(parseArxivId(text), { id, version }, JSON.stringify(text));
      }),
      1_000,
    );
  });

  test("canonical ids round-trip through toArxivId and the abs and pdf URLs", () => {
    check(
      fc.property(canonical, version, (id, v) => {
        const arxivId = toArxivId(id);
        assert.equal(arxivId, id);
        assert.deepEqual(parseArxivId(absUrl(arxivId, v)), { id, version: v });
        assert.deepEqual(parseArxivId(pdfUrl(arxivId, v)), { id, version: v });
      }),
      500,
    );
  });

  test("an id with a version or a prefix is not canonical", () => {
    check(
      fc.property(written, ({ id, text }) => {
        fc.pre(text !== id);
        assert.throws(() => toArxivId(text), ValidationError);
      }),
      300,
    );
  });
});
