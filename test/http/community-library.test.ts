import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import type { ArxivId } from "../../src/core/index.ts";
import { toSessionUser } from "../../src/http/accounts/session.ts";
import { SaveToLibrary } from "../../src/http/views/community.tsx";
import type { Store } from "../../src/store/store.ts";
import { type Browser, formPost, getAs, makeUser, seedPapers, signIn } from "../helpers/community.ts";
import { createTestDatabase, type TestDatabase } from "../helpers/stores.ts";
import { createTestApp, type TestApp } from "../helpers/web.ts";

describe("the library over HTTP", () => {
  let db: TestDatabase;
  let store: Store;
  let site: TestApp;
  let alice: Browser;
  let bob: Browser;
  let p1: ArxivId;
  let p2: ArxivId;

  before(async () => {
    db = await createTestDatabase("sqlite");
    store = await db.open();
    site = createTestApp(store);
    alice = await signIn(store, await makeUser(store));
    bob = await signIn(store, await makeUser(store, { verified: false }));
    [p1 = "" as ArxivId, p2 = "" as ArxivId] = await seedPapers(store, [
      { id: "2405.15738" },
      { id: "math.GT/0309136" },
    ]);
  });
  after(async () => {
    site.close();
    await store.close();
    await db.drop();
  });

  const post = (who: Browser, path: string, fields: Record<string, string>, json = false) =>
    site.request(path, formPost(who, fields, { json }));
  const page = async (who: Browser, query = "") => {
    const res = await site.request(`/library${query}`, getAs(who));
    assert.equal(res.status, 200);
    return res.text();
  };

  test("visitors are sent to sign in", async () => {
    const res = await site.request("/library");
    assert.equal(res.status, 303);
    assert.match(res.headers.get("location") ?? "", /^\/signin\?next=%2Flibrary/);
  });

  test("save toggles; the library lists saved papers, newest first", async () => {
    assert.match(await page(alice), /Nothing saved yet/);
    let res = await post(alice, "/library/toggle", { paper: p1 }, true);
    assert.deepEqual(await res.json(), { active: true });
    site.setNow("2024-06-02T12:00:00Z");
    res = await post(alice, "/library/toggle", { paper: `https://arxiv.org/abs/${p2}v2` });
    assert.equal(res.status, 303);
    const html = await page(alice);
    assert.ok(html.indexOf(`Paper ${p2}`) < html.indexOf(`Paper ${p1}`), "newest first");
    // Unverified members may look at their (empty) library but save nothing until they confirm their
    // address: saves feed recommendations and counts others see.
    assert.match(await page(bob), /Nothing saved yet/);
    res = await post(bob, "/library/toggle", { paper: p1 }, true);
    assert.equal(res.status, 403);
    assert.equal(((await res.json()) as { error: { code: string } }).error.code, "unverified");
    assert.equal((await store.community.library(bob.user.id)).total, 0);
  });

  test("tags are cleaned, filter the page, and are listed with counts", async () => {
    let res = await post(alice, "/library/tags", { paper: p1, tags: " Vision , to  read,vision" });
    assert.equal(res.status, 303);
    res = await post(alice, "/library/tags", { paper: p2, tags: "theory" });
    const all = await page(alice);
    assert.match(all, /to read \(1\)/);
    assert.match(all, /vision \(1\)/);
    const vision = await page(alice, "?tag=Vision");
    assert.match(vision, new RegExp(`Paper ${p1}`));
    assert.doesNotMatch(vision, new RegExp(`Paper ${p2.replace(".", "\\.")}`));
    assert.match(vision, /value="to read, vision"/);
  });

  test("bad tags are refused with the reason and change nothing", async () => {
    const res = await post(alice, "/library/tags", { paper: p1, tags: "<script>alert(1)</script>" });
    assert.equal(res.status, 400);
    const html = await res.text();
    assert.match(html, /may use letters, digits/);
    assert.doesNotMatch(html, /<script>alert/);
    assert.deepEqual((await store.community.savedItems(alice.user.id, [p1])).get(p1)?.tags, [
      "to read",
      "vision",
    ]);
    const filtered = await site.request("/library?tag=%3Cscript%3E", getAs(alice));
    assert.equal(filtered.status, 400);
  });

  test("read marks filter the page; remove takes the paper out", async () => {
    let res = await post(alice, "/library/read", { paper: p1, read: "1" }, true);
    assert.equal(((await res.json()) as { active: boolean }).active, true);
    assert.match(await page(alice, "?read=read"), new RegExp(`Paper ${p1}`));
    assert.doesNotMatch(await page(alice, "?read=unread"), new RegExp(`Paper ${p1}`));
    assert.match(await page(alice, "?read=read"), /Mark unread/);

    res = await post(alice, "/library/remove", { paper: p1 });
    assert.equal(res.status, 303);
    res = await post(alice, "/library/remove", { paper: p1 });
    assert.equal(res.status, 404);
    res = await post(alice, "/library/read", { paper: p1, read: "1" });
    assert.equal(res.status, 404);
    res = await post(alice, "/library/toggle", { paper: "nonsense" });
    assert.equal(res.status, 400);
    res = await post(alice, "/library/toggle", { paper: "2401.00001" });
    assert.equal(res.status, 404);
  });

  test("the save button reflects the state and links tags", async () => {
    const item = (await store.community.savedItems(alice.user.id, [p2])).get(p2) ?? null;
    const user = toSessionUser(alice.user);
    const saved = String(await SaveToLibrary({ paperId: p2, item, user, csrf: alice.csrf }));
    assert.match(saved, /aria-pressed="true"/);
    assert.match(saved, /href="\/library\?tag=theory"/);
    const unsaved = String(await SaveToLibrary({ paperId: p1, item: null, user, csrf: alice.csrf }));
    assert.match(unsaved, /aria-pressed="false"/);
    assert.match(unsaved, /action="\/library\/toggle"/);
    assert.equal(SaveToLibrary({ paperId: p1, item: null, user: null, csrf: "" }), null);
  });
});
