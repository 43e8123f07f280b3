import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import { loadConfig } from "../../src/config/config.ts";
import { silentLogger } from "../../src/log.ts";
import { createMailer, MailError, type Mailer, type MailMessage } from "../../src/mail/index.ts";
import { renderResetMail, renderVerificationMail } from "../../src/mail/templates/accounts.ts";
import { type SmtpReceiver, startSmtpReceiver } from "../helpers/smtp-receiver.ts";

describe("SMTP mailer against a real SMTP server", () => {
  let receiver: SmtpReceiver;
  let mailer: Mailer;

  before(async () => {
    receiver = await startSmtpReceiver();
    const config = loadConfig({
      PAPERBOY_DB: ":memory:",
      PAPERBOY_SMTP_URL: receiver.url,
      PAPERBOY_MAIL_FROM: "Paperboy <paperboy@lab.example>",
    });
    mailer = createMailer(config, silentLogger);
  });
  after(async () => {
    await mailer.close();
    await receiver.close();
  });

  test("a verification mail arrives multipart, text and HTML, with the link in both", async () => {
    const link = "http://paperboy.test/verify?token=abc_DEF-123";
    const mail = renderVerificationMail({
      name: "Ada",
      link,
      siteUrl: "http://paperboy.test",
      validFor: "48 hours",
    });
    const { messageId } = await mailer.send({
      to: "ada@example.org",
      ...mail,
      headers: { "X-Paperboy-Kind": "verify" },
    });
    const [received] = await receiver.waitFor(1);
    assert.ok(received);
    assert.equal(received.messageId, messageId);
    assert.equal(received.subject, "Confirm your email for Paperboy");
    assert.equal(received.from?.value[0]?.address, "paperboy@lab.example");
    assert.deepEqual(receiver.recipients[0], ["ada@example.org"]);
    const contentType = received.headers.get("content-type") as { value: string } | undefined;
    assert.equal(contentType?.value, "multipart/alternative");
    assert.equal(received.headers.get("x-paperboy-kind"), "verify");
    assert.ok(received.text?.includes(link));
    assert.ok(typeof received.html === "string" && received.html.includes(`href="${link}"`));
  });

  test("names with markup are escaped in the HTML part and kept as text in the text part", async () => {
    const mail = renderResetMail({
      name: `<script>alert(1)</script> "Eve"`,
      link: "http://paperboy.test/reset?token=t",
      siteUrl: "http://paperboy.test",
      validFor: "1 hour",
    });
    await mailer.send({ to: "eve@example.org", ...mail });
    const received = (await receiver.waitFor(2))[1];
    assert.ok(received);
    const html = String(received.html);
    assert.ok(!html.includes("<script>"));
    assert.ok(html.includes("&lt;script&gt;alert(1)&lt;/script&gt; &quot;Eve&quot;"));
    assert.ok(received.text?.includes(`Hello <script>alert(1)</script> "Eve",`));
  });

  test("header injection is refused before anything is sent", async () => {
    const base = { subject: "Hi", text: "t", html: "<p>t</p>" };
    const before = receiver.messages.length;
    const hostile: MailMessage[] = [
      { ...base, to: "a@example.org\r\nBcc: victim@example.org" },
      { ...base, to: "a@example.org, victim@example.org" },
      { ...base, to: "Someone <a@example.org>" },
      { ...base, to: "a@example.org", subject: "Hi\r\nBcc: victim@example.org" },
      { ...base, to: "a@example.org", headers: { "X-Ok": "fine\nBcc: victim@example.org" } },
      { ...base, to: "a@example.org", headers: { "Bad Header:": "x" } },
    ];
    for (const message of hostile) await assert.rejects(mailer.send(message), MailError);
    // A harmless message afterwards still goes through, and it is the only new one.
    await mailer.send({ ...base, to: "ok@example.org" });
    await receiver.waitFor(before + 1);
    assert.equal(receiver.messages.length, before + 1);
    assert.deepEqual(receiver.recipients.at(-1), ["ok@example.org"]);
  });
});
