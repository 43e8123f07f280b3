import assert from "node:assert/strict";
import { before, describe, test } from "node:test";
import { type ArxivId, isPaperboyError } from "../../src/core/index.ts";
import type { Store } from "../../src/store/store.ts";
import { makeUser } from "../helpers/community.ts";
import {
  buildArxivRecord,
  buildDailyRecord,
  buildHfRecord,
  cats,
  day,
  id,
  ts,
} from "../helpers/factories.ts";
import { type StoreKind, useFreshStore } from "../helpers/stores.ts";

const A = id("2405.00001");
const B = id("2405.00002");
const C = id("2405.00003");
const D = id("2406.00004");
const E = id("2406.00005");

/**
 * A small library: A, B on Monday 2024-05-27 (ISO week 22), A again and C on Tuesday, D on 2024-06-03 (week 23,
 * June). E was never featured. B's code repository gains stars during the week.
 */
async function seed(store: Store): Promise<void> {
  await store.ingest({
    papers: [
      buildArxivRecord({
        id: A,
        title: "Alpha",
        authors: ["Zoë Müller", "Ann Lee"],
        categories: cats("cs.LG"),
        publishedAt: ts("2024-05-24T10:00:00Z"),
        versions: [{ version: 1, date: ts("2024-05-24T10:00:00Z") }],
      }),
      buildArxivRecord({
        id: B,
        title: "Beta",
        authors: ["Ann Lee"],
        categories: cats("cs.CV", "cs.LG"),
        versions: [{ version: 1, date: ts("2024-05-25T10:00:00Z") }],
      }),
      buildHfRecord({ id: B, sources: ["hf-daily"], codeUrl: "https://github.com/Example/Beta" }),
      buildArxivRecord({
        id: C,
        title: "Gamma",
        authors: ["Bo Chen"],
        categories: cats("cs.CL"),
        versions: [{ version: 1, date: ts("2024-05-27T10:00:00Z") }],
      }),
      buildArxivRecord({
        id: D,
        title: "Delta",
        authors: ["Ann Lee"],
        categories: cats("cs.LG"),
        versions: [{ version: 1, date: ts("2024-06-01T10:00:00Z") }],
      }),
      buildArxivRecord({
        id: E,
        title: "Epsilon",
        authors: ["Ann Lee"],
        categories: cats("cs.LG"),
        versions: [{ version: 1, date: ts("2024-06-02T10:00:00Z") }],
      }),
    ],
    daily: [
      buildDailyRecord({ date: day("2024-05-27"), paperId: A, upvotes: 5, numComments: 1 }),
      buildDailyRecord({
        date: day("2024-05-27"),
        paperId: B,
        upvotes: 9,
        numComments: 0,
        submitter: { name: "Niels", fullname: null },
      }),
      buildDailyRecord({ date: day("2024-05-28"), paperId: A, upvotes: 12, numComments: 3 }),
      buildDailyRecord({ date: day("2024-05-28"), paperId: C, upvotes: 4, numComments: 0 }),
      buildDailyRecord({ date: day("2024-06-03"), paperId: D, upvotes: 7, numComments: 0 }),
    ],
    stars: [
      { repo: "example/beta", stars: 100, observedAt: ts("2024-05-20T00:00:00Z") },
      { repo: "example/beta", stars: 400, observedAt: ts("2024-05-28T00:00:00Z") },
    ],
  });
}

const ids = (items: { paper: { id: ArxivId } }[]) => items.map((i) => i.paper.id);

/** The behaviour every store's `listings` must have; run once per dialect. */
export function listingsContract(kind: StoreKind): void {
  describe(`Listings: ${kind}`, () => {
    let store: Store;
    const fresh = useFreshStore(kind, (s) => {
      store = s;
    });

    test("an empty store has no latest day and empty lists", async () => {
      assert.equal(await store.listings.latestDay(), null);
      const list = await store.listings.period(null);
      assert.equal(list.total, 0);
      assert.deepEqual(list.items, []);
      assert.equal(list.previous, null);
      assert.equal((await store.listings.trending()).total, 0);
    });

    describe("on a seeded library", () => {
      before(async () => {
        await fresh();
        await seed(store);
      });

      test("the default list is the latest day, with the neighbouring days", async () => {
        assert.equal(await store.listings.latestDay(), "2024-06-03");
        const list = await store.listings.period(null);
        assert.deepEqual(list.range, {
          kind: "day",
          key: "2024-06-03",
          start: "2024-06-03",
          end: "2024-06-03",
        });
        assert.deepEqual(ids(list.items), [D]);
        assert.equal(list.previous, "2024-05-28");
        assert.equal(list.next, null);
      });

      test("a day ranks by upvotes; counts are the paper's largest entry, the entry is the day's", async () => {
        const list = await store.listings.period({ kind: "day", date: day("2024-05-27") });
        assert.deepEqual(ids(list.items), [A, B]);
        const [a] = list.items;
        assert.equal(a?.upvotes, 12);
        assert.equal(a?.numComments, 3);
        assert.equal(a?.entry?.date, "2024-05-27");
        assert.deepEqual(a?.featuredOn, ["2024-05-27", "2024-05-28"]);
        assert.equal(list.previous, null);
        assert.equal(list.next, "2024-05-28");
      });

      test("a week lists each paper once; previous and next are week keys", async () => {
        const week = await store.listings.period({ kind: "week", week: "2024-W22" });
        assert.deepEqual(week.range, {
          kind: "week",
          key: "2024-W22",
          start: "2024-05-27",
          end: "2024-06-02",
        });
        assert.deepEqual(ids(week.items), [A, B, C]);
        assert.equal(week.items[0]?.entry?.date, "2024-05-28");
        assert.equal(week.next, "2024-W23");
        assert.equal(week.previous, null);
        const month = await store.listings.period({ kind: "month", month: "2024-06" });
        assert.deepEqual(ids(month.items), [D]);
        assert.equal(month.previous, "2024-05");
      });

      test("newest sorts by publication date; pages split the list", async () => {
        const week = { kind: "week", week: "2024-W22" } as const;
        const newest = await store.listings.period(week, { sort: "newest" });
        assert.deepEqual(ids(newest.items), [C, B, A]);
        const page2 = await store.listings.period(week, { sort: "newest", page: 2, perPage: 2 });
        assert.deepEqual(ids(page2.items), [A]);
        assert.equal(page2.total, 3);
      });

      test("submitter and category filters", async () => {
        const week = { kind: "week", week: "2024-W22" } as const;
        const bySubmitter = await store.listings.period(week, { submitter: "niels" });
        assert.deepEqual(ids(bySubmitter.items), [B]);
        const lg = await store.listings.period(week, { category: cats("cs.LG")[0] });
        assert.deepEqual(ids(lg.items), [A, B]);
      });

      test("trending weighs attention by age and counts stars gained in the window", async () => {
        const now = new Date("2024-05-29T00:00:00Z");
        const list = await store.listings.trending({ now, perPage: 10 });
        assert.deepEqual(list.window, { start: "2024-05-22", end: "2024-05-28" });
        // A: 12 + 2*3 = 18 over (48+2)^1.5; B: 9 + 0.1*300 = 39 over 50^1.5; C: 4 over (24+2)^1.5.
        assert.deepEqual(ids(list.items), [B, A, C]);
        assert.equal(list.items[0]?.starsGained, 300);
        assert.ok(Math.abs((list.items[1]?.score ?? 0) - 18 / 50 ** 1.5) < 1e-12);
        const withoutStars = await store.listings.trending({ now, params: { starWeight: 0 } });
        // Without stars B (9 / 50^1.5) falls behind the younger C (4 / 26^1.5).
        assert.deepEqual(ids(withoutStars.items), [A, C, B]);
      });

      test("trending on a site whose lists stopped shows the window before the last list", async () => {
        const list = await store.listings.trending({ now: new Date("2026-01-01T00:00:00Z") });
        assert.deepEqual(list.window, { start: "2024-05-28", end: "2024-06-03" });
        assert.deepEqual(ids(list.items), [D, A, C]);
      });

      test("author pages match names without case or accents", async () => {
        const zoe = await store.listings.byAuthor("zoe muller");
        assert.deepEqual(ids(zoe.items), [A]);
        const ann = await store.listings.byAuthor("Ann Lee");
        assert.equal(ann.total, 4);
        assert.deepEqual(ids(ann.items), [E, D, B, A]);
      });

      test("top on a category ranks featured papers, then the rest newest first, across pages", async () => {
        const lg = cats("cs.LG")[0];
        assert.ok(lg);
        const first = await store.listings.byCategory(lg, { sort: "top", perPage: 3 });
        assert.equal(first.total, 4);
        assert.deepEqual(ids(first.items), [A, B, D]);
        const second = await store.listings.byCategory(lg, { sort: "top", perPage: 3, page: 2 });
        assert.deepEqual(ids(second.items), [E]);
        assert.equal(second.items[0]?.upvotes, 0);
        assert.equal(second.items[0]?.entry, null);
      });

      test("activity of many ids, unknown ones included", async () => {
        const activity = await store.listings.activity([A, E, id("2101.00001")]);
        assert.equal(activity.get(A)?.upvotes, 12);
        assert.equal(activity.get(E)?.upvotes, 0);
        assert.deepEqual(activity.get(E)?.featuredOn, []);
        assert.equal(activity.get(id("2101.00001"))?.entry, null);
      });

      test("days with their paper counts, newest first", async () => {
        assert.deepEqual(await store.listings.days({ from: day("2024-05-28") }), [
          { date: "2024-06-03", papers: 1 },
          { date: "2024-05-28", papers: 2 },
        ]);
      });

      test("local votes add to Hugging Face upvotes and can reorder a day", async () => {
        const voters = await Promise.all([1, 2, 3, 4, 5].map(() => makeUser(store)));
        for (const voter of voters) await store.community.setVote(voter.id, B, true);
        const list = await store.listings.period({ kind: "day", date: day("2024-05-27") });
        // B: 9 from Hugging Face + 5 local votes passes A's 12.
        assert.deepEqual(ids(list.items), [B, A]);
        assert.equal(list.items[0]?.upvotes, 14);
        assert.equal((await store.listings.activity([B])).get(B)?.upvotes, 14);
        for (const voter of voters) await store.community.setVote(voter.id, B, false);
        assert.equal((await store.listings.activity([B])).get(B)?.upvotes, 9);
      });

      test("papers an admin hid are left out of every list", async () => {
        const admin = await makeUser(store, { role: "admin" });
        await store.community.hidePaper(A, admin.id, "spam");
        try {
          assert.deepEqual(
            ids((await store.listings.period({ kind: "day", date: day("2024-05-27") })).items),
            [B],
          );
          assert.ok(
            !ids((await store.listings.trending({ now: new Date("2024-05-29T00:00:00Z") })).items).includes(
              A,
            ),
          );
          const ann = await store.listings.byAuthor("Ann Lee", { sort: "top" });
          assert.equal(ann.total, 3);
          assert.ok(!ids(ann.items).includes(A));
        } finally {
          await store.community.unhidePaper(A);
        }
      });

      test("bad periods and pages are refused with clear errors", async () => {
        for (const period of [
          { kind: "week", week: "2024-W54" },
          { kind: "week", week: "2024-22" },
          { kind: "month", month: "2024-13" },
          { kind: "day", date: day("2024-02-30") },
        ] as const) {
          await assert.rejects(
            store.listings.period(period),
            (e) => isPaperboyError(e) && e.code === "invalid_date",
          );
        }
        await assert.rejects(store.listings.period(null, { page: 0 }), RangeError);
        await assert.rejects(store.listings.period(null, { perPage: 1000 }), RangeError);
        await assert.rejects(store.listings.byAuthor("  ,, "), (e) => isPaperboyError(e));
      });
    });
  });
}
