import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import type { ArxivId } from "../../src/core/index.ts";
import type { Store } from "../../src/store/store.ts";
import { type Browser, formPost, makeUser, seedPapers, signIn } from "../helpers/community.ts";
import { createTestDatabase, type TestDatabase } from "../helpers/stores.ts";
import { createTestApp, type TestApp } from "../helpers/web.ts";

describe("votes over HTTP", () => {
  let db: TestDatabase;
  let store: Store;
  let site: TestApp;
  let alice: Browser;
  let bob: Browser;
  let unverified: Browser;
  let admin: Browser;
  let newStyle: ArxivId;
  let oldStyle: ArxivId;

  before(async () => {
    db = await createTestDatabase("sqlite");
    store = await db.open();
    site = createTestApp(store);
    alice = await signIn(store, await makeUser(store));
    bob = await signIn(store, await makeUser(store));
    unverified = await signIn(store, await makeUser(store, { verified: false }));
    admin = await signIn(store, await makeUser(store, { role: "admin" }));
    [newStyle = "" as ArxivId, oldStyle = "" as ArxivId] = await seedPapers(store, [
      { id: "2405.15738", hfUpvotes: 10 },
      { id: "hep-th/9901001" },
    ]);
  });
  after(async () => {
    site.close();
    await store.close();
    await db.drop();
  });

  const vote = (who: Browser | null, id: string, options: Parameters<typeof formPost>[2] = { json: true }) =>
    site.request(`/papers/${id}/vote`, formPost(who, {}, options));

  test("a member's vote toggles; scripts get the count shown everywhere (Hugging Face + local)", async () => {
    let res = await vote(alice, newStyle);
    assert.equal(res.status, 200);
    assert.deepEqual(await res.json(), { active: true, count: 11, localVotes: 1 });
    res = await vote(bob, newStyle);
    assert.deepEqual(await res.json(), { active: true, count: 12, localVotes: 2 });
    res = await vote(alice, newStyle);
    assert.deepEqual(await res.json(), { active: false, count: 11, localVotes: 1 });
    assert.deepEqual([...(await store.community.votedBy(bob.user.id, [newStyle]))], [newStyle]);
  });

  test("a member who has not confirmed their address cannot vote (votes feed trending)", async () => {
    const res = await vote(unverified, newStyle);
    assert.equal(res.status, 403);
    assert.equal(((await res.json()) as { error: { code: string } }).error.code, "unverified");
    assert.deepEqual([...(await store.community.votedBy(unverified.user.id, [newStyle]))], []);
  });

  test("old-style ids (with a slash) work in the path", async () => {
    const res = await vote(alice, oldStyle);
    assert.deepEqual(await res.json(), { active: true, count: 1, localVotes: 1 });
  });

  test("a plain form goes back to the page it came from, or to the paper", async () => {
    let res = await vote(admin, newStyle, { referer: "http://paperboy.test/day/2024-05-27?sort=top" });
    assert.equal(res.status, 303);
    assert.equal(res.headers.get("location"), "/day/2024-05-27?sort=top");
    res = await vote(admin, newStyle, { referer: "https://evil.example/phish" });
    assert.equal(res.status, 303);
    assert.equal(res.headers.get("location"), `/papers/${newStyle}`);
  });

  test("without the CSRF token, or signed out, nothing is counted", async () => {
    const before = (await store.community.localActivity([oldStyle])).get(oldStyle)?.votes;
    let res = await vote(bob, oldStyle, { csrf: false, json: true });
    assert.equal(res.status, 403);
    res = await vote(null, oldStyle, { json: true });
    assert.ok(res.status === 401 || res.status === 403, `status ${res.status}`);
    assert.equal((await store.community.localActivity([oldStyle])).get(oldStyle)?.votes, before);
  });

  test("unknown papers and malformed ids are 404s with a reason", async () => {
    let res = await vote(alice, "2401.00001");
    assert.equal(res.status, 404);
    assert.match(((await res.json()) as { error: { message: string } }).error.message, /not in this library/);
    res = await vote(alice, "not-an-id<script>");
    assert.equal(res.status, 404);
    res = await vote(alice, "2401.00001", { json: false });
    assert.equal(res.status, 404);
    const html = await res.text();
    assert.match(html, /Paper not found/);
  });

  test("a hidden paper takes no votes from members", async () => {
    await store.community.hidePaper(oldStyle, admin.user.id, "spam");
    const res = await vote(alice, oldStyle);
    assert.equal(res.status, 404);
    await store.community.unhidePaper(oldStyle);
  });
});
