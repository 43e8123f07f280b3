import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import { slackPayload } from "../../src/mail/digest/channels/slack.ts";
import { webhookPayload } from "../../src/mail/digest/channels/webhook.ts";
import { previewDigest } from "../../src/mail/digest/preview.ts";
import { thumbLinks } from "../../src/mail/digest/thumb-links.ts";
import type { Store } from "../../src/store/store.ts";
import { type SeedPaper, seedDigestPapers } from "../helpers/digest-seed.ts";
import { createTestDatabase, type TestDatabase } from "../helpers/stores.ts";
import { createTestApp, TEST_SECRET, type TestApp } from "../helpers/web.ts";

const BASE = "http://paperboy.test";
const NOW = new Date("2026-11-26T12:00:00Z");

describe("thumbs links in digests: mail, Slack and webhook, each recording the member's thumb", () => {
  let db: TestDatabase;
  let store: Store;
  let web: TestApp;
  let papers: SeedPaper[];
  let userId: string;

  before(async () => {
    db = await createTestDatabase("sqlite");
    store = await db.open();
    papers = await seedDigestPapers(store, 5);
    web = createTestApp(store);
    web.setNow(NOW.toISOString());
    const user = await store.accounts.createUser({
      email: "d@example.org",
      name: "D",
      password: "correct horse battery",
      role: "member",
      verified: true,
    });
    userId = user.id;
    for (const p of papers.filter((x) => x.topic === "diffusion").slice(0, 2)) {
      await store.community.saveToLibrary(userId, p.id as never, {});
    }
  });
  after(async () => {
    web.close();
    await store.close();
    await db.drop();
  });

  test("the mail has a signed up and down link under each recommended paper only; following one records it", async () => {
    const sub = await store.digests.subscribe(
      {
        email: "d@example.org",
        userId,
        schedule: { frequency: "daily", hour: 8, weekday: 1, timeZone: "UTC" },
        contents: { trending: 3, searches: [], categories: [], authors: [], recommendations: true },
        confirmed: true,
      },
      NOW,
    );
    const { rendered } = await previewDigest(store, sub, { baseUrl: BASE, secret: TEST_SECRET, now: NOW });
    const recommended = rendered.text.slice(
      rendered.text.indexOf("Recommended for you"),
      rendered.text.indexOf("Trending"),
    );
    const ups = [...recommended.matchAll(/More like this: (\S+)/g)].map((m) => m[1] as string);
    const downs = [...recommended.matchAll(/Less like this: (\S+)/g)].map((m) => m[1] as string);
    assert.ok(ups.length > 0 && ups.length === downs.length);
    assert.equal(
      [...rendered.text.matchAll(/More like this: /g)].length,
      ups.length,
      "trending papers carry no thumbs",
    );
    assert.ok(rendered.html.includes("👍 More like this"));
    assert.ok(rendered.html.includes(ups[0]?.replace(/&/g, "&amp;") as string));

    const link = new URL(downs[0] as string);
    const res = await web.request(`${link.pathname}${link.search}`, { method: "POST" });
    assert.equal(res.status, 200);
    const paperId = link.searchParams.get("p") as string;
    assert.deepEqual(
      (await store.recommend.thumbs(userId)).map((t) => [t.paperId, t.thumb]),
      [[paperId, "down"]],
    );
    assert.ok(papers.some((p) => p.id === paperId));
  });

  test("Slack and webhook payloads carry the same links for recommended papers", () => {
    const [a, b] = papers as [SeedPaper, SeedPaper];
    const stored = new Map([a, b].map((p) => [p.id, { id: p.id, title: p.title, authors: ["X"] } as never]));
    const thumbUrls = thumbLinks(BASE, TEST_SECRET, userId);
    const payload = {
      subscriptionId: "s1",
      periodKey: "2026-11-26",
      heading: "Digest",
      content: {
        sections: [
          {
            kind: "recommended" as const,
            title: "Recommended for you",
            items: [{ paperId: a.id, reason: "r", terms: [] }],
          },
          { kind: "trending" as const, title: "Trending", items: [{ paperId: b.id, reason: "", terms: [] }] },
        ],
      },
      papers: stored,
      paperUrl: (id: string) => `${BASE}/papers/${id}`,
      thumbUrls,
    };
    const slack = JSON.stringify(slackPayload(payload));
    assert.ok(slack.includes(`<${thumbUrls(a.id).up}|👍>`));
    assert.ok(slack.includes(`<${thumbUrls(a.id).down}|👎>`));
    assert.ok(!slack.includes(thumbUrls(b.id).up), "no thumbs on trending");
    const hook = webhookPayload(payload);
    assert.deepEqual(hook.sections[0]?.papers[0]?.thumbs, thumbUrls(a.id));
    assert.equal(hook.sections[1]?.papers[0]?.thumbs, undefined);
  });
});
