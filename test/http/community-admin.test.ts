import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import type { ArxivId } from "../../src/core/index.ts";
import { toSessionUser } from "../../src/http/accounts/session.ts";
import { PaperModeration } from "../../src/http/views/community.tsx";
import type { Store } from "../../src/store/store.ts";
import { type Browser, formPost, getAs, makeUser, seedPapers, signIn } from "../helpers/community.ts";
import { createTestDatabase, type TestDatabase } from "../helpers/stores.ts";
import { createTestApp, type TestApp } from "../helpers/web.ts";

describe("moderation over HTTP", () => {
  let db: TestDatabase;
  let store: Store;
  let site: TestApp;
  let member: Browser;
  let admin: Browser;
  let paper: ArxivId;

  before(async () => {
    db = await createTestDatabase("sqlite");
    store = await db.open();
    site = createTestApp(store);
    member = await signIn(store, await makeUser(store));
    admin = await signIn(store, await makeUser(store, { role: "admin" }));
    [paper = "" as ArxivId] = await seedPapers(store, [{ id: "cond-mat/0102536", hfUpvotes: 2 }]);
  });
  after(async () => {
    site.close();
    await store.close();
    await db.drop();
  });

  test("members cannot hide papers or see the admin list", async () => {
    let res = await site.request(`/papers/${paper}/hide`, formPost(member, { reason: "mine" }));
    assert.equal(res.status, 403);
    assert.equal((await store.community.hiddenAmong([paper])).size, 0);
    res = await site.request("/admin/hidden", getAs(member));
    assert.equal(res.status, 403);
    res = await site.request("/admin/hidden");
    assert.equal(res.status, 303);
  });

  test("an admin hides a paper with a reason; members can no longer act on it", async () => {
    let res = await site.request(`/papers/${paper}/hide`, formPost(admin, { reason: "<b>spam</b>" }));
    assert.equal(res.status, 303);
    assert.equal(res.headers.get("location"), `/papers/${paper}`);
    assert.deepEqual([...(await store.community.hiddenAmong([paper]))], [paper]);

    res = await site.request(`/papers/${paper}/vote`, formPost(member, {}, { json: true }));
    assert.equal(res.status, 404);
    res = await site.request(`/papers/${paper}/comments`, formPost(member, { body: "hi" }));
    assert.equal(res.status, 404);
    res = await site.request("/library/toggle", formPost(member, { paper }));
    assert.equal(res.status, 404);

    const html = await (await site.request("/admin/hidden", getAs(admin))).text();
    assert.match(html, /Paper cond-mat\/0102536/);
    assert.match(html, /&lt;b&gt;spam&lt;\/b&gt;/);
    assert.match(html, new RegExp(`action="/papers/${paper}/unhide"`));
  });

  test("an admin shows it again", async () => {
    const res = await site.request(`/papers/${paper}/unhide`, formPost(admin, {}, { json: true }));
    assert.deepEqual(await res.json(), { hidden: false });
    assert.equal((await store.community.hiddenAmong([paper])).size, 0);
    const html = await (await site.request("/admin/hidden", getAs(admin))).text();
    assert.match(html, /No paper is hidden/);
  });

  test("the moderation form is for admins only", async () => {
    const props = { paperId: paper, hidden: false, csrf: admin.csrf };
    assert.equal(PaperModeration({ ...props, user: toSessionUser(member.user) }), null);
    assert.equal(PaperModeration({ ...props, user: null }), null);
    const html = String(await PaperModeration({ ...props, user: toSessionUser(admin.user) }));
    assert.match(html, new RegExp(`action="/papers/${paper}/hide"`));
    const shown = String(await PaperModeration({ ...props, hidden: true, user: toSessionUser(admin.user) }));
    assert.match(shown, /Show again/);
  });
});
