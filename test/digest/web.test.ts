import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import type { Store } from "../../src/store/store.ts";
import { type SeedPaper, seedDigestPapers } from "../helpers/digest-seed.ts";
import { createTestDatabase, type TestDatabase } from "../helpers/stores.ts";
import { createTestApp, type TestApp } from "../helpers/web.ts";

describe("members' digest settings, preview and For you", () => {
  let db: TestDatabase;
  let store: Store;
  let web: TestApp;
  let papers: SeedPaper[];
  let headers: Record<string, string>;
  let csrf: string;
  let otherHeaders: Record<string, string>;

  before(async () => {
    db = await createTestDatabase("sqlite");
    store = await db.open();
    papers = await seedDigestPapers(store, 5);
    web = createTestApp(store);
    web.setNow("2026-11-26T12:00:00Z");
    const user = await store.accounts.createUser({
      email: "m@example.org",
      name: "M",
      password: "correct horse battery",
      role: "member",
      verified: true,
    });
    const session = await store.accounts.createSession(user.id, new Date("2026-11-26T11:00:00Z"));
    headers = { Cookie: `pb_session=${session.token}` };
    csrf = session.session.csrfToken;
    const other = await store.accounts.createUser({
      email: "o@example.org",
      name: "O",
      password: "correct horse battery",
      role: "member",
      verified: true,
    });
    const otherSession = await store.accounts.createSession(other.id, new Date("2026-11-26T11:00:00Z"));
    otherHeaders = { Cookie: `pb_session=${otherSession.token}` };
    for (const p of papers.filter((x) => x.topic === "graphs").slice(0, 2)) {
      await store.community.setVote(user.id, p.id as never, true);
    }
  });
  after(async () => {
    web.close();
    await store.close();
    await db.drop();
  });

  const post = (path: string, fields: Record<string, string>, as = headers, token = csrf) =>
    web.request(path, {
      method: "POST",
      headers: { ...as, "content-type": "application/x-www-form-urlencoded" },
      body: new URLSearchParams({ _csrf: token, ...fields }).toString(),
    });

  test("a member subscribes in settings (verified: no second opt-in) and previews the mail", async () => {
    const res = await post("/settings/digests", {
      frequency: "weekly",
      weekday: "5",
      hour: "7",
      timeZone: "America/New_York",
      trending: "3",
      categories: "cs.LG",
      searches: "reinforcement policy\ncat:cs.CV diffusion",
      authors: "Shared Person",
      recommendations: "on",
      emailEnabled: "on",
    });
    assert.equal(res.status, 303);
    const [sub] = await store.digests.list({ email: "m@example.org" });
    assert.ok(sub);
    assert.equal(sub.state, "active");
    assert.deepEqual(sub.contents.searches, [{ q: "reinforcement policy" }, { q: "cat:cs.CV diffusion" }]);
    assert.equal(sub.schedule.weekday, 5);

    const page = await web.request("/settings/digests", { headers });
    assert.equal(page.status, 200);
    assert.match(await page.text(), /Weekly digest to m@example\.org/);

    const preview = await web.request(`/settings/digests/${sub.id}/preview`, { headers });
    assert.equal(preview.status, 200);
    assert.match(preview.headers.get("content-security-policy") ?? "", /default-src 'none'/);
    const html = await preview.text();
    assert.match(html, /Recommended for you/);
    // Without recommendations (which took the best matches first), the saved search has its own section.
    const saved = await post(`/settings/digests/${sub.id}`, {
      frequency: "weekly",
      weekday: "5",
      hour: "7",
      timeZone: "America/New_York",
      trending: "0",
      searches: "reinforcement policy",
      emailEnabled: "on",
    });
    assert.equal(saved.status, 303);
    const text = await (
      await web.request(`/settings/digests/${sub.id}/preview?format=text`, { headers })
    ).text();
    assert.match(text, /New for your search “reinforcement policy”/);
    assert.doesNotMatch(text, /Recommended for you/);
    // Previewing records nothing: no suggestion is spent.
    assert.equal((await store.digests.suggested(sub.userId as string)).size, 0);

    const foreign = await web.request(`/settings/digests/${sub.id}/preview`, { headers: otherHeaders });
    assert.equal(foreign.status, 404, "another member's subscription is not theirs to see");
    const bad = await post(`/settings/digests/${sub.id}`, {
      frequency: "daily",
      hour: "8",
      timeZone: "Nowhere/Land",
    });
    assert.equal(bad.status, 400);
  });

  test("an unverified member's digest waits for the double opt-in link", async () => {
    const user = await store.accounts.createUser({
      email: "new@example.org",
      name: "N",
      password: "correct horse battery",
      role: "member",
      verified: false,
    });
    const session = await store.accounts.createSession(user.id, new Date("2026-11-26T11:00:00Z"));
    const res = await post(
      "/settings/digests",
      { frequency: "daily", hour: "8", timeZone: "UTC", trending: "3", emailEnabled: "on" },
      { Cookie: `pb_session=${session.token}` },
      session.session.csrfToken,
    );
    assert.equal(res.status, 200);
    const [sub] = await store.digests.ofUser(user.id);
    assert.equal(sub?.state, "pending");
    const mail = web.outbox.at(-1);
    assert.equal(mail?.to, "new@example.org");
    assert.match(mail?.text ?? "", /\/digests\/confirm\?token=/);
  });

  test("For you and /api/for-you show the same list with reasons; not interested removes a paper", async () => {
    const api = await web.request("/api/for-you?limit=5", { headers });
    assert.equal(api.status, 200);
    const body = (await api.json()) as { papers: { id: string; reason: string; terms: string[] }[] };
    assert.ok(body.papers.length > 0);
    const graphs = new Set(papers.filter((p) => p.topic === "graphs").map((p) => p.id));
    assert.ok(
      graphs.has(body.papers[0]?.id as string),
      "graph papers first for a reader who upvoted graph papers",
    );
    assert.match(body.papers[0]?.reason ?? "", /^Like “.+” you upvoted$/);
    assert.ok((body.papers[0]?.terms.length ?? 0) > 0);

    const page = await (await web.request("/for-you", { headers })).text();
    for (const p of body.papers) assert.ok(page.includes(`/papers/${p.id}`), p.id);

    const first = body.papers[0]?.id as string;
    const dismissed = await post(`/for-you/${first}/not-interested`, {});
    assert.equal(dismissed.status, 303);
    const again = (await (await web.request("/api/for-you?limit=5", { headers })).json()) as {
      papers: { id: string }[];
    };
    assert.ok(!again.papers.some((p) => p.id === first));

    assert.equal((await web.request("/api/for-you?limit=0", { headers })).status, 400);
    assert.equal((await web.request("/api/for-you")).status, 401, "members only");
    assert.equal((await post("/for-you/not-an-id/not-interested", {})).status, 400);
  });
});
