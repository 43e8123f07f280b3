import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { describe, test } from "node:test";
import {
  type IsoTimestamp,
  mergePaper,
  type Paper,
  type PaperRecord,
  ValidationError,
} from "../../src/core/index.ts";
import { ManualClock } from "../../src/net/clock.ts";
import { HttpClient, SourceError } from "../../src/net/http-client.ts";
import { IntervalLimiter } from "../../src/net/interval-limiter.ts";
import {
  type OaiCursor,
  OaiHarvester,
  type OaiHarvesterOptions,
  type OaiPage,
  OaiProtocolError,
} from "../../src/sources/arxiv/oai.ts";
import { parseListRecords } from "../../src/sources/arxiv/oai-parse.ts";
import { parseSnapshotRecord } from "../../src/sources/arxiv/snapshot.ts";
import { type FakeOaiOptions, recorded503Reply, type StartedFakeOai, startFakeOai } from "../fakes/oai.ts";
import { shared } from "../helpers/paths.ts";

const NOW = "2026-01-01T00:00:00.000Z" as IsoTimestamp;
const PAGE = 100;
/** The real page arXiv sent after its 503 (two records, 2015-01-01..03). */
const recordedPage = readFileSync(
  shared("arxiv-oai", "xml", "listrecords---should-list-identifiers-from-arxiv.1.200.arxiv.xml"),
  "utf8",
);
const oaiErrorBody = (code: string, message: string) =>
  `<?xml version="1.0" encoding="UTF-8"?>\n<OAI-PMH xmlns="http://www.openarchives.org/OAI/2.0/"><responseDate>2026-01-01T00:00:00Z</responseDate><request verb="ListRecords">x</request><error code="${code}">${message}</error></OAI-PMH>`;

/** The caller's side: an idempotent upsert (the store's merge rules) and the cursor saved with each page. */
class MemoryStore {
  readonly papers = new Map<string, Paper>();
  cursor: OaiCursor | null = null;
  received: PaperRecord[] = [];
  problems: OaiPage["problems"] = [];

  commit(page: OaiPage): void {
    for (const record of page.records) {
      this.received.push(record);
      this.papers.set(record.id, mergePaper(this.papers.get(record.id) ?? null, record, NOW).paper);
    }
    for (const id of page.deleted) this.papers.delete(id);
    this.problems.push(...page.problems);
    // Saved as JSON, as the caller persists it.
    this.cursor = JSON.parse(JSON.stringify(page.cursor)) as OaiCursor;
  }

  ids(): string[] {
    return [...this.papers.keys()].sort();
  }
}

interface Setup {
  fake: StartedFakeOai;
  clock: ManualClock;
  limiter: IntervalLimiter;
  harvester: (options?: Partial<OaiHarvesterOptions>) => OaiHarvester;
  store: MemoryStore;
}

/** A fresh fake OAI server and a harvester factory on a ManualClock; no request may be unplanned. */
async function withOai(
  fakeOptions: FakeOaiOptions,
  body: (s: Setup) => Promise<void>,
  httpTimeoutMs = 5_000,
): Promise<void> {
  const fake = await startFakeOai({ pageSize: PAGE, ...fakeOptions });
  const clock = new ManualClock();
  const limiter = new IntervalLimiter(3_000, clock);
  const http = new HttpClient({ clock, limiter, timeoutMs: httpTimeoutMs, random: () => 1 });
  const harvester = (options: Partial<OaiHarvesterOptions> = {}) =>
    new OaiHarvester({ baseUrl: fake.url, http, clock, ...options });
  try {
    await body({ fake, clock, limiter, harvester, store: new MemoryStore() });
    assert.deepEqual(fake.server.unplanned, []);
  } finally {
    await fake.close();
  }
}

/** Harvests into the store, stopping after `stopAfter` pages (a crash between pages); returns the pages read. */
async function drain(
  harvester: OaiHarvester,
  cursor: OaiCursor,
  store: MemoryStore,
  stopAfter = Number.POSITIVE_INFINITY,
): Promise<OaiPage[]> {
  const pages: OaiPage[] = [];
  for await (const page of harvester.harvest(cursor)) {
    store.commit(page);
    pages.push(page);
    if (pages.length >= stopAfter) break;
  }
  return pages;
}

const onPage = (fake: StartedFakeOai, n: number) => (url: URL) => fake.pageOf(url) === n;
const pagesOf = (n: number) => Math.ceil(n / PAGE);

describe("OaiHarvester over the recorded arXiv exchange", () => {
  test("waits out the real 503 Retry-After: 10, then reads the real page", async () => {
    await withOai({}, async ({ fake, clock, limiter, harvester, store }) => {
      const h = harvester({ baseUrl: fake.recordedUrl });
      const start = OaiHarvester.startCursor({
        metadataPrefix: "arXiv",
        from: "2015-01-01",
        until: "2015-01-03",
      });
      assert.equal((await drain(h, start, store)).length, 1);
      assert.deepEqual(clock.sleeps, [10_000]);
      assert.deepEqual(
        limiter.starts.map((t) => t - (limiter.starts[0] ?? 0)),
        [0, 10_000],
      );
      assert.equal(fake.server.requests.length, 2);
      assert.deepEqual(store.problems, []);
      assert.deepEqual(store.cursor, { ...start, newestDatestamp: "2015-01-03", complete: true });
      const [kochen, requardt] = store.received;
      assert.deepEqual(kochen, {
        id: "1412.8544",
        sources: ["arxiv-oai"],
        versions: [{ version: 1, date: "2014-12-29T00:00:00.000Z" }],
        title: "A Kochen-Specker system has at least 22 vectors (extended abstract)",
        abstract: kochen?.abstract,
        authors: ["Sander Uijlen", "Bas Westerbaan"],
        categories: ["cs.DM"],
        comments: "In Proceedings QPL 2014, arXiv:1412.8102",
        journalRef: "EPTCS 172, 2014, pp. 154-164",
        doi: "10.4204/EPTCS.172.11",
        reportNo: null,
        license: "http://arxiv.org/licenses/nonexclusive-distrib/1.0/",
      });
      assert.match(kochen?.abstract ?? "", /^At the heart of the Conway-Kochen .* lower bound to 22\.$/);
      assert.equal(requardt?.id, "hep-th/9504118");
      assert.equal(requardt?.reportNo, "GOET-TP 101/95");
      assert.match(requardt?.abstract ?? "", /the "strength" of the bonds/);
    });
  });
});

describe("OaiHarvester over the 1,130 real records", () => {
  for (const metadataPrefix of ["arXiv", "arXivRaw"] as const) {
    test(`${metadataPrefix}: a full harvest ends with exactly the served records, as the snapshot has them`, async () => {
      await withOai({}, async ({ fake, clock, harvester, store }) => {
        const served = fake.allRecordIds();
        const pages = (await drain(harvester(), OaiHarvester.startCursor({ metadataPrefix }), store)).length;
        assert.equal(pages, pagesOf(served.length));
        assert.equal(fake.server.requests.length, pages);
        assert.deepEqual(store.ids(), served);
        assert.equal(store.received.length, served.length);
        assert.deepEqual(store.problems, []);
        assert.equal(store.cursor?.complete, true);
        assert.equal(store.cursor?.newestDatestamp, "2024-03-14");
        // The arXiv interval limiter spaced the pages; nothing else waited.
        assert.deepEqual(clock.sleeps, Array(pages - 1).fill(3_000));
        const lines = new Map(fake.records().map((r) => [r.id, r.line]));
        for (const record of store.received) {
          const { sources: _s, ...expected } = parseSnapshotRecord(lines.get(record.id));
          const { sources, ...got } = record;
          assert.deepEqual(sources, ["arxiv-oai"]);
          if (metadataPrefix === "arXiv") {
            // arXiv format: version 1 on the day it was created; the authors come structured.
            const first = expected.versions[0];
            assert.deepEqual(got.versions, [
              { version: 1, date: `${first?.date.slice(0, 10)}T00:00:00.000Z` },
            ]);
            assert.deepEqual({ ...got, versions: [] }, { ...expected, versions: [] });
          } else {
            // arXivRaw: the whole version history; the authors come as one line, split apart.
            assert.deepEqual({ ...got, authors: [] }, { ...expected, authors: [] });
          }
        }
      });
    });
  }

  test("set and from select what the server selects", async () => {
    await withOai({ pageSize: 10 }, async ({ fake, harvester }) => {
      for (const args of [
        { set: "cs:cs:LG" },
        { set: "math" },
        { from: "2019-01-01" },
        { set: "physics:hep-th", from: "2007-04-04", until: "2007-04-05" },
      ]) {
        const store = new MemoryStore();
        await drain(harvester(), OaiHarvester.startCursor(args), store);
        const expected = fake.select({
          set: args.set ?? null,
          from: args.from ?? null,
          until: args.until ?? null,
        });
        assert.ok(expected.length > 0, `${JSON.stringify(args)} selects records`);
        assert.deepEqual(store.ids(), expected.map((r) => r.id).sort(), JSON.stringify(args));
      }
    });
  });

  test("a run stopped after any page resumes from its saved cursor: none lost, nothing fetched twice", async () => {
    await withOai({}, async ({ fake, harvester }) => {
      const served = fake.allRecordIds();
      for (const k of [1, 5, pagesOf(served.length) - 1]) {
        const store = new MemoryStore();
        const before = fake.server.requests.length;
        assert.equal((await drain(harvester(), OaiHarvester.startCursor({}), store, k)).length, k);
        // Stopping between pages fetched nothing beyond the pages yielded.
        assert.equal(fake.server.requests.length - before, k);
        const saved = store.cursor as OaiCursor;
        assert.equal(saved.complete, false);
        assert.equal(store.ids().length, k * PAGE);
        const rest = (await drain(harvester(), saved, store)).length;
        const requests = fake.server.requests.slice(before);
        assert.equal(fake.pageOf(requests[k]?.url as URL), k, "the new run starts at the saved token");
        assert.equal(k + rest, pagesOf(served.length));
        assert.deepEqual(store.ids(), served);
        assert.equal(store.received.length, served.length);
      }
    });
  });

  test("a complete cursor harvests nothing; nextRun continues from the newest datestamp", async () => {
    await withOai({}, async ({ fake, harvester, store }) => {
      await drain(harvester(), OaiHarvester.startCursor({}), store);
      const done = store.cursor as OaiCursor;
      const requests = fake.server.requests.length;
      assert.equal((await drain(harvester(), done, store)).length, 0);
      assert.equal(fake.server.requests.length, requests);

      fake.touch(["0704.0001", "0704.0585"], "2024-06-01");
      fake.markDeleted(["acc-phys/9411001"], "2024-06-02");
      const next = OaiHarvester.nextRun(done);
      assert.deepEqual(next, { ...done, from: "2024-03-14", complete: false, inDatestampOrder: true });
      const pages = await drain(harvester(), next, store);
      const changed = fake.select({ set: null, from: "2024-03-14", until: null });
      assert.deepEqual(changed.map((r) => r.id).sort(), [
        "0704.0001",
        "0704.0585",
        "2403.10561",
        "acc-phys/9411001",
      ]);
      assert.deepEqual(pages.flatMap((p) => p.records.map((r) => r.id)).sort(), [
        "0704.0001",
        "0704.0585",
        "2403.10561",
      ]);
      assert.deepEqual(
        pages.flatMap((p) => p.deleted),
        ["acc-phys/9411001"],
      );
      assert.equal(store.cursor?.newestDatestamp, "2024-06-02");
      assert.deepEqual(store.ids(), fake.allRecordIds());
    });
  });
});

describe("OaiHarvester under faults", () => {
  test("the real 503 with Retry-After: 10 mid-list waits exactly 10 s on the clock", async () => {
    await withOai({}, async ({ fake, limiter, harvester, store }) => {
      fake.server.inject(onPage(fake, 3), recorded503Reply());
      await drain(harvester(), OaiHarvester.startCursor({}), store);
      assert.deepEqual(store.ids(), fake.allRecordIds());
      const statuses = fake.server.requests.map((r) => fake.pageOf(r.url));
      assert.deepEqual(statuses.slice(0, 5), [0, 1, 2, 3, 3]);
      // Page 3 was asked for again exactly 10 s after the 503 (the limiter's 3 s had long passed).
      assert.equal((limiter.starts[4] ?? 0) - (limiter.starts[3] ?? 0), 10_000);
    });
  });

  test("a request that hangs past the timeout is retried with back-off", async () => {
    await withOai(
      {},
      async ({ fake, clock, harvester, store }) => {
        fake.server.inject(onPage(fake, 2), { hang: true });
        await drain(harvester(), OaiHarvester.startCursor({}), store);
        assert.deepEqual(store.ids(), fake.allRecordIds());
        assert.equal(fake.server.requests.length, pagesOf(store.ids().length) + 1);
        // 1 s of back-off (base delay, jitter pinned), then the limiter's remaining 2 s.
        assert.deepEqual(clock.sleeps.slice(2, 4), [1_000, 2_000]);
      },
      200,
    );
  });

  test("a 500 is retried, and the page comes back once", async () => {
    await withOai({}, async ({ fake, harvester, store }) => {
      fake.server.inject(onPage(fake, 1), { status: 500, body: "Internal Server Error" });
      const pages = await drain(harvester(), OaiHarvester.startCursor({}), store);
      assert.equal(pages.length, pagesOf(fake.allRecordIds().length));
      assert.deepEqual(store.ids(), fake.allRecordIds());
      assert.equal(store.received.length, fake.allRecordIds().length);
    });
  });

  test("a body cut off in transit is retried", async () => {
    await withOai({}, async ({ fake, harvester, store }) => {
      fake.server.inject(onPage(fake, 4), { body: recordedPage, truncate: true });
      const pages = await drain(harvester(), OaiHarvester.startCursor({}), store);
      assert.equal(fake.server.requests.length, pages.length + 1);
      assert.deepEqual(store.ids(), fake.allRecordIds());
      assert.equal(store.received.length, fake.allRecordIds().length);
    });
  });

  test("a cut-off XML document is fetched again and never yielded in part", async () => {
    await withOai({}, async ({ fake, clock, harvester, store }) => {
      fake.server.inject(onPage(fake, 2), { body: recordedPage.slice(0, recordedPage.length / 2) });
      const pages = await drain(harvester({ bodyRetryDelayMs: 7_000 }), OaiHarvester.startCursor({}), store);
      assert.equal(fake.server.requests.length, pages.length + 1);
      assert.ok(clock.sleeps.includes(7_000));
      assert.deepEqual(store.ids(), fake.allRecordIds());
      assert.equal(store.received.length, fake.allRecordIds().length);
    });
  });

  test("a page that stays unreadable fails clearly; the saved cursor resumes it", async () => {
    await withOai({}, async ({ fake, harvester, store }) => {
      fake.server.inject(onPage(fake, 2), { body: recordedPage.slice(0, 1_000) }, 3);
      const pages: OaiPage[] = [];
      await assert.rejects(
        async () => {
          for await (const page of harvester().harvest(OaiHarvester.startCursor({}))) {
            store.commit(page);
            pages.push(page);
          }
        },
        (error: unknown) =>
          error instanceof SourceError &&
          error.kind === "parse" &&
          /unreadable OAI-PMH.*after 3 attempts/.test(error.message),
      );
      assert.equal(pages.length, 2);
      assert.equal(store.received.length, 2 * PAGE);
      await drain(harvester(), store.cursor as OaiCursor, store);
      assert.deepEqual(store.ids(), fake.allRecordIds());
    });
  });

  test("malformed records become problems; the rest of the page comes back", async () => {
    const broken: Record<string, (xml: string) => string> = {
      "0704.0010": (xml) => xml.replace(/<title>.*?<\/title>/s, ""),
      "0704.0011": (xml) =>
        xml.replace(/<categories>.*?<\/categories>/s, "<categories>Not A Category!</categories>"),
      "0704.0012": (xml) => xml.replace(/<date>.*?<\/date>/s, "<date>sometime in spring</date>"),
      "0704.0013": (xml) =>
        xml.replace("<identifier>oai:arXiv.org:0704.0013", "<identifier>oai:arXiv.org:not-an-id"),
    };
    const alterRecord = (id: string, xml: string) => broken[id]?.(xml) ?? xml;
    await withOai({ alterRecord }, async ({ fake, harvester, store }) => {
      await drain(harvester(), OaiHarvester.startCursor({}), store);
      assert.deepEqual(
        store.problems.map((p) => [p.identifier, p.reason.split(":")[0]]),
        [
          ["oai:arXiv.org:0704.0010", "title"],
          ["oai:arXiv.org:0704.0011", "not an arXiv category"],
          ["oai:arXiv.org:0704.0012", "not a date-time"],
          ["oai:arXiv.org:not-an-id", "not an arXiv id"],
        ],
      );
      const expected = fake.allRecordIds().filter((id) => !(id in broken));
      assert.deepEqual(store.ids(), expected);
    });
  });

  test("records repeated across pages come back twice and upsert once", async () => {
    await withOai({ overlap: 3 }, async ({ fake, harvester, store }) => {
      const pages = await drain(harvester(), OaiHarvester.startCursor({}), store);
      assert.equal(store.received.length, fake.allRecordIds().length + 3 * (pages.length - 1));
      assert.deepEqual(store.ids(), fake.allRecordIds());
    });
  });

  test("an expired token in a datestamp-ordered list restarts from the newest datestamp", async () => {
    await withOai({ order: "datestamp" }, async ({ fake, harvester, store }) => {
      await drain(harvester(), OaiHarvester.startCursor({}), store, 3);
      const saved = store.cursor as OaiCursor;
      assert.equal(saved.inDatestampOrder, true);
      fake.expireTokens();
      const before = fake.server.requests.length;
      await drain(harvester(), saved, store);
      const [expired, restart] = fake.server.requests.slice(before).map((r) => r.url.searchParams);
      assert.ok(expired?.has("resumptionToken"));
      assert.equal(restart?.get("from"), saved.newestDatestamp);
      assert.equal(restart?.has("resumptionToken"), false);
      assert.deepEqual(store.ids(), fake.allRecordIds());
      assert.equal(store.cursor?.from, saved.newestDatestamp);
    });
  });

  test("an expired token in an identifier-ordered list (as arXiv serves) restarts from `from`", async () => {
    await withOai({ order: "identifier" }, async ({ fake, harvester, store }) => {
      const start = OaiHarvester.startCursor({ from: "2007-01-01" });
      await drain(harvester(), start, store, 3);
      const saved = store.cursor as OaiCursor;
      assert.equal(saved.inDatestampOrder, false);
      // Restarting from the newest datestamp here would lose records not yet served that carry older ones.
      const unseen = fake.select(start).filter((r) => !store.papers.has(r.id));
      assert.ok(unseen.some((r) => r.datestamp < (saved.newestDatestamp ?? "")));
      fake.expireTokens();
      const before = fake.server.requests.length;
      await drain(harvester(), saved, store);
      const restart = fake.server.requests[before + 1]?.url.searchParams;
      assert.equal(restart?.get("from"), "2007-01-01");
      assert.deepEqual(
        store.ids(),
        fake
          .select(start)
          .map((r) => r.id)
          .sort(),
      );
    });
  });

  test("tokens that keep expiring stop the harvest with a clear error", async () => {
    await withOai({}, async ({ fake, harvester, store }) => {
      fake.server.inject(
        (url) => url.searchParams.has("resumptionToken"),
        { body: oaiErrorBody("badResumptionToken", "expired") },
        100,
      );
      await assert.rejects(
        drain(harvester({ maxRestarts: 2 }), OaiHarvester.startCursor({}), store),
        /keep expiring: gave up after 2 restarts/,
      );
      assert.equal(fake.server.requests.length, 6);
    });
  });

  test("noRecordsMatch is an empty, complete harvest", async () => {
    await withOai({}, async ({ harvester, store }) => {
      const start = OaiHarvester.startCursor({ from: "2030-01-01" });
      const pages = await drain(harvester(), start, store);
      assert.deepEqual(pages, [
        { records: [], deleted: [], problems: [], cursor: { ...start, complete: true }, listSize: 0 },
      ]);
    });
  });

  test("other OAI errors fail with their code and message", async () => {
    await withOai({}, async ({ fake, harvester, store }) => {
      fake.server.inject(() => true, {
        body: oaiErrorBody("cannotDisseminateFormat", "arXivRaw is off today"),
      });
      await assert.rejects(drain(harvester(), OaiHarvester.startCursor({}), store), (error: unknown) => {
        assert.ok(error instanceof OaiProtocolError);
        assert.equal(error.oaiCode, "cannotDisseminateFormat");
        assert.match(error.message, /OAI-PMH error cannotDisseminateFormat from .*: arXivRaw is off today/);
        return true;
      });
      fake.server.inject(() => true, { status: 400, body: oaiErrorBody("badArgument", "bad set") });
      await assert.rejects(drain(harvester(), OaiHarvester.startCursor({}), store), /badArgument.*bad set/);
      assert.equal(fake.server.requests.length, 2);
    });
  });
});

describe("OaiHarvester cursors", () => {
  test("bad cursors and arguments are refused before any request", () => {
    assert.throws(() => OaiHarvester.startCursor({ from: "2024-13-01" }), ValidationError);
    assert.throws(() => OaiHarvester.startCursor({ from: "2024-02-01", until: "2024-01-01" }), /before from/);
    assert.throws(() => OaiHarvester.startCursor({ set: "cs LG" }), /set/);
    assert.throws(() => OaiHarvester.nextRun(OaiHarvester.startCursor({})), /not complete/);
  });

  test("a cursor read back from storage is checked", async () => {
    await withOai({}, async ({ fake, harvester }) => {
      const bad = { ...OaiHarvester.startCursor({}), metadataPrefix: "oai_dc" } as unknown as OaiCursor;
      await assert.rejects(harvester().harvest(bad).next(), /invalid OAI cursor: metadataPrefix/);
      assert.equal(fake.server.requests.length, 0);
    });
  });
});

describe("parseListRecords", () => {
  const page = (records: string, token = "") =>
    `<?xml version="1.0" encoding="UTF-8"?>\n<OAI-PMH xmlns="http://www.openarchives.org/OAI/2.0/"><ListRecords>${records}${token}</ListRecords></OAI-PMH>`;
  const record = (metadata: string, id = "1412.8544", status = "") =>
    `<record><header${status}><identifier>oai:arXiv.org:${id}</identifier><datestamp>2015-01-03</datestamp></header>${metadata}</record>`;
  const raw = (body: string) =>
    `<metadata><arXivRaw xmlns="http://arxiv.org/OAI/arXivRaw/">${body}</arXivRaw></metadata>`;
  const v1 = '<version version="v1"><date>Mon, 29 Dec 2014 10:00:00 GMT</date><size>20kb</size></version>';

  test("arXivRaw: versions in order, authors split from the line, token and list size", () => {
    const answer = parseListRecords(
      page(
        record(
          raw(
            `<id>1412.8544</id><version version="v2"><date>Tue, 6 Jan 2015 08:30:00 GMT</date></version>${v1}` +
              "<title>A\n  title</title><authors>S. Uijlen and B. Westerbaan (Radboud)</authors><categories>cs.DM quant-ph</categories>",
          ),
        ) + record("", "hep-th/9504118", ' status="deleted"'),
        '<resumptionToken cursor="0" completeListSize="7">4264163|1001</resumptionToken>',
      ),
      "arXivRaw",
      "test",
    );
    assert.equal(answer.kind, "records");
    if (answer.kind !== "records") return;
    assert.deepEqual(answer.problems, []);
    assert.deepEqual(answer.deleted, ["hep-th/9504118"]);
    assert.deepEqual(answer.records, [
      {
        id: "1412.8544",
        sources: ["arxiv-oai"],
        versions: [
          { version: 1, date: "2014-12-29T10:00:00.000Z" },
          { version: 2, date: "2015-01-06T08:30:00.000Z" },
        ],
        title: "A title",
        abstract: "",
        authors: ["S. Uijlen", "B. Westerbaan"],
        categories: ["cs.DM", "quant-ph"],
        comments: null,
        journalRef: null,
        doi: null,
        reportNo: null,
        license: null,
      },
    ]);
    assert.equal(answer.resumptionToken, "4264163|1001");
    assert.equal(answer.completeListSize, 7);
    assert.deepEqual(answer.datestamps, ["2015-01-03", "2015-01-03"]);
  });

  test("each unreadable record says why; an empty token ends the list", () => {
    const good = `<id>1412.8544</id>${v1}<title>T</title><categories>cs.DM</categories>`;
    const answer = parseListRecords(
      page(
        [
          record(raw(`<id>1412.8544</id>${v1}<categories>cs.DM</categories>`)),
          record(
            raw(`<id>1412.8544</id>${v1}<title>T</title><title>U</title><categories>cs.DM</categories>`),
          ),
          record(raw("<id>1412.8544</id><title>T</title><categories>cs.DM</categories>")),
          record(raw(good.replace("<id>1412.8544", "<id>1412.8545"))),
          record(raw(good.replace("<id>1412.8544", "<id>1412.8544v2"))),
          record(
            '<metadata><arXiv xmlns="http://arxiv.org/OAI/arXiv/"><id>1412.8544</id></arXiv></metadata>',
          ),
          record(raw(good), "0704.0001"),
          "<record><metadata/></record>",
          record(raw(good)),
        ].join(""),
        '<resumptionToken cursor="100" completeListSize="109"/>',
      ),
      "arXivRaw",
      "test",
    );
    assert.equal(answer.kind, "records");
    if (answer.kind !== "records") return;
    assert.deepEqual(
      answer.problems.map((p) => p.reason),
      [
        "title: missing",
        "title: given more than once",
        "version: no versions listed",
        'metadata id "1412.8545" does not match the header identifier 1412.8544',
        'id "1412.8544v2" carries a version',
        "record has no <arXivRaw> metadata",
        'metadata id "1412.8544" does not match the header identifier 0704.0001',
        "record has no header",
      ],
    );
    assert.deepEqual(
      answer.records.map((r) => r.id),
      ["1412.8544"],
    );
    assert.equal(answer.resumptionToken, null);
    assert.equal(answer.completeListSize, 109);
  });

  test("a blank title, no category or a version v0 is a problem, not a record (found by test/fuzz)", () => {
    const good = `<id>1412.8544</id>${v1}<title>T</title><categories>cs.DM</categories>`;
    const answer = parseListRecords(
      page(
        [
          record(raw(good.replace("<title>T", "<title><![CDATA[ \t ]]>"))),
          record(raw(good.replace("<categories>cs.DM", "<categories>,"))),
          record(raw(good.replace('version="v1"', 'version="v0"'))),
          record(raw(good)),
        ].join(""),
      ),
      "arXivRaw",
      "test",
    );
    assert.equal(answer.kind, "records");
    if (answer.kind !== "records") return;
    assert.deepEqual(
      answer.problems.map((p) => p.reason),
      ["title: empty", 'categories: none in ","', "version.0.@_version: expected v1, v2, ..."],
    );
    assert.equal(answer.records.length, 1);
  });

  test("OAI errors, HTML, cut-off documents and DTDs", () => {
    assert.deepEqual(parseListRecords(oaiErrorBody("noRecordsMatch", "No records match"), "arXiv", "test"), {
      kind: "error",
      code: "noRecordsMatch",
      message: "No records match",
    });
    const unreadable = (body: string, why: RegExp) =>
      assert.throws(
        () => parseListRecords(body, "arXiv", "http://x/oai"),
        (error: unknown) => error instanceof SourceError && error.kind === "parse" && why.test(error.message),
      );
    unreadable(
      readFileSync(
        shared("arxiv-oai", "xml", "listrecords---should-list-identifiers-from-arxiv.0.503.arxiv.txt"),
        "utf8",
      ),
      /no OAI-PMH root/,
    );
    unreadable(recordedPage.slice(0, 3_000), /unreadable OAI-PMH response from http:\/\/x\/oai/);
    unreadable('<?xml version="1.0"?><!DOCTYPE x [<!ENTITY a "b">]><OAI-PMH/>', /declares a DTD/);
    unreadable(
      '<OAI-PMH xmlns="http://www.openarchives.org/OAI/2.0/"><Identify/></OAI-PMH>',
      /no ListRecords/,
    );
  });
});
