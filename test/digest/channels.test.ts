import assert from "node:assert/strict";
import { createHmac } from "node:crypto";
import { after, before, describe, test } from "node:test";
import { loadConfig } from "../../src/config/config.ts";
import { runDigests } from "../../src/jobs/digests.ts";
import { silentLogger } from "../../src/log.ts";
import {
  channelOf,
  type DeliveryChannel,
  SLACK_WEBHOOK_PREFIX,
  slackTarget,
  webhookTarget,
} from "../../src/mail/digest/channels/index.ts";
import type { MailMessage } from "../../src/mail/mailer.ts";
import type { Store } from "../../src/store/store.ts";
import { type FakeWebhook, startFakeWebhook } from "../fakes/webhook.ts";
import { seedDigestPapers } from "../helpers/digest-seed.ts";
import { createTestDatabase, type TestDatabase } from "../helpers/stores.ts";
import { createRecordingMailer } from "../helpers/web.ts";

const HOSTILE = "<!channel> & <https://evil.example|click> *bold*";
/** The fake receivers listen on loopback: the operator's allow-list lets deliveries reach them, nothing else. */
const outbound = {
  allowHosts: loadConfig({ PAPERBOY_OUTBOUND_ALLOW_HOSTS: "127.0.0.1" }).security.outboundAllowHosts,
};
const schedule = { frequency: "daily", hour: 8, weekday: 1, timeZone: "UTC" } as const;
const contents = { trending: 3, searches: [], categories: [], authors: [], recommendations: false };

describe("Slack and JSON webhook channels", () => {
  let db: TestDatabase;
  let store: Store;
  let hook: FakeWebhook;

  before(async () => {
    db = await createTestDatabase("sqlite");
    store = await db.open();
    await seedDigestPapers(store, 3, (n) => (n === 2 ? HOSTILE : null));
    hook = await startFakeWebhook();
  });
  after(async () => {
    await hook.close();
    await store.close();
    await db.drop();
  });

  const run = (at: string, outbox: MailMessage[] = []) =>
    runDigests(
      {
        store,
        mailer: createRecordingMailer(outbox),
        secret: "s".repeat(40),
        baseUrl: "http://paperboy.test",
        outbound,
        logger: silentLogger,
        now: () => new Date(at),
      },
      { concurrency: 2 },
    );

  test("a subscription delivers to Slack and a signed webhook, each once, besides mail", async () => {
    const sub = await store.digests.subscribe(
      {
        email: "lab@example.org",
        schedule: { frequency: "weekly", hour: 9, weekday: 4, timeZone: "Europe/London" },
        contents: { trending: 25, searches: [], categories: [], authors: [], recommendations: false },
        confirmed: true,
        emailEnabled: false,
        targets: [slackTarget(`${hook.url}/slack`), webhookTarget(`${hook.url}/hook`)],
      },
      new Date("2026-11-20T00:00:00Z"),
    );
    const outbox: MailMessage[] = [];
    const result = await run("2026-11-26T10:00:00Z", outbox);
    assert.equal(result.sent, 2);
    assert.equal(outbox.length, 0, "email is off for this subscription");
    assert.equal((await run("2026-11-26T11:00:00Z")).sent, 0, "each channel once per period");

    const slack = hook.received.find((r) => r.path === "/slack");
    const webhook = hook.received.find((r) => r.path === "/hook");
    assert.ok(slack && webhook);
    assert.equal(hook.received.length, 2);

    const slackBody = JSON.parse(slack.body) as { text: string; blocks: { text?: { text: string } }[] };
    assert.match(slackBody.text, /weekly digest, 2026-W48/);
    const mrkdwn = slackBody.blocks.map((b) => b.text?.text ?? "").join("\n");
    assert.ok(
      mrkdwn.includes("&lt;!channel&gt; &amp; &lt;https://evil.example|click&gt;"),
      "Slack control characters escaped",
    );
    assert.ok(!mrkdwn.includes("<!channel>"));

    const signature = webhook.headers["x-paperboy-signature"];
    const timestamp = webhook.headers["x-paperboy-timestamp"] ?? "";
    const secret = (await store.digests.get(sub.id))?.targets.find((t) => t.kind === "webhook")?.secret ?? "";
    const expected = `sha256=${createHmac("sha256", secret).update(`${timestamp}.${webhook.body}`).digest("hex")}`;
    assert.equal(signature, expected, "the body is signed with the subscription's secret");
    const payload = JSON.parse(webhook.body) as {
      type: string;
      period: string;
      sections: { papers: { title: string; reason: string }[] }[];
    };
    assert.equal(payload.type, "paperboy.digest");
    assert.equal(payload.period, "2026-W48");
    assert.ok(
      payload.sections[0]?.papers.some((p) => p.title === HOSTILE),
      "JSON carries the title as data",
    );
  });

  test("a webhook refusing with 410 is a hard failure; a 503 is retried", async () => {
    hook.status = (path) => (path === "/gone" ? 410 : path === "/busy" ? 503 : 200);
    const gone = await store.digests.subscribe(
      {
        email: "a@example.org",
        schedule: { frequency: "daily", hour: 8, weekday: 1, timeZone: "UTC" },
        contents: { trending: 3, searches: [], categories: [], authors: [], recommendations: false },
        confirmed: true,
        emailEnabled: false,
        targets: [webhookTarget(`${hook.url}/gone`), slackTarget(`${hook.url}/busy`)],
      },
      new Date("2026-11-25T00:00:00Z"),
    );
    const result = await run("2026-11-26T09:00:00Z");
    assert.equal(result.failed, 1);
    assert.equal(result.retried, 1);
    const rows = await store.digests.deliveries({ subscriptionId: gone.id });
    assert.deepEqual(
      rows
        .filter((r) => r.periodKey === "2026-11-26")
        .map((r) => [r.channel, r.state])
        .sort(),
      [
        ["slack", "pending"],
        ["webhook", "failed"],
      ],
    );
    assert.equal((await store.digests.get(gone.id))?.hardFailures, 1);
  });

  test("a URL that points somewhere Paperboy does not call is a hard failure at send time, with no connection", async () => {
    const port = new URL(hook.url).port;
    const forced = await store.digests.subscribe(
      {
        email: "forced@example.org",
        schedule,
        contents,
        confirmed: true,
        emailEnabled: false,
        // Stored by something other than the settings form (an old row, a database edit): refused anyway.
        targets: [
          webhookTarget(`http://localhost:${port}/forced`),
          slackTarget(`https://slack.example.org/services/T0/B0/x`),
        ],
      },
      new Date("2026-11-26T10:00:00Z"),
    );
    const result = await run("2026-11-27T09:00:00Z");
    assert.equal(result.sent, 0);
    const rows = (await store.digests.deliveries({ subscriptionId: forced.id })).filter(
      (r) => r.periodKey === "2026-11-27",
    );
    assert.deepEqual(rows.map((r) => [r.channel, r.state]).sort(), [
      ["slack", "failed"],
      ["webhook", "failed"],
    ]);
    const reasons = rows.map((r) => r.reason ?? "").sort();
    assert.match(reasons[0] ?? "", /A Slack webhook URL starts with https:\/\/hooks\.slack\.com\/services\//);
    assert.match(
      reasons[1] ?? "",
      /localhost resolves to a loopback address \(.+\), which Paperboy does not call/,
    );
    assert.equal((await store.digests.get(forced.id))?.hardFailures, 2);
    assert.ok(!hook.received.some((r) => r.path === "/forced"), "the receiver heard nothing");
  });

  test("Slack targets are Slack's incoming webhooks over https, or a host the operator allow-listed", async () => {
    const slack = channelOf("slack") as DeliveryChannel;
    const webhook = channelOf("webhook") as DeliveryChannel;
    const publicDns = { resolve: async () => ["54.230.1.1"] };
    const none = { policy: { allowHosts: [] }, ...publicDns };
    const good = "https://hooks.slack.com/services/T0/B0/xyz";
    assert.deepEqual(await slack.validateTarget({ url: good }, none), {
      ok: true,
      target: slackTarget(good),
    });
    for (const url of [
      "http://hooks.slack.com/services/T0/B0/xyz",
      "https://hooks.slack.com/",
      "https://hooks.slack.com/services/",
      "https://hooks.slack.com/other/T0",
      "https://hooks.slack.com.evil.example/services/T0/B0/xyz",
      "https://evil.example/services/T0/B0/xyz",
      "https://user@hooks.slack.com/services/T0/B0/xyz",
    ]) {
      assert.deepEqual(
        await slack.validateTarget({ url }, none),
        { ok: false, problems: { url: `A Slack webhook URL starts with ${SLACK_WEBHOOK_PREFIX}` } },
        url,
      );
    }
    // A webhook may be any public URL; neither channel reaches loopback unless its host is allow-listed.
    const hookUrl = "https://example.org/hook";
    assert.deepEqual(await webhook.validateTarget({ url: hookUrl }, none), {
      ok: true,
      target: webhookTarget(hookUrl),
    });
    const inside = await webhook.validateTarget({ url: `${hook.url}/x` }, { policy: { allowHosts: [] } });
    assert.match(inside.ok ? "accepted" : (inside.problems.url ?? ""), /does not call/);
    const allowed = `${hook.url}/slack`;
    assert.deepEqual(await slack.validateTarget({ url: allowed }, { policy: outbound }), {
      ok: true,
      target: slackTarget(allowed),
    });
  });
});
