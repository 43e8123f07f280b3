import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import type { ParsedMail } from "mailparser";
import { runDigests } from "../../src/jobs/digests.ts";
import { silentLogger } from "../../src/log.ts";
import type { Mailer } from "../../src/mail/mailer.ts";
import { createSmtpMailer } from "../../src/mail/smtp.ts";
import type { Store } from "../../src/store/store.ts";
import { seedDigestPapers } from "../helpers/digest-seed.ts";
import { type SmtpReceiver, startSmtpReceiver } from "../helpers/smtp-receiver.ts";
import { createTestDatabase, type TestDatabase } from "../helpers/stores.ts";
import { createTestApp, TEST_SECRET, type TestApp } from "../helpers/web.ts";

const HOSTILE = `<script>alert("x")</script> & <img src=x onerror=alert(1)> "quoted"`;

function listUnsubscribe(mail: ParsedMail): string {
  const raw = mail.headerLines.find((h) => h.key === "list-unsubscribe")?.line ?? "";
  return /<([^>]+)>/.exec(raw)?.[1] ?? "";
}

describe("a subscriber on a fresh install: subscribe, confirm, digest, one-click unsubscribe", () => {
  let db: TestDatabase;
  let store: Store;
  let smtp: SmtpReceiver;
  let web: TestApp;
  let mailer: Mailer;

  before(async () => {
    db = await createTestDatabase("sqlite");
    store = await db.open();
    // One paper carries markup in its title: it must come out as text in both parts.
    await seedDigestPapers(store, 4, (n) => (n === 9 ? HOSTILE : null));
    smtp = await startSmtpReceiver();
    mailer = createSmtpMailer({
      url: smtp.url,
      from: "Paperboy <digest@paperboy.test>",
      logger: silentLogger,
    });
    web = createTestApp(store, { mailer });
  });

  after(async () => {
    await mailer.close();
    await smtp.close();
    web.close();
    await store.close();
    await db.drop();
  });

  const send = (at: string) =>
    runDigests(
      {
        store,
        mailer,
        secret: TEST_SECRET,
        baseUrl: "http://paperboy.test",
        outbound: { allowHosts: [] },
        logger: silentLogger,
        now: () => new Date(at),
      },
      { concurrency: 1 },
    );

  test("the whole flow", async () => {
    web.setNow("2026-11-25T10:00:00Z");
    const form = new URLSearchParams({
      email: "Reader@Example.org",
      frequency: "daily",
      hour: "8",
      weekday: "1",
      timeZone: "Europe/Paris",
      trending: "5",
      categories: "cs.LG",
    });
    const res = await web.request("/digests/subscribe", {
      method: "POST",
      headers: { ...web.signedOutHeaders(), "content-type": "application/x-www-form-urlencoded" },
      body: form.toString(),
    });
    assert.equal(res.status, 200, await res.clone().text());
    assert.match(await res.text(), /Check your inbox/);

    const [confirmation] = await smtp.waitFor(1);
    assert.equal(confirmation?.subject, "Confirm your Paperboy digest subscription");
    const confirmUrl = /http:\/\/paperboy\.test\/digests\/confirm\?token=\S+/.exec(
      confirmation?.text ?? "",
    )?.[0];
    assert.ok(confirmUrl, "the confirmation mail carries the link");

    // Double opt-in: nothing is sent before the link is followed.
    const early = await send("2026-11-26T09:00:00Z");
    assert.equal(early.sent, 0);
    assert.equal(smtp.messages.length, 1);

    const forged = await web.request(`${confirmUrl.slice(0, -3)}AAA`);
    assert.equal(forged.status, 400, "a tampered token is refused");
    const confirmed = await web.request(confirmUrl);
    assert.equal(confirmed.status, 200);
    assert.match(await confirmed.text(), /You are subscribed/);

    // Confirmed on the 25th at 11:00 Paris time: the first digest is the 26th's, due at 08:00 Paris (07:00 UTC).
    const before = await send("2026-11-26T06:59:00Z");
    assert.equal(before.sent, 0, "not before its local hour");
    const run = await send("2026-11-26T07:30:00Z");
    assert.equal(run.sent, 1);
    const [, digest] = await smtp.waitFor(2);
    assert.ok(digest);
    assert.equal(smtp.recipients[1]?.[0], "reader@example.org");
    assert.match(digest.subject ?? "", /^Your Paperboy digest for 2026-11-26 \(\d+ papers\)$/);
    assert.match(digest.messageId ?? "", /^<digest\.[A-Za-z0-9_-]+\.2026-11-26\.email@paperboy\.test>$/);
    const html = String(digest.html);
    const text = digest.text ?? "";
    assert.match(html, /<h2[^>]*>Trending<\/h2>/);
    assert.match(html, /New in cs\.LG/);
    assert.match(text, /Trending\n=+/);
    assert.doesNotMatch(
      html,
      /<script|<img|<iframe|<link|url\(/i,
      "no script, no image or tracker, no remote resource",
    );
    assert.match(html, /href="http:\/\/paperboy\.test\/papers\/2611\.\d{5}"/);
    assert.match(text, /http:\/\/paperboy\.test\/papers\/2611\.\d{5}/);
    // The hostile title is featured (cs.LG, the followed category): escaped in HTML, verbatim text in text.
    assert.ok(
      html.includes("&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; &lt;img"),
      "escaped in HTML",
    );
    assert.ok(text.includes(HOSTILE), "plain in text");

    const unsubscribeUrl = listUnsubscribe(digest);
    assert.match(unsubscribeUrl, /^http:\/\/paperboy\.test\/digests\/unsubscribe\?token=/);
    const post = digest.headerLines.find((h) => h.key === "list-unsubscribe-post")?.line;
    assert.equal(post, "List-Unsubscribe-Post: List-Unsubscribe=One-Click");
    assert.ok(html.includes(`href="${unsubscribeUrl}"`), "a visible unsubscribe link");
    assert.ok(text.includes(`Unsubscribe: ${unsubscribeUrl}`));

    // The visible link opens a page with one button, signed out.
    const page = await web.request(unsubscribeUrl);
    assert.equal(page.status, 200);
    assert.match(await page.text(), /<button[^>]*>Unsubscribe<\/button>/);

    // RFC 8058: the mail client's POST, with no cookie and no CSRF token.
    const oneClick = await web.request(unsubscribeUrl, {
      method: "POST",
      headers: { "content-type": "application/x-www-form-urlencoded" },
      body: "List-Unsubscribe=One-Click",
    });
    assert.equal(oneClick.status, 200);
    const [sub] = await store.digests.list({ email: "reader@example.org" });
    assert.equal(sub?.state, "unsubscribed");

    const later = await send("2026-11-27T07:30:00Z");
    assert.equal(later.sent + later.planned, 0, "nothing more is sent");
    assert.equal(smtp.messages.length, 2);
  });

  test("bad input to the subscribe form is a 400 naming the problem, never a crash", async () => {
    for (const [field, value, message] of [
      ["email", "not-an-address", /not an email address/],
      ["timeZone", "Mars/Olympus", /Unknown time zone/],
      ["hour", "25", /Hour is 0 to 23/],
      ["frequency", "hourly", /daily or weekly/],
    ] as const) {
      const form = new URLSearchParams({
        email: "a@b.org",
        frequency: "daily",
        hour: "8",
        timeZone: "UTC",
        [field]: value,
      });
      const res = await web.request("/digests/subscribe", {
        method: "POST",
        headers: { ...web.signedOutHeaders(), "content-type": "application/x-www-form-urlencoded" },
        body: form.toString(),
      });
      assert.equal(res.status, 400, field);
      assert.match(await res.text(), message);
    }
    const bogus = await web.request("/digests/unsubscribe?token=abc.def", { method: "POST" });
    assert.equal(bogus.status, 400);
  });
});
