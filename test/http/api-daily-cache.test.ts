import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import type { Store } from "../../src/store/store.ts";
import { makeUser } from "../helpers/community.ts";
import { buildArxivRecord, buildDailyRecord, day, id } from "../helpers/factories.ts";
import { createTestDatabase, type StoreKind, type TestDatabase } from "../helpers/stores.ts";
import { createTestApp, type TestApp } from "../helpers/web.ts";

const A = id("2405.20001");
const B = id("2405.20002");
const MONDAY = day("2024-05-27");

/** `/api/daily_papers` keeps its JSON per store version: a repeat is identical, and every write shows at once. */
for (const kind of ["sqlite", "postgres"] as StoreKind[]) {
  describe(`daily_papers answers stay current: ${kind}`, () => {
    let db: TestDatabase;
    let store: Store;
    let web: TestApp;

    before(async () => {
      db = await createTestDatabase(kind);
      store = await db.open();
      await store.ingest({
        papers: [A, B].map((paperId) => buildArxivRecord({ id: paperId })),
        daily: [
          buildDailyRecord({ date: MONDAY, paperId: A, upvotes: 5 }),
          buildDailyRecord({ date: MONDAY, paperId: B, upvotes: 3 }),
        ],
      });
      web = createTestApp(store);
      web.setNow("2024-05-28T06:00:00Z");
    });
    after(async () => {
      web.close();
      await store.close();
      await db.drop();
    });

    const daily = async (query = "") => {
      const res = await web.request(`/api/daily_papers${query}`);
      assert.equal(res.status, 200);
      assert.match(res.headers.get("content-type") ?? "", /application\/json/);
      const items = (await res.json()) as { paper: { id: string; upvotes: number } }[];
      return {
        total: res.headers.get("x-total-count"),
        items: items.map((i) => [i.paper.id, i.paper.upvotes]),
      };
    };

    test("a repeated request gets the same answer, headers included", async () => {
      const first = await daily();
      assert.deepEqual(first, {
        total: "2",
        items: [
          [A, 5],
          [B, 3],
        ],
      });
      assert.deepEqual(await daily(), first);
      assert.deepEqual(await daily("?limit=1"), { total: "2", items: [[A, 5]] });
    });

    test("a new entry, a vote and a hidden paper show in the next answer", async () => {
      await daily();
      await store.ingest({ papers: [], daily: [buildDailyRecord({ date: MONDAY, paperId: B, upvotes: 8 })] });
      assert.deepEqual((await daily()).items, [
        [B, 8],
        [A, 5],
      ]);
      const member = await makeUser(store);
      await store.community.setVote(member.id, A, true);
      await store.community.setVote((await makeUser(store)).id, A, true);
      await store.community.setVote((await makeUser(store)).id, A, true);
      assert.deepEqual((await daily()).items, [
        [A, 8],
        [B, 8],
      ]);
      const admin = await makeUser(store, { role: "admin" });
      await store.community.hidePaper(B, admin.id, "duplicate");
      assert.deepEqual(await daily(), { total: "1", items: [[A, 8]] });
    });
  });
}
