/**
 * The security review's finding, end to end through the app: members set digest webhook and Slack URLs at
 * /settings/digests, and the server used to POST to whatever they pointed at (loopback in any spelling, cloud
 * metadata). Now such URLs are refused when saved, and again when a digest is sent, without a connection;
 * Slack and webhook targets need a verified email, and a member keeps a bounded number of digests.
 */
import assert from "node:assert/strict";
import { after, before, beforeEach, describe, test } from "node:test";
import { loadConfig } from "../../src/config/config.ts";
import { UNVERIFIED_CHANNELS } from "../../src/http/digests/channel-targets.ts";
import { runDigests } from "../../src/jobs/digests.ts";
import { silentLogger } from "../../src/log.ts";
import { slackTarget, webhookTarget } from "../../src/mail/digest/channels/index.ts";
import type { Store } from "../../src/store/store.ts";
import { type FakeWebhook, startFakeWebhook } from "../fakes/webhook.ts";
import { seedDigestPapers } from "../helpers/digest-seed.ts";
import { createTestDatabase, type TestDatabase } from "../helpers/stores.ts";
import { createRecordingMailer, createTestApp, TEST_SECRET, type TestApp } from "../helpers/web.ts";

const NOW = "2026-11-26T12:00:00Z";

/** The app as an operator configures it through the environment (`PAPERBOY_*` security settings). */
function appWith(store: Store, env: Record<string, string>): TestApp {
  const probe = createTestApp(store);
  probe.close();
  const security = loadConfig(env).security;
  const web = createTestApp(store, { config: { ...probe.deps.config, security } });
  web.setNow(NOW);
  return web;
}

/** Escapes as the page does, to look for a message in the HTML. */
const html = (text: string) =>
  text.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/"/g, "&quot;");

describe("SSRF through digest channels (security review finding)", () => {
  let db: TestDatabase;
  let store: Store;
  let hook: FakeWebhook;
  let web: TestApp;
  let n = 0;

  before(async () => {
    db = await createTestDatabase("sqlite");
    store = await db.open();
    await seedDigestPapers(store, 3);
    hook = await startFakeWebhook();
    // The defaults: no host allow-listed; at most three digests per member here, to keep the test short.
    web = appWith(store, { PAPERBOY_MAX_SUBSCRIPTIONS: "3" });
  });
  after(async () => {
    web.close();
    await hook.close();
    await store.close();
    await db.drop();
  });
  beforeEach(() => {
    hook.connections = 0;
  });

  /** A signed-in member, with the headers and CSRF token their browser would send. */
  async function member(verified = true) {
    const user = await store.accounts.createUser({
      email: `member${++n}@example.org`,
      name: `Member ${n}`,
      password: "correct horse battery",
      role: "member",
      verified,
    });
    const session = await store.accounts.createSession(user.id, new Date(NOW));
    const post = (app: TestApp, path: string, fields: Record<string, string>) =>
      app.request(path, {
        method: "POST",
        headers: {
          Cookie: `pb_session=${session.token}`,
          "content-type": "application/x-www-form-urlencoded",
        },
        body: new URLSearchParams({ _csrf: session.session.csrfToken, ...fields }).toString(),
      });
    return { user, post };
  }

  const form = (fields: Record<string, string>) => ({
    frequency: "daily",
    hour: "8",
    timeZone: "UTC",
    trending: "3",
    searches: "kept search words",
    emailEnabled: "on",
    ...fields,
  });

  const badUrls = () => [
    `http://127.0.0.1:${hook.port}/`,
    `http://localhost:${hook.port}/`,
    `http://[::1]:${hook.port}/`,
    `http://[::ffff:127.0.0.1]:${hook.port}/`,
    `http://0x7f000001:${hook.port}/`,
    `http://2130706433:${hook.port}/`,
    `http://127.1:${hook.port}/`,
    "http://169.254.169.254/latest/meta-data/iam/security-credentials/",
  ];

  test("a verified member's webhook URL pointing inside is refused with a message, the form kept, nothing stored", async () => {
    const m = await member();
    for (const url of badUrls()) {
      const res = await m.post(web, "/settings/digests", form({ webhookUrl: url }));
      assert.equal(res.status, 400, url);
      const page = await res.text();
      assert.match(page, /which Paperboy does not call\./, url);
      assert.match(page, /class="field-error" id="webhookUrl-error"/, "the message sits by the field");
      assert.ok(page.includes(html(url)), "the URL is shown again to be corrected");
      assert.match(page, /kept search words/, "the rest of the input is kept");
    }
    assert.equal((await store.digests.ofUser(m.user.id)).length, 0);
    assert.equal(hook.connections, 0, "nothing was called while checking");
  });

  test("Slack URLs must be Slack's incoming webhooks; inside addresses are refused there too", async () => {
    const m = await member();
    for (const url of [...badUrls(), "https://hooks.slack.com.evil.example/services/T0/B0/x"]) {
      const res = await m.post(web, "/settings/digests", form({ slackUrl: url }));
      assert.equal(res.status, 400, url);
      assert.match(
        await res.text(),
        /A Slack webhook URL starts with https:\/\/hooks\.slack\.com\/services\//,
      );
    }
    assert.equal((await store.digests.ofUser(m.user.id)).length, 0);
    assert.equal(hook.connections, 0);
  });

  test("editing a digest to point inside is refused the same way, and the saved digest is unchanged", async () => {
    const m = await member();
    assert.equal((await m.post(web, "/settings/digests", form({}))).status, 303);
    const [sub] = await store.digests.ofUser(m.user.id);
    assert.ok(sub);
    const res = await m.post(
      web,
      `/settings/digests/${sub.id}`,
      form({ webhookUrl: `http://127.1:${hook.port}/` }),
    );
    assert.equal(res.status, 400);
    assert.match(await res.text(), /The URL points at a loopback address \(127\.0\.0\.1\)/);
    assert.deepEqual((await store.digests.get(sub.id))?.targets, []);
  });

  test("an unverified member may not send digests to Slack or a webhook", async () => {
    const m = await member(false);
    const res = await m.post(web, "/settings/digests", form({ webhookUrl: "https://example.org/hook" }));
    assert.equal(res.status, 400);
    assert.ok((await res.text()).includes(html(UNVERIFIED_CHANNELS)));
    assert.equal((await store.digests.ofUser(m.user.id)).length, 0);
  });

  test("a member keeps at most PAPERBOY_MAX_SUBSCRIPTIONS digests", async () => {
    const m = await member();
    for (let i = 0; i < 3; i++) {
      assert.equal((await m.post(web, "/settings/digests", form({}))).status, 303);
    }
    const refused = await m.post(web, "/settings/digests", form({ searches: "a fourth one" }));
    assert.equal(refused.status, 400);
    const page = await refused.text();
    assert.match(page, /You already have 3 active or pending digests, the most one member may keep\./);
    assert.match(page, /a fourth one/);
    assert.equal((await store.digests.ofUser(m.user.id)).length, 3);

    // Signed in, the public form leads to settings rather than making a digest outside the count.
    const publicForm = await m.post(web, "/digests/subscribe", {
      email: "elsewhere@example.org",
      ...form({}),
    });
    assert.equal(publicForm.status, 303);
    assert.equal((await store.digests.list({ email: "elsewhere@example.org" })).length, 0);

    const [first] = await store.digests.ofUser(m.user.id);
    assert.equal((await m.post(web, `/settings/digests/${first?.id}/unsubscribe`, {})).status, 303);
    assert.equal((await m.post(web, "/settings/digests", form({}))).status, 303, "room again");
  });

  test("a bad URL forced into the store is refused at send time: a hard failure, no connection", async () => {
    const forced = [];
    for (const url of badUrls()) {
      forced.push(
        await store.digests.subscribe(
          {
            email: "forced@example.org",
            schedule: { frequency: "daily", hour: 8, weekday: 1, timeZone: "UTC" },
            contents: { trending: 3, searches: [], categories: [], authors: [], recommendations: false },
            confirmed: true,
            emailEnabled: false,
            targets: [webhookTarget(url), slackTarget(url)],
          },
          new Date("2026-11-25T12:00:00Z"),
        ),
      );
    }
    await runDigests({
      store,
      mailer: createRecordingMailer([]),
      secret: TEST_SECRET,
      baseUrl: "http://paperboy.test",
      outbound: { allowHosts: web.deps.config.security.outboundAllowHosts },
      logger: silentLogger,
      now: () => new Date("2026-11-26T09:00:00Z"),
    });
    for (const sub of forced) {
      const rows = await store.digests.deliveries({ subscriptionId: sub.id });
      assert.deepEqual(rows.map((r) => [r.channel, r.state]).sort(), [
        ["slack", "failed"],
        ["webhook", "failed"],
      ]);
      const webhook = rows.find((r) => r.channel === "webhook");
      assert.match(webhook?.reason ?? "", /which Paperboy does not call/, JSON.stringify(sub.targets));
      assert.equal((await store.digests.get(sub.id))?.hardFailures, 2, "refusals are hard failures");
    }
    assert.equal(hook.connections, 0, "not one connection to the receiver");
    assert.equal(hook.received.length, 0);
  });

  test("an operator's allow-listed internal receiver is reached (PAPERBOY_OUTBOUND_ALLOW_HOSTS)", async () => {
    const internal = appWith(store, { PAPERBOY_OUTBOUND_ALLOW_HOSTS: "127.0.0.1" });
    try {
      const m = await member();
      const saved = await m.post(internal, "/settings/digests", form({ webhookUrl: `${hook.url}/internal` }));
      assert.equal(saved.status, 303);
      // The same URL is still refused where the operator did not allow it.
      assert.equal(
        (await m.post(web, "/settings/digests", form({ webhookUrl: `${hook.url}/x` }))).status,
        400,
      );
      await runDigests({
        store,
        mailer: createRecordingMailer([]),
        secret: TEST_SECRET,
        baseUrl: "http://paperboy.test",
        outbound: { allowHosts: internal.deps.config.security.outboundAllowHosts },
        logger: silentLogger,
        now: () => new Date("2026-11-27T09:00:00Z"),
      });
      assert.equal(hook.received.filter((r) => r.path === "/internal").length, 1);
    } finally {
      internal.close();
    }
  });
});
