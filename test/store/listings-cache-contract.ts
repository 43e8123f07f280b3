import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import type { ArxivId } from "../../src/core/index.ts";
import type { Store } from "../../src/store/store.ts";
import { makeUser } from "../helpers/community.ts";
import { buildArxivRecord, buildDailyRecord, day, id } from "../helpers/factories.ts";
import { createTestDatabase, type StoreKind, type TestDatabase } from "../helpers/stores.ts";

const A = id("2405.10001");
const B = id("2405.10002");
const C = id("2405.10003");
const MONDAY = day("2024-05-27");

const ids = (items: { paper: { id: ArxivId } }[]) => items.map((i) => i.paper.id);

/**
 * Lists are kept between calls until the database changes (src/store/listings/cache.ts): every kind of write,
 * from this store or from another connection to the same database (a worker process), must show at once.
 */
export function listingsCacheContract(kind: StoreKind): void {
  describe(`Listings cache: ${kind}`, () => {
    let db: TestDatabase;
    let store: Store;
    /** A second store on the same database, standing in for a worker process. */
    let other: Store;

    before(async () => {
      db = await createTestDatabase(kind);
      store = await db.open();
      other = await db.open();
      await store.ingest({
        papers: [A, B, C].map((paperId) => buildArxivRecord({ id: paperId })),
        daily: [
          buildDailyRecord({ date: MONDAY, paperId: A, upvotes: 5 }),
          buildDailyRecord({ date: MONDAY, paperId: B, upvotes: 3 }),
        ],
      });
    });
    after(async () => {
      await other.close();
      await store.close();
      await db.drop();
    });

    test("the version is known, and stays put while nothing is written", async () => {
      const first = await store.listings.version();
      assert.notEqual(first, null);
      await store.listings.period(null);
      await store.listings.activity([A, B]);
      assert.equal(await store.listings.version(), first);
    });

    test("a list read twice is the same list", async () => {
      const once = await store.listings.period({ kind: "day", date: MONDAY });
      const twice = await store.listings.period({ kind: "day", date: MONDAY });
      assert.deepEqual(twice, once);
      assert.deepEqual(ids(twice.items), [A, B]);
    });

    test("an ingest through the same store shows at once", async () => {
      const before = await store.listings.version();
      await store.ingest({ papers: [], daily: [buildDailyRecord({ date: MONDAY, paperId: C, upvotes: 9 })] });
      assert.notEqual(await store.listings.version(), before);
      const list = await store.listings.period(null);
      assert.deepEqual(ids(list.items), [C, A, B]);
      assert.equal((await store.listings.activity([C])).get(C)?.upvotes, 9);
    });

    test("a write from another connection to the database shows at once", async () => {
      await store.listings.period(null);
      await other.ingest({
        papers: [],
        daily: [buildDailyRecord({ date: MONDAY, paperId: B, upvotes: 20 })],
      });
      const list = await store.listings.period(null);
      assert.deepEqual(ids(list.items), [B, C, A]);
      assert.equal(list.items[0]?.upvotes, 20);
    });

    test("a local vote and an admin hiding a paper show at once", async () => {
      const member = await makeUser(store);
      assert.equal((await store.listings.activity([A])).get(A)?.upvotes, 5);
      await store.community.setVote(member.id, A, true);
      assert.equal((await store.listings.activity([A])).get(A)?.upvotes, 6);

      const admin = await makeUser(store, { role: "admin" });
      await other.community.hidePaper(C, admin.id, "spam");
      assert.deepEqual(ids((await store.listings.period(null)).items), [B, A]);
      await store.community.unhidePaper(C);
      assert.deepEqual(ids((await store.listings.period(null)).items), [B, C, A]);
    });

    test("what callers get is theirs: changing it does not change the next answer", async () => {
      const first = await store.listings.activity([A]);
      const activity = first.get(A);
      assert.ok(activity);
      activity.featuredOn.push(day("1999-01-01"));
      activity.upvotes = -1;
      assert.deepEqual((await store.listings.activity([A])).get(A)?.featuredOn, [MONDAY]);
      assert.equal((await store.listings.activity([A])).get(A)?.upvotes, 6);
    });
  });
}
