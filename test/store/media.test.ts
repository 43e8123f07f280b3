import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import type { DailyMedia } from "../../src/core/index.ts";
import type { Store } from "../../src/store/store.ts";
import { buildDailyRecord, buildHfRecord, day, id } from "../helpers/factories.ts";
import { createTestDatabase, type StoreKind, type TestDatabase } from "../helpers/stores.ts";

const media = (n: number): DailyMedia => ({
  thumbnail: `https://cdn.test/t${n}.png`,
  submitterAvatar: `https://cdn.test/a${n}.png`,
  organizationAvatar: null,
});

// The media module on both databases: which pictures still need fetching (newest days first), what was kept
// (bytes byte for byte), and what was refused.
for (const kind of ["sqlite", "postgres"] as StoreKind[]) {
  describe(`store.media (${kind})`, () => {
    let db: TestDatabase;
    let store: Store;
    before(async () => {
      db = await createTestDatabase(kind);
      store = await db.open();
      const papers = ["2401.00001", "2401.00002", "2401.00003"].map((p) => buildHfRecord({ id: id(p) }));
      await store.ingest({
        papers,
        daily: [
          buildDailyRecord({ date: day("2024-05-01"), paperId: id("2401.00001"), media: media(1) }),
          buildDailyRecord({ date: day("2024-05-03"), paperId: id("2401.00002"), media: media(2) }),
          buildDailyRecord({ date: day("2024-05-02"), paperId: id("2401.00003") }),
        ],
      });
    });
    after(async () => {
      await store.close();
      await db.drop();
    });

    test("a daily entry keeps its pictures; entries without any have none", async () => {
      const entries = await store.listings.activity([id("2401.00001"), id("2401.00003")]);
      assert.deepEqual(entries.get(id("2401.00001"))?.entry?.media, media(1));
      assert.equal(entries.get(id("2401.00003"))?.entry?.media, undefined);
    });

    test("wanted lists unfetched URLs newest day first; saved ones, kept or refused, are not asked again", async () => {
      assert.deepEqual(await store.media.wanted(10), [
        "https://cdn.test/t2.png",
        "https://cdn.test/a2.png",
        "https://cdn.test/t1.png",
        "https://cdn.test/a1.png",
      ]);
      assert.deepEqual(await store.media.wanted(1), ["https://cdn.test/t2.png"]);
      const bytes = new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0, 1, 2, 255]);
      const sha256 = "a".repeat(64);
      await store.media.save({
        url: "https://cdn.test/t2.png",
        sha256,
        ext: "png",
        contentType: "image/png",
        bytes,
      });
      await store.media.save({ url: "https://cdn.test/a2.png", error: "HTTP 404" });
      assert.deepEqual(await store.media.wanted(10), ["https://cdn.test/t1.png", "https://cdn.test/a1.png"]);

      const names = await store.media.localNames(["https://cdn.test/t2.png", "https://cdn.test/a2.png", "x"]);
      assert.deepEqual([...names], [["https://cdn.test/t2.png", `${sha256}.png`]]);
      const image = await store.media.image(sha256, "png");
      assert.equal(image?.contentType, "image/png");
      assert.deepEqual([...(image?.bytes ?? [])], [...bytes]);
      assert.equal(await store.media.image(sha256, "jpg"), null);
    });
  });
}
