import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import type { ArxivId } from "../../src/core/index.ts";
import { systemClock } from "../../src/net/clock.ts";
import { IntervalLimiter } from "../../src/net/interval-limiter.ts";
import { ArxivApiClient } from "../../src/sources/arxiv/api.ts";
import type { Store } from "../../src/store/store.ts";
import { ARXIV_API_PATH, type FakeArxivApi, recordedBody, startFakeArxivApi } from "../fakes/arxiv-api.ts";
import { type Browser, formPost, getAs, makeUser, seedPapers, signIn } from "../helpers/community.ts";
import { day } from "../helpers/factories.ts";
import { createTestDatabase, type TestDatabase } from "../helpers/stores.ts";
import { createTestApp, type TestApp } from "../helpers/web.ts";

const TODAY = "2024-06-01";

describe("submitting papers over HTTP", () => {
  let db: TestDatabase;
  let store: Store;
  let arxiv: FakeArxivApi;
  let site: TestApp;
  let offline: TestApp;
  let alice: Browser;
  let bob: Browser;
  let unverified: Browser;
  let featured: ArxivId;
  let storedOnly: ArxivId;

  before(async () => {
    db = await createTestDatabase("sqlite");
    store = await db.open();
    arxiv = await startFakeArxivApi({ holdTurns: 0 });
    const client = new ArxivApiClient({
      baseUrl: `${arxiv.url}${ARXIV_API_PATH}`,
      limiter: new IntervalLimiter(0, systemClock),
      retry: { attempts: 1 },
      timeoutMs: 10_000,
    });
    site = createTestApp(store, { arxiv: client });
    offline = createTestApp(store);
    alice = await signIn(store, await makeUser(store, { name: "Alice" }));
    bob = await signIn(store, await makeUser(store, { name: "Bob" }));
    unverified = await signIn(store, await makeUser(store, { verified: false }));
    [featured = "" as ArxivId] = await seedPapers(store, [
      { id: "2405.15738", hfUpvotes: 5, day: "2024-05-27" },
    ]);
    [storedOnly = "" as ArxivId] = await seedPapers(store, [{ id: "2402.00001" }]);
  });
  after(async () => {
    site.close();
    offline.close();
    await arxiv.close();
    await store.close();
    await db.drop();
  });

  const submit = (who: Browser, paper: string, app: TestApp = site) =>
    app.request("/submit", formPost(who, { paper }));
  const requestsFor = (id: string) =>
    arxiv.requests.filter((r) => r.url.searchParams.get("id_list") === id).length;

  test("the form is for verified members; others are told how to get there", async () => {
    let html = await (await site.request("/submit")).text();
    assert.match(html, /Sign in<\/a> \(or <a href="\/signup">sign up<\/a>\) to submit/);
    html = await (await site.request("/submit", getAs(unverified))).text();
    assert.match(html, /Verify your email address to submit/);
    assert.doesNotMatch(html, /name="paper"/);
    html = await (await site.request("/submit", getAs(alice))).text();
    assert.match(html, /name="paper"/);
    const res = await submit(unverified, "1605.08386");
    assert.equal(res.status, 403);
    assert.equal(requestsFor("1605.08386"), 0);
  });

  test("a paper is fetched from arXiv and joins today's list with its submitter", async () => {
    const res = await submit(alice, "https://arxiv.org/abs/1605.08386v1");
    assert.equal(res.status, 200);
    const html = await res.text();
    assert.match(html, /Added <a href="\/papers\/1605.08386">Heat-bath random walks with Markov bases<\/a>/);
    const paper = await store.getPaper("1605.08386" as ArxivId);
    assert.equal(paper?.title, "Heat-bath random walks with Markov bases");
    assert.deepEqual(paper?.sources, ["arxiv-api", "submission"]);
    const entry = (await store.dailyEntries(day(TODAY))).find((e) => e.paperId === "1605.08386");
    assert.equal(entry?.source, "submission");
    assert.deepEqual(entry?.submitter, { name: "Alice", fullname: "Alice" });
    assert.equal((await store.community.getSubmission("1605.08386" as ArxivId))?.state, "done");
  });

  test("a duplicate is already here, with a link, and costs no arXiv request", async () => {
    const before = arxiv.requests.length;
    let res = await submit(bob, "arXiv:1605.08386");
    assert.equal(res.status, 409);
    let html = await res.text();
    assert.match(html, /arXiv:1605.08386 is already here/);
    assert.match(html, /href="\/papers\/1605.08386"/);
    res = await submit(bob, featured);
    assert.equal(res.status, 409);
    html = await res.text();
    assert.match(html, /already here \(on the list of 27 May 2024\)/);
    assert.equal(arxiv.requests.length, before);
  });

  test("a stored paper that was never listed joins the list without asking arXiv", async () => {
    const before = arxiv.requests.length;
    const res = await submit(bob, storedOnly, offline);
    assert.equal(res.status, 200);
    assert.equal(arxiv.requests.length, before);
    const entry = (await store.dailyEntries(day(TODAY))).find((e) => e.paperId === storedOnly);
    assert.deepEqual(entry?.submitter, { name: "Bob", fullname: "Bob" });
    assert.ok((await store.getPaper(storedOnly))?.sources.includes("submission"));
  });

  test("bad ids get a clear message, the text kept, and no request", async () => {
    const before = arxiv.requests.length;
    for (const input of ["abc", "2413.12345", "<script>alert(1)</script>"]) {
      const res = await submit(alice, input);
      assert.equal(res.status, 400);
      const html = await res.text();
      assert.match(html, /not an arXiv id/);
      assert.match(html, /Enter an id like 2405.15738/);
      assert.doesNotMatch(html, /<script>alert/);
      assert.match(html, /name="paper" value="/);
    }
    assert.equal((await submit(alice, "   ")).status, 400);
    assert.equal(arxiv.requests.length, before);
  });

  test("a paper arXiv does not have is reported, and nothing is kept", async () => {
    arxiv.inject((url) => url.searchParams.get("id_list") === "2401.00009", {
      body: recordedBody("id_0000.0000_"),
    });
    const res = await submit(alice, "2401.00009");
    assert.equal(res.status, 404);
    assert.match(await res.text(), /arXiv has no paper 2401.00009/);
    assert.equal(await store.getPaper("2401.00009" as ArxivId), null);
    assert.equal(await store.community.getSubmission("2401.00009" as ArxivId), null);
  });

  test("when arXiv is down the member is told so, nothing is lost, and a retry works", async () => {
    arxiv.inject((url) => url.searchParams.get("id_list") === "1707.08567", { status: 503, body: "down" });
    let res = await submit(alice, "1707.08567");
    assert.equal(res.status, 503);
    const html = await res.text();
    assert.match(html, /arXiv is not answering right now/);
    assert.match(html, /name="paper" value="1707.08567"/);
    assert.equal(await store.getPaper("1707.08567" as ArxivId), null);
    assert.equal(await store.community.getSubmission("1707.08567" as ArxivId), null);

    res = await submit(bob, "1707.08567");
    assert.equal(res.status, 200);
    assert.equal((await store.community.getSubmission("1707.08567" as ArxivId))?.userId, bob.user.id);
  });

  test("two members submitting the same paper at once make one entry", async () => {
    arxiv.inject((url) => url.searchParams.get("id_list") === "2104.12255", {
      body: recordedBody("id_2104.12255v1_"),
    });
    const answers = await Promise.all([submit(alice, "2104.12255"), submit(bob, "2104.12255v1")]);
    assert.deepEqual(answers.map((r) => r.status).sort(), [200, 409]);
    const refused = answers.find((r) => r.status === 409);
    assert.match((await refused?.text()) ?? "", /already here/);
    const entries = (await store.dailyEntries(day(TODAY))).filter((e) => e.paperId === "2104.12255");
    assert.equal(entries.length, 1);
    assert.equal(requestsFor("2104.12255"), 1);
  });

  test("offline, new papers are refused with the reason", async () => {
    const res = await submit(alice, "astro-ph/0601001", offline);
    assert.equal(res.status, 503);
    assert.match(await res.text(), /runs without access to arXiv/);
    assert.equal(await store.community.getSubmission("astro-ph/0601001" as ArxivId), null);
  });

  test("scripts get JSON", async () => {
    const res = await site.request("/submit", formPost(alice, { paper: "astro-ph/0601001" }, { json: true }));
    assert.equal(res.status, 200);
    assert.deepEqual(await res.json(), { kind: "added", paperId: "astro-ph/0601001", day: TODAY });
    const again = await site.request("/submit", formPost(bob, { paper: "astro-ph/0601001" }, { json: true }));
    assert.equal(again.status, 409);
    assert.deepEqual(await again.json(), {
      kind: "duplicate",
      paperId: "astro-ph/0601001",
      featuredOn: TODAY,
    });
    assert.deepEqual(arxiv.unplanned, []);
  });
});
