import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { cardIds, HOSTILE, useTestSite } from "../helpers/web-fixtures.ts";

// The pages on PostgreSQL: the same fixture, the same answers as on SQLite.
describe("pages on PostgreSQL", () => {
  const site = useTestSite("postgres");

  test("home, day, week and month", async () => {
    assert.deepEqual(cardIds(await (await site.web.request("/")).text()), ["2405.20001"]);
    const day = await (await site.web.request("/day/2024-05-27")).text();
    assert.deepEqual(cardIds(day), ["2405.10001", "2405.15738", "2405.10002"]);
    assert.ok(!day.includes(HOSTILE));
    assert.equal(cardIds(await (await site.web.request("/week/2024-W22")).text()).length, 4);
    assert.equal(cardIds(await (await site.web.request("/month/2024-05")).text()).length, 5);
  });

  test("paper page, redirects and 404s", async () => {
    const html = await (await site.web.request("/papers/2405.15738")).text();
    assert.match(html, /@misc\{ge2024convllava,/);
    assert.match(html, /<math>/);
    assert.equal((await site.web.request("/papers/hep-th/9901001")).status, 200);
    assert.equal((await site.web.request("/papers/2405.15738v1")).status, 301);
    assert.equal((await site.web.request("/papers/2406.00001")).status, 404);
  });

  test("author, category and search pages", async () => {
    assert.deepEqual(cardIds(await (await site.web.request("/authors/Bob%20Builder")).text()).sort(), [
      "2405.10002",
      "2405.20001",
    ]);
    assert.deepEqual(cardIds(await (await site.web.request("/categories/cs.CL")).text()).sort(), [
      "2405.10002",
      "2405.15738",
    ]);
    const search = await (await site.web.request("/search?q=scaling")).text();
    assert.deepEqual(cardIds(search), ["2405.10002"]);
    assert.match(search, /<mark>Scaling<\/mark>/);
  });
});
