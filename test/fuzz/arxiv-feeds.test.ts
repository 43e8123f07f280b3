import assert from "node:assert/strict";
import { describe, test } from "node:test";
import fc from "fast-check";
import type { PaperRecord } from "../../src/core/index.ts";
import { type AtomFeed, parseAtomFeed } from "../../src/sources/arxiv/atom.ts";
import { type OaiMetadataPrefix, parseListRecords } from "../../src/sources/arxiv/oai-parse.ts";
import { check, codeUnit } from "./fuzz.ts";
import { assertPaperRecord, assertReason, assertUnreadable } from "./records.ts";
import { anyMutation, el, type Mutation, mutate, wellFormedMutation, writeXml, type XmlNode } from "./xml.ts";

/**
 * The arXiv API's Atom feed and OAI-PMH pages, built from good entries of which some are mutated. However an
 * entry is broken, the parsers return every other entry as before, report the broken one as a problem with a
 * reason (or, if the document itself is no longer XML they can trust, refuse it with a SourceError), and never
 * return a record of the wrong shape.
 */

const URL = "https://export.arxiv.org/api/query?test";
/** Ids of the good entries: a range none of the mutations writes, so a good entry is known by its id. */
const goodId = (n: number) => `2501.${String(10_000 + n)}`;

function atomEntry(n: number): XmlNode {
  const id = goodId(n);
  return el("entry", [
    el("id", `http://arxiv.org/abs/${id}v2`),
    el("updated", "2025-01-21T10:00:00Z"),
    el("published", "2025-01-20T18:00:00Z"),
    el("title", `Paper ${n}: on  a < b &amp;\n  c`),
    el("summary", "  An abstract,\nwrapped as arXiv wraps them, with $x^2$ and \\'e.\n"),
    el("author", [el("name", "Ada Lovelace")]),
    el("author", [el("name", 'G\\"odel, Kurt')]),
    el("arxiv:comment", "12 pages"),
    el("arxiv:doi", "10.1000/xyz"),
    el("link", "", { href: `http://arxiv.org/abs/${id}v2`, rel: "alternate", type: "text/html" }),
    el("link", "", {
      title: "pdf",
      href: `http://arxiv.org/pdf/${id}v2`,
      rel: "related",
      type: "application/pdf",
    }),
    el("arxiv:primary_category", "", { term: "cs.LG", scheme: "http://arxiv.org/schemas/atom" }),
    el("category", "", { term: "cs.LG" }),
    el("category", "", { term: "stat.ML" }),
    el("category", "", { term: "68T05" }),
  ]);
}

function atomFeed(entries: readonly XmlNode[], counts: Record<string, string> = {}): string {
  const count = (name: string, value: string) =>
    counts[name] === undefined ? `<opensearch:${name}>${value}</opensearch:${name}>` : counts[name];
  return (
    `<?xml version="1.0" encoding="UTF-8"?>\n<feed xmlns="http://www.w3.org/2005/Atom" ` +
    `xmlns:opensearch="http://a9.com/-/spec/opensearch/1.1/" xmlns:arxiv="http://arxiv.org/schemas/atom">` +
    `<title>arXiv Query</title><id>https://arxiv.org/api/x</id>` +
    count("totalResults", String(entries.length)) +
    count("startIndex", "0") +
    count("itemsPerPage", String(entries.length)) +
    entries.map(writeXml).join("\n") +
    "</feed>"
  );
}

function oaiRecord(n: number, prefix: OaiMetadataPrefix): XmlNode {
  const id = goodId(n);
  const common = [
    el("title", `Paper ${n}: on a &lt; b`),
    el("categories", "cs.LG stat.ML"),
    el("comments", "12 pages"),
    el("journal-ref", "J. Tests 1 (2025)"),
    el("license", "http://creativecommons.org/licenses/by/4.0/"),
    el("abstract", "  An abstract,\nwrapped as arXiv wraps them.\n"),
  ];
  const metadata =
    prefix === "arXiv"
      ? el("arXiv", [
          el("id", id),
          el("created", "2025-01-20"),
          el("updated", "2025-01-21"),
          el("authors", [
            el("author", [el("keyname", "Lovelace"), el("forenames", "Ada")]),
            el("author", [el("keyname", 'G\\"odel'), el("forenames", "Kurt"), el("suffix", "Jr")]),
          ]),
          ...common,
        ])
      : el("arXivRaw", [
          el("id", id),
          el("submitter", "Ada Lovelace"),
          el("version", [el("date", "Mon, 20 Jan 2025 18:00:00 GMT"), el("size", "100kb")], {
            version: "v1",
          }),
          el("version", [el("date", "Tue, 21 Jan 2025 10:00:00 GMT"), el("size", "110kb")], {
            version: "v2",
          }),
          el("authors", 'Ada Lovelace, Kurt G\\"odel (IAS) and Alan Turing'),
          ...common,
        ]);
  return el("record", [
    el("header", [
      el("identifier", `oai:arXiv.org:${id}`),
      el("datestamp", "2025-01-21"),
      el("setSpec", "cs"),
    ]),
    el("metadata", [metadata]),
  ]);
}

function deletedRecord(n: number): XmlNode {
  return el("record", [
    el("header", [el("identifier", `oai:arXiv.org:${goodId(n)}`), el("datestamp", "2025-01-21")], {
      status: "deleted",
    }),
  ]);
}

function oaiPage(records: readonly XmlNode[]): string {
  const token = '<resumptionToken cursor="0">next|1</resumptionToken>';
  return (
    `<?xml version="1.0" encoding="UTF-8"?>\n<OAI-PMH xmlns="http://www.openarchives.org/OAI/2.0/">` +
    `<responseDate>2025-01-22T00:00:00Z</responseDate><request verb="ListRecords">http://export.arxiv.org/oai2</request>` +
    `<ListRecords>${records.map(writeXml).join("\n")}${token}</ListRecords></OAI-PMH>`
  );
}

/** Which entries of a page of `size` are broken, and how. */
function damage(mutation: fc.Arbitrary<Mutation>, size = 6) {
  return fc.array(fc.option(fc.array(mutation, { minLength: 1, maxLength: 3 }), { freq: 2, nil: null }), {
    minLength: 1,
    maxLength: size,
  });
}

function tryParse<T>(parse: () => T): T | null {
  try {
    return parse();
  } catch (error) {
    assertUnreadable(error);
    return null;
  }
}

const byId = (records: readonly PaperRecord[]) => new Map(records.map((r) => [r.id as string, r]));
const bibliographic = { bibliographic: true };

/** The records of the good entries, read from a feed of good entries only. */
const atomBaseline = byId(
  parseAtomFeed(atomFeed(Array.from({ length: 6 }, (_, n) => atomEntry(n))), URL).records,
);

/**
 * A feed's counts add up and its records are valid. `entries` is how many the feed was written with: exact
 * when the XML is well formed, an upper bound when raw fragments may have swallowed entries (an unclosed CDATA
 * section, say, that a later one closes: the document then really has fewer).
 */
function assertAtomFeed(feed: AtomFeed, entries: number, exact = true): void {
  const seen = feed.entryCount + feed.apiErrors.length;
  if (exact) assert.equal(seen, entries, "an entry was neither counted nor an error");
  else assert.ok(seen <= entries, "more entries than were written");
  assert.equal(feed.records.length + feed.problems.length, feed.entryCount, "an entry was lost");
  for (const record of feed.records) {
    assertPaperRecord(record, bibliographic);
    assert.ok(record.pdfUrl === null || typeof record.pdfUrl === "string");
  }
  for (const problem of feed.problems) assertReason(problem.reason);
  for (const error of feed.apiErrors) assert.equal(typeof error, "string");
}

describe("fuzz: the arXiv API's Atom feed", () => {
  test("the baseline feed reads every good entry", () => {
    assert.equal(atomBaseline.size, 6);
    for (const record of atomBaseline.values()) assertPaperRecord(record, bibliographic);
  });

  test("broken entries become problems; the good entries around them come back unchanged", () => {
    check(
      fc.property(damage(wellFormedMutation), (plan) => {
        const entries = plan.map((m, n) => (m === null ? atomEntry(n) : mutate(atomEntry(n), m)));
        const feed = parseAtomFeed(atomFeed(entries), URL);
        assertAtomFeed(feed, entries.length);
        const read = byId(feed.records);
        plan.forEach((m, n) => {
          if (m === null) assert.deepEqual(read.get(goodId(n)), atomBaseline.get(goodId(n)), `entry ${n}`);
        });
      }),
      150,
    );
  });

  test("ill-formed entries: a SourceError for the document, or counts that add up and valid records", () => {
    check(
      fc.property(damage(anyMutation), (plan) => {
        const entries = plan.map((m, n) => (m === null ? atomEntry(n) : mutate(atomEntry(n), m)));
        const feed = tryParse(() => parseAtomFeed(atomFeed(entries), URL));
        if (feed) assertAtomFeed(feed, entries.length, false);
      }),
      120,
    );
  });

  test("paging counts that are missing or not counts refuse the document", () => {
    const value = fc.constantFrom(
      "",
      "-1",
      "1.5",
      "1e3",
      "NaN",
      "9007199254740993",
      "ten",
      "<b>1</b>",
      "0x10",
    );
    check(
      fc.property(fc.constantFrom("totalResults", "startIndex", "itemsPerPage"), value, (name, bad) => {
        const counts = {
          [name]: bad.startsWith("<") ? bad : `<opensearch:${name}>${bad}</opensearch:${name}>`,
        };
        assert.throws(() => parseAtomFeed(atomFeed([atomEntry(0)], counts), URL), assertUnreadable);
      }),
      50,
    );
  });
});

describe("fuzz: OAI-PMH ListRecords pages", () => {
  for (const prefix of ["arXiv", "arXivRaw"] as const) {
    const baseline = (() => {
      const page = parseListRecords(
        oaiPage(Array.from({ length: 6 }, (_, n) => oaiRecord(n, prefix))),
        prefix,
        URL,
      );
      assert.equal(page.kind, "records");
      return byId(page.kind === "records" ? page.records : []);
    })();

    test(`${prefix}: broken records become problems; the good ones around them come back unchanged`, () => {
      assert.equal(baseline.size, 6);
      check(
        fc.property(damage(wellFormedMutation), fc.boolean(), (plan, withDeleted) => {
          const records = plan.map((m, n) =>
            m === null ? oaiRecord(n, prefix) : mutate(oaiRecord(n, prefix), m),
          );
          if (withDeleted) records.push(deletedRecord(99));
          const xml = oaiPage(records);
          if (/<!DOCTYPE|<!ENTITY/i.test(xml)) {
            // By design the OAI parser (which expands entities) refuses any page with DTD-like text, even in a
            // CDATA section, rather than tell a real declaration from text: a typed refusal, not a lost record.
            assert.throws(() => parseListRecords(xml, prefix, URL), assertUnreadable);
            return;
          }
          const page = parseListRecords(xml, prefix, URL);
          assert.equal(page.kind, "records");
          if (page.kind !== "records") return;
          assert.equal(
            page.records.length + page.deleted.length + page.problems.length,
            records.length,
            "a record was lost or counted twice",
          );
          for (const record of page.records) assertPaperRecord(record, bibliographic);
          for (const problem of page.problems) assertReason(problem.reason);
          const read = byId(page.records);
          plan.forEach((m, n) => {
            if (m === null) assert.deepEqual(read.get(goodId(n)), baseline.get(goodId(n)), `record ${n}`);
          });
          if (withDeleted) assert.ok(page.deleted.includes(goodId(99) as never));
        }),
        120,
      );
    });

    test(`${prefix}: ill-formed records: a SourceError for the page, or counts that add up and valid records`, () => {
      check(
        fc.property(damage(anyMutation), (plan) => {
          const records = plan.map((m, n) =>
            m === null ? oaiRecord(n, prefix) : mutate(oaiRecord(n, prefix), m),
          );
          const page = tryParse(() => parseListRecords(oaiPage(records), prefix, URL));
          if (page === null || page.kind === "error") return;
          // At most as many as written: raw fragments may have swallowed records (see assertAtomFeed).
          assert.ok(page.records.length + page.deleted.length + page.problems.length <= records.length);
          for (const record of page.records) assertPaperRecord(record, bibliographic);
          for (const problem of page.problems) assertReason(problem.reason);
        }),
        100,
      );
    });
  }
});

describe("fuzz: documents that are not feeds", () => {
  const garbage = fc.oneof(
    fc.string({ maxLength: 200 }),
    fc.string({ unit: codeUnit, maxLength: 50 }),
    fc.constantFrom(
      "",
      "<html><body>503 Service Unavailable</body></html>",
      '{"error": "rate limited"}',
      "<feed>",
      "<OAI-PMH>",
      "<feed><entry></feed>",
      `<feed>${"<a>".repeat(200)}${"</a>".repeat(200)}</feed>`,
      `<OAI-PMH><ListRecords>${"<a>".repeat(200)}${"</a>".repeat(200)}</ListRecords></OAI-PMH>`,
      "<feed><constructor/></feed>",
      "<OAI-PMH><ListRecords><__proto__/></ListRecords></OAI-PMH>",
      '<!DOCTYPE feed [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;">]><feed>&b;</feed>',
      "<!DOCTYPE feed [<!ENTITY x SYSTEM 'file:///etc/passwd'>]><feed>&x;</feed>",
      "<!DOCTYPE feed [<!ELEMENT",
    ),
  );

  test("refused with a SourceError of kind parse, never another exception", () => {
    check(
      fc.property(garbage, (text) => {
        tryParse(() => parseAtomFeed(text, URL));
        tryParse(() => parseListRecords(text, "arXiv", URL));
        tryParse(() => parseListRecords(text, "arXivRaw", URL));
      }),
      150,
    );
  });

  test("a feed or page cut short anywhere is refused, not read as a shorter one", () => {
    const atom = atomFeed(Array.from({ length: 3 }, (_, n) => atomEntry(n)));
    const oai = oaiPage(Array.from({ length: 3 }, (_, n) => oaiRecord(n, "arXivRaw")));
    check(
      fc.property(fc.double({ min: 0, max: 1, noNaN: true, maxExcluded: true }), (at) => {
        const cutAtom = atom.slice(0, Math.floor(at * atom.trimEnd().length));
        assert.throws(() => parseAtomFeed(cutAtom, URL), assertUnreadable);
        const cutOai = oai.slice(0, Math.floor(at * oai.trimEnd().length));
        assert.throws(() => parseListRecords(cutOai, "arXivRaw", URL), assertUnreadable);
      }),
      200,
    );
  });
});
