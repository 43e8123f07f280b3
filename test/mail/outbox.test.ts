import assert from "node:assert/strict";
import { mkdtempSync, readdirSync, rmSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, describe, test } from "node:test";
import { loadConfig } from "../../src/config/config.ts";
import { silentLogger } from "../../src/log.ts";
import { createMailer, MailError, OutboxMailer } from "../../src/mail/index.ts";

describe("development outbox mailer", () => {
  const dataDir = mkdtempSync(join(tmpdir(), "paperboy-outbox-"));
  after(() => rmSync(dataDir, { recursive: true, force: true }));

  test("without an SMTP URL, createMailer keeps mail in <dataDir>/outbox, newest first, private files", async () => {
    const config = loadConfig({ PAPERBOY_DB: ":memory:", PAPERBOY_DATA_DIR: dataDir });
    const mailer = createMailer(config, silentLogger);
    assert.ok(mailer instanceof OutboxMailer);
    let clock = new Date("2026-01-01T00:00:00Z");
    const timed = new OutboxMailer(dataDir, config.mail.from, () => clock);
    await timed.send({ to: "a@example.org", subject: "First", text: "one", html: "<p>one</p>" });
    clock = new Date("2026-01-01T00:00:01Z");
    const { messageId } = await timed.send({
      to: "b@example.org",
      subject: "Second",
      text: "two",
      html: "<p>two</p>",
    });
    const list = await mailer.list();
    assert.deepEqual(
      list.map((m) => m.subject),
      ["Second", "First"],
    );
    assert.equal(list[0]?.messageId, messageId);
    assert.equal(list[0]?.from, config.mail.from);
    const first = list[1];
    assert.ok(first);
    assert.deepEqual(await mailer.read(first.id), first);
    const files = readdirSync(join(dataDir, "outbox"));
    assert.equal(files.length, 2);
    for (const f of files) assert.equal(statSync(join(dataDir, "outbox", f)).mode & 0o077, 0);
  });

  test("ids outside the outbox's own shape read as missing, never as a path", async () => {
    const mailer = new OutboxMailer(dataDir, "x@example.org");
    for (const id of ["../secret", "..%2Fsecret", "20260101T000000000Z-../../x", ""]) {
      assert.equal(await mailer.read(id), null);
    }
  });

  test("the outbox refuses header injection like SMTP does", async () => {
    const mailer = new OutboxMailer(dataDir, "x@example.org");
    await assert.rejects(
      mailer.send({ to: "a@example.org\nBcc: b@example.org", subject: "s", text: "t", html: "h" }),
      MailError,
    );
  });

  test("an empty outbox lists nothing", async () => {
    const empty = mkdtempSync(join(tmpdir(), "paperboy-outbox-empty-"));
    try {
      assert.deepEqual(await new OutboxMailer(empty, "x@example.org").list(), []);
    } finally {
      rmSync(empty, { recursive: true, force: true });
    }
  });
});
