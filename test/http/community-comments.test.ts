import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import type { ArxivId } from "../../src/core/index.ts";
import { toSessionUser } from "../../src/http/accounts/session.ts";
import { CommentsSection } from "../../src/http/views/community.tsx";
import type { Store } from "../../src/store/store.ts";
import { type Browser, formPost, getAs, makeUser, seedPapers, signIn } from "../helpers/community.ts";
import { createTestDatabase, type TestDatabase } from "../helpers/stores.ts";
import { createTestApp, type TestApp } from "../helpers/web.ts";

const UUID = /[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/;

describe("comments over HTTP", () => {
  let db: TestDatabase;
  let store: Store;
  let site: TestApp;
  let alice: Browser;
  let bob: Browser;
  let unverified: Browser;
  let admin: Browser;
  let paper: ArxivId;

  before(async () => {
    db = await createTestDatabase("sqlite");
    store = await db.open();
    site = createTestApp(store);
    alice = await signIn(store, await makeUser(store, { name: "Alice" }));
    bob = await signIn(store, await makeUser(store, { name: "Bob <b>" }));
    unverified = await signIn(store, await makeUser(store, { verified: false }));
    admin = await signIn(store, await makeUser(store, { role: "admin" }));
    [paper = "" as ArxivId] = await seedPapers(store, [{ id: "2405.15738", hfUpvotes: 3 }]);
  });
  after(async () => {
    site.close();
    await store.close();
    await db.drop();
  });

  const post = (who: Browser | null, path: string, fields: Record<string, string>, json = false) =>
    site.request(path, formPost(who, fields, { json }));

  /** Posts a comment as `who` and returns its id (from the redirect to its anchor). */
  async function comment(who: Browser, body: string, parent?: string): Promise<string> {
    const res = await post(who, `/papers/${paper}/comments`, parent ? { body, parent } : { body });
    assert.equal(res.status, 303, await res.clone().text());
    const location = res.headers.get("location") ?? "";
    assert.match(location, new RegExp(`^/papers/${paper}#comment-`));
    return UUID.exec(location)?.[0] ?? "";
  }

  async function section(who: Browser | null): Promise<string> {
    const comments = await store.community.comments(paper);
    const user = who ? toSessionUser(who.user) : null;
    const element = CommentsSection({ paperId: paper, comments, user, csrf: who?.csrf ?? "" });
    return String(await element);
  }

  test("a verified member comments and replies; the thread renders nested", async () => {
    const top = await comment(alice, "First **look**: see https://arxiv.org/abs/2405.15738.");
    const reply = await comment(bob, "Agreed.", top);
    const stored = await store.community.getComment(reply);
    assert.equal(stored?.parentId, top);
    const html = await section(alice);
    assert.match(html, /<strong>look<\/strong>/);
    assert.match(html, /<a href="https:\/\/arxiv.org\/abs\/2405.15738" rel="nofollow ugc noopener">/);
    assert.match(html, /Bob &lt;b&gt;/);
    assert.match(
      html,
      new RegExp(`id="comment-${top}"[\\s\\S]*<ol class="comment-list">[\\s\\S]*id="comment-${reply}"`),
    );
    // Alice may edit and delete her own comment, not Bob's.
    assert.match(html, new RegExp(`action="/comments/${top}/edit"`));
    assert.doesNotMatch(html, new RegExp(`action="/comments/${reply}/edit"`));
    assert.match(html, new RegExp(`name="_csrf" value="${alice.csrf}"`));
  });

  test("no HTML or script from a comment ever reaches the page", async () => {
    const id = await comment(
      alice,
      '<script>alert(1)</script> [x](javascript:alert(1)) <img src=x onerror=alert(1)> "quoted"',
    );
    const html = await section(bob);
    const body =
      new RegExp(`id="comment-${id}"[\\s\\S]*?<div class="comment-body">([\\s\\S]*?)</div>`).exec(
        html,
      )?.[1] ?? "";
    assert.match(body, /&lt;script&gt;alert\(1\)&lt;\/script&gt;/);
    assert.doesNotMatch(html, /<script|<img|href="javascript/i);
  });

  test("visitors are asked to sign in, unverified members how to verify", async () => {
    assert.match(await section(null), /Sign in<\/a> to comment/);
    const html = await section(unverified);
    assert.match(html, /Verify your email address to comment/);
    assert.match(html, /href="\/settings"/);
    assert.doesNotMatch(html, /<textarea/);

    const res = await post(unverified, `/papers/${paper}/comments`, { body: "hello" });
    assert.equal(res.status, 403);
    assert.match(await res.text(), /Verify your email/);
    const forged = await site.request(
      `/papers/${paper}/comments`,
      formPost(alice, { body: "forged" }, { csrf: false }),
    );
    assert.equal(forged.status, 403);
    assert.ok(
      !(await store.community.comments(paper)).some((c) => c.body === "forged" || c.body === "hello"),
    );
  });

  test("an empty or overlong comment comes back with the reason and the text kept", async () => {
    let res = await post(alice, `/papers/${paper}/comments`, { body: "   " });
    assert.equal(res.status, 400);
    assert.match(await res.text(), /the comment is empty/);
    const long = `<b>${"x".repeat(10_001)}`;
    res = await post(alice, `/papers/${paper}/comments`, { body: long });
    assert.equal(res.status, 400);
    const html = await res.text();
    assert.match(html, /the limit is 10000/);
    assert.match(html, /<textarea[^>]*>&lt;b&gt;xxxx/);
    res = await post(alice, `/papers/${paper}/comments`, { body: "x", parent: "not-a-uuid" }, true);
    assert.equal(res.status, 404);
  });

  test("edit and delete are the author's own; admins remove", async () => {
    const id = await comment(bob, "Typo hre");
    let res = await post(alice, `/comments/${id}/edit`, { body: "hijacked" });
    assert.equal(res.status, 403);
    res = await post(bob, `/comments/${id}/edit`, { body: "Typo here" });
    assert.equal(res.status, 303);
    assert.equal((await store.community.getComment(id))?.body, "Typo here");
    assert.match(await section(null), /edited/);

    res = await post(alice, `/comments/${id}/delete`, {});
    assert.equal(res.status, 403);
    res = await post(alice, `/comments/${id}/remove`, {});
    assert.equal(res.status, 403);
    res = await post(bob, `/comments/${id}/delete`, {}, true);
    assert.equal(res.status, 200);
    assert.equal((await store.community.getComment(id))?.state, "deleted");

    const other = await comment(alice, "spam spam");
    assert.match(await section(admin), new RegExp(`action="/comments/${other}/remove"`));
    res = await post(admin, `/comments/${other}/remove`, {});
    assert.equal(res.status, 303);
    const removed = await store.community.getComment(other);
    assert.equal(removed?.state, "removed");
    assert.doesNotMatch(await section(null), /spam spam/);

    res = await post(bob, "/comments/00000000-0000-4000-8000-000000000000/edit", { body: "x" });
    assert.equal(res.status, 404);
    res = await post(bob, "/comments/../../etc/delete", {});
    assert.equal(res.status, 404);
  });

  test("the paper page shows the thread, the vote button and the forms", async () => {
    const res = await site.request(`/papers/${paper}`, getAs(alice));
    assert.equal(res.status, 200);
    const html = await res.text();
    assert.match(html, /<strong>look<\/strong>/);
    assert.match(html, new RegExp(`action="/papers/${paper}/vote"`));
    assert.match(html, new RegExp(`action="/papers/${paper}/comments"`));
    assert.doesNotMatch(html, /<script>alert/);
  });

  test("the JSON answer of a new comment carries it", async () => {
    const res = await post(alice, `/papers/${paper}/comments`, { body: "via script" }, true);
    assert.equal(res.status, 201);
    const { comment: created } = (await res.json()) as { comment: { body: string; authorName: string } };
    assert.equal(created.body, "via script");
    assert.equal(created.authorName, "Alice");
  });
});
