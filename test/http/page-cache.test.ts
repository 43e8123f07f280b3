import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { makeUser } from "../helpers/community.ts";
import { id } from "../helpers/factories.ts";
import { useTestSite } from "../helpers/web-fixtures.ts";

describe("visitors' pages are kept until the data changes", () => {
  const site = useTestSite();

  test("a second visit is served from memory; a write shows on the next visit", async () => {
    const first = await site.web.request("/day/2024-05-27");
    assert.equal(first.headers.get("x-cache"), null);
    const html = await first.text();
    const second = await site.web.request("/day/2024-05-27");
    assert.equal(second.headers.get("x-cache"), "hit");
    assert.equal(await second.text(), html);
    // A stored page never hands its first visitor's cookie to the next one.
    assert.equal(second.headers.get("set-cookie"), null);

    await site.store.community.hidePaper(
      id("2405.15738"),
      (await makeUser(site.store, { role: "admin" })).id,
    );
    const third = await site.web.request("/day/2024-05-27");
    assert.equal(third.headers.get("x-cache"), null);
    assert.doesNotMatch(await third.text(), /href="\/papers\/2405.15738"/);
  });

  test("members and pages with forms are never stored", async () => {
    const member = await makeUser(site.store, { name: "Cache Reader" });
    const { token } = await site.store.accounts.createSession(member.id);
    const headers = { cookie: `pb_session=${token}` };
    await site.web.request("/day/2024-05-24", { headers });
    const again = await site.web.request("/day/2024-05-24", { headers });
    assert.equal(again.headers.get("x-cache"), null);
    await site.web.request("/signin");
    assert.equal((await site.web.request("/signin")).headers.get("x-cache"), null);
  });
});
