import assert from "node:assert/strict";
import { describe, it } from "node:test";
import type { ArxivId, IsoTimestamp, Paper } from "../../src/core/index.ts";
import {
  detectLibraryFormat,
  EXPORT_FORMATS,
  type ExportItem,
  parseLibraryFile,
  writeLibrary,
} from "../../src/sources/library/index.ts";
import { cats, id, ts } from "../helpers/factories.ts";

const BIB = `% exported by a reference manager
@string{neurips = "Advances in Neural Information Processing Systems"}

@article{okafor2021tides,
  title     = {Tidal {Flow} Estimation with Sparse Buoys},
  author    = {Okafor, Ngozi and M{\\"u}ller, J{\\"o}rg},
  journal   = {arXiv preprint arXiv:2104.12255},
  year      = 2021,
  keywords  = {oceans; sensing},
}

@inproceedings{lind2019,
  title = "Quiet Gradients for " # neurips,
  author = {Lind, Siri},
  booktitle = neurips,
  year = {2019},
  doi = {10.48550/arXiv.1605.08386},
}

@misc{broken2020,
  title = {A title that never closes,
  author = {Nobody},
}

@misc{astro,
  title = {Dust Lanes in Dwarf Galaxies},
  eprint = {astro-ph/0601001v2},
  archivePrefix = {arXiv},
  groups = {To read, Galaxies},
}

@book{paperOnly,
  title = {A Book About Rivers},
  author = {Hale, Dana},
  year = {2003},
}

@misc{empty, note = {nothing useful}}
`;

const RIS = `TY  - JOUR
TI  - Tidal Flow Estimation with Sparse Buoys
AU  - Okafor, Ngozi
AU  - Müller, Jörg
PY  - 2021
UR  - https://arxiv.org/abs/2104.12255v1
KW  - oceans
KW  - sensing
ER  - 

AU  - Stray, Line
TY  - GEN
TI  - Quiet Gradients
  for Small Networks
DO  - 10.48550/arXiv.1605.08386
ER  - 

TY  - BOOK
PY  - 2003
ER  - 
TY  - RPRT
TI  - No end in sight
`;

const CSL = `[
  {
    "id": "okafor2021",
    "type": "article",
    "title": "Tidal Flow Estimation with Sparse Buoys",
    "author": [{ "family": "Okafor", "given": "Ngozi" }, { "literal": "Jörg Müller" }],
    "issued": { "date-parts": [[2021, 4]] },
    "number": "arXiv:2104.12255",
    "keyword": "oceans, sensing"
  },
  "not an item",
  {
    "id": "quiet",
    "type": "article",
    "title": "Quiet Gradients",
    "URL": "http://arxiv.org/abs/1605.08386v3",
    "custom": { "collections": ["Optimisation"] }
  },
  { "id": 7, "type": "book" }
]
`;

const LIST = `# papers to keep
2104.12255
https://arxiv.org/pdf/1605.08386v2
arXiv:astro-ph/0601001

10.48550/arXiv.quant-ph/0201082
https://doi.org/10.1000/some.journal.42
not an id at all
`;

describe("library import formats", () => {
  it("detects each format from its content", () => {
    assert.equal(detectLibraryFormat(BIB), "bibtex");
    assert.equal(detectLibraryFormat(RIS), "ris");
    assert.equal(detectLibraryFormat(CSL), "csl-json");
    assert.equal(detectLibraryFormat(LIST), "list");
    assert.equal(detectLibraryFormat("arxiv_id,title,tags\n2104.12255,T,a\n"), "csv");
  });

  it("BibTeX: ids from journal, DOI and eprint; keywords and groups as tags; bad entries with their lines", () => {
    const { entries, problems } = parseLibraryFile(BIB);
    assert.deepEqual(
      entries.map((e) => [e.label, e.line, e.arxivId, e.title]),
      [
        ["okafor2021tides", 4, "2104.12255", "Tidal Flow Estimation with Sparse Buoys"],
        [
          "lind2019",
          12,
          "1605.08386",
          "Quiet Gradients for Advances in Neural Information Processing Systems",
        ],
        ["astro", 25, "astro-ph/0601001", "Dust Lanes in Dwarf Galaxies"],
        ["paperOnly", 32, null, "A Book About Rivers"],
      ],
    );
    assert.deepEqual(entries[0]?.authors, ["Ngozi Okafor", "Jörg Müller"]);
    assert.equal(entries[0]?.year, "2021");
    assert.deepEqual(entries[0]?.tags, ["oceans", "sensing"]);
    assert.deepEqual(entries[2]?.tags, ["To read", "Galaxies"]);
    assert.equal(entries[1]?.doi, "10.48550/arXiv.1605.08386");
    assert.deepEqual(
      problems.map((p) => p.line),
      [20, 38],
    );
    assert.match(problems[0]?.reason ?? "", /expected , or \} \(line 25\)/);
    assert.match(problems[1]?.reason ?? "", /no title, arXiv id or DOI/);
  });

  it("RIS: URLs and arXiv DOIs give ids, wrapped lines join, stray and unended references are reported", () => {
    const { entries, problems } = parseLibraryFile(RIS);
    assert.deepEqual(
      entries.map((e) => [e.line, e.arxivId, e.title]),
      [
        [1, "2104.12255", "Tidal Flow Estimation with Sparse Buoys"],
        [12, "1605.08386", "Quiet Gradients for Small Networks"],
      ],
    );
    assert.deepEqual(entries[0]?.tags, ["oceans", "sensing"]);
    assert.deepEqual(entries[0]?.authors, ["Okafor, Ngozi", "Müller, Jörg"]);
    assert.deepEqual(
      problems.map((p) => p.line),
      [11, 18, 21],
    );
  });

  it("CSL-JSON: each item's line; number, URL and keyword/collections read; bad items reported", () => {
    const { entries, problems } = parseLibraryFile(CSL);
    assert.deepEqual(
      entries.map((e) => [e.line, e.arxivId, e.year]),
      [
        [2, "2104.12255", "2021"],
        [12, "1605.08386", null],
      ],
    );
    assert.deepEqual(entries[0]?.authors, ["Ngozi Okafor", "Jörg Müller"]);
    assert.deepEqual(entries[1]?.tags, ["Optimisation"]);
    assert.deepEqual(
      problems.map((p) => p.line),
      [11, 19],
    );
    const broken = parseLibraryFile(
      '[\n  {"title": "Kept"},\n  {"title": \n  },\n  {"title": "Also kept"}\n]',
    );
    assert.deepEqual(
      broken.entries.map((e) => [e.line, e.title]),
      [
        [2, "Kept"],
        [5, "Also kept"],
      ],
    );
    assert.deepEqual(
      broken.problems.map((p) => p.line),
      [3],
    );
  });

  it("plain lists: ids, URLs and DOIs, a bad line reported with its number", () => {
    const { entries, problems } = parseLibraryFile(LIST);
    assert.deepEqual(
      entries.map((e) => [e.line, e.arxivId, e.doi]),
      [
        [2, "2104.12255", null],
        [3, "1605.08386", null],
        [4, "astro-ph/0601001", null],
        [6, "quant-ph/0201082", "10.48550/arXiv.quant-ph/0201082"],
        [7, null, "10.1000/some.journal.42"],
      ],
    );
    assert.deepEqual(problems, [
      { line: 8, reason: '"not an id at all" is not an arXiv id, arXiv URL or DOI' },
    ]);
  });

  it("CSV: quoted fields with commas and line breaks; a row with too many fields is reported", () => {
    const csv =
      'arxiv_id,title,tags\n2104.12255,"Tides, buoys and\n""flows""",oceans; sensing\n,Only a title,\n1,2,3,4\n';
    const { entries, problems } = parseLibraryFile(csv);
    assert.deepEqual(
      entries.map((e) => [e.line, e.arxivId, e.title, e.tags]),
      [
        [2, "2104.12255", 'Tides, buoys and "flows"', ["oceans", "sensing"]],
        [4, null, "Only a title", []],
      ],
    );
    assert.deepEqual(problems, [{ line: 5, reason: "4 fields where the header has 3" }]);
  });
});

function paper(over: Partial<Paper> & { id: ArxivId }): Paper {
  const now = ts("2024-01-01T00:00:00Z");
  return {
    title: "Untitled",
    abstract: 'An abstract, with {braces} and "quotes".',
    authors: [],
    categories: cats("cs.LG"),
    versions: [{ version: 1, date: ts("2021-04-25T10:00:00Z") }],
    comments: null,
    journalRef: null,
    doi: null,
    reportNo: null,
    license: null,
    publishedAt: ts("2021-04-25T10:00:00Z"),
    links: { abs: "", pdf: "", code: null, project: null },
    githubStars: null,
    aiSummary: null,
    aiKeywords: [],
    enrichedAt: null,
    starsObservedAt: null,
    withdrawnAt: null,
    sources: ["arxiv-api"],
    firstSeenAt: now,
    lastUpdatedAt: now,
    ...over,
  };
}

describe("library export", () => {
  const items: ExportItem[] = [
    {
      paper: paper({
        id: id("2104.12255"),
        title: 'Tidal Flow Estimation, with "Sparse" Buoys',
        authors: ["Ngozi Okafor", "Jörg Müller"],
        doi: "10.1000/tides.7",
      }),
      tags: ["oceans", "to read"],
      savedAt: ts("2024-02-01T00:00:00Z") as IsoTimestamp,
      readAt: null,
    },
    {
      paper: paper({ id: id("hep-th/9901001"), title: "=Strings on a Lattice", authors: ["Siri Lind"] }),
      tags: [],
      savedAt: ts("2024-02-02T00:00:00Z") as IsoTimestamp,
      readAt: ts("2024-02-03T00:00:00Z") as IsoTimestamp,
    },
  ];

  for (const format of EXPORT_FORMATS) {
    it(`${format}: import reads the export back (ids, titles, authors, tags)`, () => {
      const text = writeLibrary(items, format);
      const back = parseLibraryFile(text);
      assert.equal(back.format, format);
      assert.deepEqual(back.problems, []);
      assert.deepEqual(
        back.entries.map((e) => [e.arxivId, e.tags]),
        [
          ["2104.12255", ["oceans", "to read"]],
          ["hep-th/9901001", []],
        ],
      );
      assert.deepEqual(
        back.entries.map((e) => e.authors.length),
        [2, 1],
      );
      assert.equal(back.entries[0]?.title, 'Tidal Flow Estimation, with "Sparse" Buoys');
      assert.equal(back.entries[0]?.year, "2021");
    });
  }

  it("BibTeX drops unbalanced braces so a field never ends early", () => {
    const base = items[1] as ExportItem;
    const odd = [{ ...base, paper: { ...base.paper, title: "Closing } early {and {nested} open" } }];
    const back = parseLibraryFile(writeLibrary(odd, "bibtex"));
    assert.deepEqual(back.problems, []);
    assert.equal(back.entries[0]?.title, "Closing early and nested open");
  });

  it("CSV keeps a spreadsheet from running a title as a formula", () => {
    assert.match(writeLibrary(items, "csv"), /,'=Strings on a Lattice,/);
  });
});
