import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import { thumbLinks } from "../../src/mail/digest/thumb-links.ts";
import type { Store } from "../../src/store/store.ts";
import { type SeedPaper, seedDigestPapers } from "../helpers/digest-seed.ts";
import { createTestDatabase, type TestDatabase } from "../helpers/stores.ts";
import { createTestApp, TEST_SECRET, type TestApp } from "../helpers/web.ts";

interface ApiRec {
  id: string;
  reason: string;
  tag: string | null;
  like: { id: string; kind: string }[];
}

describe("thumbs on recommendations: the For-you page, signed mail links and the API", () => {
  let db: TestDatabase;
  let store: Store;
  let web: TestApp;
  let papers: SeedPaper[];
  let userId: string;
  let headers: Record<string, string>;
  let csrf: string;
  let token: string;
  const topicOf = (id: string) => papers.find((p) => p.id === id)?.topic;

  before(async () => {
    db = await createTestDatabase("sqlite");
    store = await db.open();
    papers = await seedDigestPapers(store, 6);
    web = createTestApp(store);
    web.setNow("2026-11-26T12:00:00Z");
    const user = await store.accounts.createUser({
      email: "t@example.org",
      name: "T",
      password: "correct horse battery",
      role: "member",
      verified: true,
    });
    userId = user.id;
    const session = await store.accounts.createSession(user.id, new Date("2026-11-26T11:00:00Z"));
    headers = { Cookie: `pb_session=${session.token}` };
    csrf = session.session.csrfToken;
    token = (await store.accounts.createApiToken(user.id, "tests", undefined, "write")).token;
    const rl = papers.filter((p) => p.topic === "rl");
    await store.community.saveToLibrary(userId, rl[0]?.id as never, { tags: ["rl"] });
    await store.community.saveToLibrary(userId, rl[1]?.id as never, { tags: ["rl"] });
  });
  after(async () => {
    web.close();
    await store.close();
    await db.drop();
  });

  const thumbForm = (id: string, thumb: string, token = csrf) =>
    web.request(`/for-you/${id}/thumb`, {
      method: "POST",
      headers: { ...headers, "content-type": "application/x-www-form-urlencoded" },
      body: new URLSearchParams({ _csrf: token, thumb }).toString(),
    });

  test("the page shows each paper's reason and thumbs; a thumb needs the session's CSRF token", async () => {
    const page = await (await web.request("/for-you", { headers })).text();
    assert.match(page, /In your tag “rl”, like “[^”]+”/);
    assert.match(page, /name="thumb" value="up"/);
    assert.match(page, /name="thumb" value="down"/);
    const first = /href="\/papers\/([^"]+)"/.exec(page)?.[1] as string;
    assert.equal(topicOf(first), "rl");

    const forged = await thumbForm(first, "down", "not-the-token");
    assert.equal(forged.status, 403, "no CSRF token, no thumb");
    assert.deepEqual(await store.recommend.thumbs(userId), []);

    const res = await thumbForm(first, "down");
    assert.equal(res.status, 303);
    assert.deepEqual(
      (await store.recommend.thumbs(userId)).map((t) => [t.paperId, t.thumb]),
      [[first, "down"]],
    );
    const after = await (await web.request("/for-you", { headers })).text();
    assert.ok(!after.includes(`/papers/${first}"`), "a thumbed-down paper leaves the list");

    assert.equal((await thumbForm(first, "sideways")).status, 400);
    assert.equal((await thumbForm("2611.99999", "up")).status, 404, "no such paper");
    await thumbForm(first, "none");
    assert.deepEqual(await store.recommend.thumbs(userId), [], "none takes the thumb back");
    const visitor = await web.request(`/for-you/${first}/thumb`, { method: "POST" });
    assert.notEqual(visitor.status, 303);
  });

  test("a signed mail link records its thumb, once and idempotently; a tampered one records nothing", async () => {
    const target = papers.find((p) => p.topic === "graphs") as SeedPaper;
    const links = thumbLinks("http://paperboy.test", TEST_SECRET, userId)(target.id);
    const up = new URL(links.up);
    assert.equal(up.pathname, "/recommend/thumb");

    // A visitor (a mail client, a link scanner) only sees a button: nothing is recorded by GET.
    const shown = await web.request(`${up.pathname}${up.search}`);
    assert.equal(shown.status, 200);
    assert.match(await shown.text(), /<form method="post" action="\/recommend\/thumb\?/);
    assert.deepEqual(await store.recommend.thumbs(userId), []);

    // The button's POST has neither cookie nor CSRF token: the signature is its authority.
    const clicked = await web.request(`${up.pathname}${up.search}`, { method: "POST" });
    assert.equal(clicked.status, 200);
    assert.match(await clicked.text(), /lean towards papers like/);
    const once = await store.recommend.thumbs(userId);
    assert.deepEqual(
      once.map((t) => [t.paperId, t.thumb]),
      [[target.id, "up"]],
    );
    const twice = await web.request(`${up.pathname}${up.search}`, { method: "POST" });
    assert.equal(twice.status, 200);
    assert.deepEqual(await store.recommend.thumbs(userId), once, "the same link again changes nothing");

    const tampered = [
      up.search.replace(/t=up/, "t=down"),
      up.search.replace(/p=[^&]+/, `p=${papers.find((p) => p.topic === "diffusion")?.id}`),
      up.search.replace(/u=[^&]+/, "u=someone-else"),
      up.search.replace(/s=[^&]+/, "s=AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA"),
      up.search.replace(/&s=[^&]+/, ""),
    ];
    for (const search of tampered) {
      const res = await web.request(`/recommend/thumb${search}`, { method: "POST" });
      assert.equal(res.status, 400, search);
      assert.equal((await web.request(`/recommend/thumb${search}`)).status, 400, search);
    }
    assert.deepEqual(await store.recommend.thumbs(userId), once, "tampered links recorded nothing");

    // Signed in as the member the link names, one click (the GET) records it.
    const down = new URL(links.down);
    const oneClick = await web.request(`${down.pathname}${down.search}`, { headers });
    assert.equal(oneClick.status, 200);
    assert.match(await oneClick.text(), /will not be recommended to you again/);
    assert.deepEqual(
      (await store.recommend.thumbs(userId)).map((t) => [t.paperId, t.thumb]),
      [[target.id, "down"]],
    );
    await store.recommend.setThumb(userId, target.id, null);
  });

  test("the API: for-you with reasons, thumbs up and down, the thumbs given, all in openapi.json", async () => {
    const auth = { Authorization: `Bearer ${token}` };
    const res = await web.request("/api/for-you?limit=5", { headers: auth });
    assert.equal(res.status, 200);
    const { papers: recs } = (await res.json()) as { papers: ApiRec[] };
    assert.ok(recs.length > 0);
    assert.equal(recs[0]?.tag, "rl");
    assert.match(recs[0]?.reason ?? "", /^In your tag “rl”, like “[^”]+”$/);
    assert.equal(recs[0]?.like[0]?.kind, "saved");

    const graph = papers.find((p) => p.topic === "graphs") as SeedPaper;
    const put = (id: string, body: unknown, h: Record<string, string> = auth) =>
      web.request(`/api/for-you/${id}/thumb`, {
        method: "PUT",
        headers: { ...h, "content-type": "application/json" },
        body: JSON.stringify(body),
      });
    const upped = await put(graph.id, { thumb: "up" });
    assert.equal(upped.status, 200);
    assert.deepEqual(await upped.json(), { id: graph.id, thumb: "up" });
    assert.equal((await put(graph.id, { thumb: "maybe" })).status, 400);
    assert.equal((await put("2611.99999", { thumb: "up" })).status, 404);
    // A cookie session needs its CSRF token for a PUT, as for any write.
    assert.equal((await put(graph.id, { thumb: "down" }, headers)).status, 403);
    assert.equal((await put(graph.id, { thumb: "down" }, { ...headers, "X-CSRF-Token": csrf })).status, 200);

    const listed = (await (await web.request("/api/for-you/thumbs", { headers: auth })).json()) as {
      thumbs: { id: string; thumb: string }[];
    };
    assert.deepEqual(
      listed.thumbs.map((t) => [t.id, t.thumb]),
      [[graph.id, "down"]],
    );
    assert.equal((await web.request("/api/for-you")).status, 401);
    assert.equal((await web.request("/api/for-you/thumbs")).status, 401);

    const doc = (await (await web.request("/api/openapi.json")).json()) as {
      paths: Record<string, Record<string, { operationId: string }>>;
    };
    assert.equal(doc.paths["/for-you"]?.get?.operationId, "forYou");
    assert.equal(doc.paths["/for-you/{id}/thumb"]?.put?.operationId, "setThumb");
    assert.equal(doc.paths["/for-you/thumbs"]?.get?.operationId, "listThumbs");
  });
});
