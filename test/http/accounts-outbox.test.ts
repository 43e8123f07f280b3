/** The development outbox: mail kept on disk when no SMTP server is configured, shown at /dev/outbox. */
import assert from "node:assert/strict";
import { mkdtempSync, rmSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, test } from "node:test";
import { loadConfig } from "../../src/config/config.ts";
import { loadSecret } from "../../src/http/secret.ts";
import { OutboxMailer } from "../../src/mail/outbox.ts";
import type { Store } from "../../src/store/store.ts";
import { createTestDatabase, type TestDatabase } from "../helpers/stores.ts";
import { createTestApp, type TestApp } from "../helpers/web.ts";
import { WebClient } from "../helpers/web-client.ts";

const BASE = "http://paperboy.test";

describe("dev outbox", () => {
  let db: TestDatabase;
  let store: Store;
  let base: TestApp;
  let web: TestApp;
  let off: TestApp;
  let adminCookie = "";
  before(async () => {
    db = await createTestDatabase("sqlite");
    store = await db.open();
    base = createTestApp(store);
    // The outbox mailer the way createMailer builds it when PAPERBOY_SMTP_URL is unset.
    const outbox = new OutboxMailer(base.deps.config.dataDir, base.deps.config.mail.from);
    const config = base.deps.config;
    web = createTestApp(store, {
      mailer: outbox,
      config: { ...config, security: { ...config.security, devOutbox: true } },
    });
    off = createTestApp(store, { mailer: outbox, config });
    const admin = await store.accounts.createUser({
      email: "root@example.org",
      name: "Root",
      password: "a long enough password",
      role: "admin",
      verified: true,
    });
    adminCookie = (await store.accounts.createSession(admin.id)).token;
  });
  after(async () => {
    web.close();
    off.close();
    base.close();
    await store.close();
    await db.drop();
  });

  test("turned on, a sign-up's verification link shows in /dev/outbox for admins and works from there", async () => {
    const visitor = new WebClient(web.app, BASE, "198.51.100.9");
    await visitor.get("/signup");
    await visitor.post("/signup", {
      email: "dev@example.org",
      name: "Dev",
      password: "a long enough password",
    });
    const admin = new WebClient(web.app, BASE, "203.0.113.50");
    admin.cookies.set("pb_session", adminCookie);
    assert.equal((await admin.get("/dev/outbox")).status, 200);
    assert.match(admin.lastHtml, /Confirm your email for Paperboy/);
    assert.match(admin.lastHtml, /dev@example\.org/);
    const messagePath = /href="(\/dev\/outbox\/[^"]+)"/.exec(admin.lastHtml)?.[1];
    assert.ok(messagePath);
    assert.equal((await admin.get(messagePath)).status, 200);
    const link = /<a href="http:\/\/paperboy\.test(\/verify\?token=[\w-]+)">/.exec(admin.lastHtml)?.[1];
    assert.ok(link, "the site's link is clickable");
    assert.equal((await visitor.get(link)).status, 303, "the browser that signed up is signed in by it");
    assert.equal((await admin.get("/dev/outbox/..%2F..%2Fsecret")).status, 404);
  });

  test("nobody but admins may read it, not even this machine (a proxy on this host is this machine)", async () => {
    for (const ip of ["127.0.0.1", "::1", "::ffff:127.0.0.1", "203.0.113.50"]) {
      assert.equal((await new WebClient(web.app, BASE, ip).get("/dev/outbox")).status, 403, ip);
    }
  });

  test("off unless the operator turns it on (PAPERBOY_DEV_OUTBOX)", async () => {
    const admin = new WebClient(off.app, BASE, "127.0.0.1");
    admin.cookies.set("pb_session", adminCookie);
    assert.equal((await admin.get("/dev/outbox")).status, 404);
  });

  test("with an SMTP mailer there is no outbox page", async () => {
    const smtpApp = createTestApp(store);
    try {
      assert.equal((await new WebClient(smtpApp.app, BASE, "127.0.0.1").get("/dev/outbox")).status, 404);
    } finally {
      smtpApp.close();
    }
  });
});

describe("site secret", () => {
  const dataDir = mkdtempSync(join(tmpdir(), "paperboy-secret-"));
  after(() => rmSync(dataDir, { recursive: true, force: true }));

  test("PAPERBOY_SECRET wins; else one is made once in <dataDir>/secret with mode 0600 and kept", () => {
    const webConfig = (secret: string | null) => ({ ...loadConfig({ PAPERBOY_DB: ":memory:" }).web, secret });
    assert.equal(loadSecret({ dataDir, web: webConfig("s".repeat(40)) }), "s".repeat(40));
    const web = webConfig(null);
    const first = loadSecret({ dataDir, web });
    assert.ok(first.length >= 32);
    assert.equal(statSync(join(dataDir, "secret")).mode & 0o777, 0o600);
    assert.equal(loadSecret({ dataDir, web }), first);
  });
});
