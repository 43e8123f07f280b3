import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import { FETCH_IMAGES, fetchImagesHandler, fetchImagesSchedules } from "../../src/jobs/handlers.ts";
import { Worker } from "../../src/jobs/worker.ts";
import { systemClock } from "../../src/net/clock.ts";
import type { Store } from "../../src/store/store.ts";
import type { FakeServer } from "../fakes/server.ts";
import { ingestDayWithPictures, startFakeCdn } from "../helpers/pictures.ts";
import { createTestDatabase, type TestDatabase } from "../helpers/stores.ts";

// The `fetch-images` job as the worker runs it: registered by its kind, fetching from allowed hosts only when
// pictures are kept locally, and scheduled only then.
describe("fetch-images job", () => {
  let db: TestDatabase;
  let store: Store;
  let cdn: FakeServer;
  before(async () => {
    db = await createTestDatabase("sqlite");
    store = await db.open();
    cdn = await startFakeCdn();
    await ingestDayWithPictures(store, "2026-05-13", cdn.url);
  });
  after(async () => {
    await cdn.close();
    await store.close();
    await db.drop();
  });

  test("with PAPERBOY_IMAGES=off the job fetches nothing and is not scheduled", async () => {
    const images = { mode: "off" as const, hosts: [new URL(cdn.url).host] };
    const worker = new Worker({
      store,
      handlers: {
        [FETCH_IMAGES]: fetchImagesHandler({ store, images, clock: systemClock, timeoutMs: 5_000 }),
      },
    });
    const { id } = await store.enqueueJob({ kind: FETCH_IMAGES, payload: {} });
    assert.equal((await worker.runOnce())?.id, id);
    assert.equal((await store.getJob(id))?.state, "succeeded");
    assert.equal(cdn.requests.length, 0);
    assert.deepEqual(fetchImagesSchedules(images), []);
  });

  test("with local pictures the worker runs the job: every wanted picture is tried once", async () => {
    const images = { mode: "local" as const, hosts: [new URL(cdn.url).host] };
    assert.equal(fetchImagesSchedules(images).length, 1);
    const worker = new Worker({
      store,
      handlers: {
        [FETCH_IMAGES]: fetchImagesHandler({ store, images, clock: systemClock, timeoutMs: 5_000 }),
      },
    });
    const wanted = (await store.media.wanted(10_000)).length;
    assert.ok(wanted > 50);
    const { id } = await store.enqueueJob({ kind: FETCH_IMAGES, payload: { limit: 10_000 } });
    assert.equal((await worker.runOnce())?.id, id);
    assert.equal((await store.getJob(id))?.state, "succeeded");
    assert.equal(cdn.requests.length, wanted);
    assert.deepEqual(cdn.unplanned, []);
    assert.deepEqual(await store.media.wanted(10_000), []);
  });
});
