/**
 * Security review, finding 2 (high): behind a reverse proxy on the same host and without SMTP, /dev/outbox was
 * granted to loopback socket addresses, so anyone reaching the site through the proxy read live password-reset
 * links. Now the outbox is off unless the operator turns it on, and then answers administrators only. The same
 * proxy made every visitor one client for the rate limits (finding 3's second half): with
 * PAPERBOY_TRUSTED_PROXIES the forwarded client address is counted, and a forwarded header from anywhere else
 * is ignored.
 */
import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import type { User } from "../../src/core/accounts.ts";
import { OutboxMailer } from "../../src/mail/outbox.ts";
import { BASE_URL, useAccountsWeb } from "../helpers/accounts-web.ts";
import {
  appWithSecurity,
  PASSPHRASE,
  ProxiedClient,
  signInWith,
  wrongPasswords,
} from "../helpers/security.ts";
import type { TestApp } from "../helpers/web.ts";
import { WebClient } from "../helpers/web-client.ts";

const LOOPBACK = ["127.0.0.1", "::1", "::ffff:127.0.0.1"];

describe("finding 2: the dev outbox behind a reverse proxy on the same host", () => {
  const ctx = useAccountsWeb("sqlite");
  let outbox: OutboxMailer;
  /** As installed: no SMTP (the outbox mailer), PAPERBOY_DEV_OUTBOX unset. */
  let byDefault: TestApp;
  /** The operator turned the outbox on; the proxy is not declared, so every visitor looks like loopback. */
  let turnedOn: TestApp;
  /** The outbox on and the proxy declared (PAPERBOY_TRUSTED_PROXIES=loopback). */
  let onBehindProxy: TestApp;
  let admin: User;
  let adminSession = "";
  let victim: User;

  before(async () => {
    outbox = new OutboxMailer(ctx.web.deps.config.dataDir, ctx.web.deps.config.mail.from);
    byDefault = appWithSecurity(ctx.web, ctx.store, {}, { mailer: outbox });
    turnedOn = appWithSecurity(ctx.web, ctx.store, { PAPERBOY_DEV_OUTBOX: "true" }, { mailer: outbox });
    onBehindProxy = appWithSecurity(
      ctx.web,
      ctx.store,
      { PAPERBOY_DEV_OUTBOX: "true", PAPERBOY_TRUSTED_PROXIES: "loopback" },
      { mailer: outbox },
    );
    admin = await ctx.store.accounts.createUser({
      email: "root@example.org",
      name: "Root",
      password: PASSPHRASE,
      role: "admin",
      verified: true,
    });
    adminSession = (await ctx.store.accounts.createSession(admin.id, new Date("2024-06-01T12:00:00Z"))).token;
    victim = await ctx.store.accounts.createUser({
      email: "victim@example.org",
      name: "Victim",
      password: PASSPHRASE,
      verified: true,
    });
    // The attack's first step: anyone asks for the victim's reset link; with no SMTP it lands in the outbox.
    const attacker = new ProxiedClient(turnedOn.app, "127.0.0.1", "203.0.113.66");
    await attacker.get("/reset");
    assert.equal((await attacker.post("/reset", { email: victim.email })).status, 200);
    const [mail] = await outbox.list();
    assert.match(mail?.text ?? "", /\/reset\?token=/, "the outbox holds a live reset link");
  });
  after(() => {
    byDefault.close();
    turnedOn.close();
    onBehindProxy.close();
  });

  const adminBrowser = (app: TestApp, ip: string) => {
    const browser = new WebClient(app.app, BASE_URL, ip);
    browser.cookies.set("pb_session", adminSession);
    return browser;
  };

  test("off by default: 404 for everyone, loopback and admins included", async () => {
    const [mail] = await outbox.list();
    for (const ip of LOOPBACK) {
      const visitor = new WebClient(byDefault.app, BASE_URL, ip);
      assert.equal((await visitor.get("/dev/outbox")).status, 404, ip);
      assert.equal((await visitor.get(`/dev/outbox/${mail?.id}`)).status, 404, ip);
    }
    assert.equal((await adminBrowser(byDefault, "127.0.0.1").get("/dev/outbox")).status, 404);
    assert.equal((await adminBrowser(byDefault, "203.0.113.9").get("/dev/outbox")).status, 404);
  });

  test("turned on, a visitor through the proxy (a loopback socket) gets 403 and no reset link; admins get 200", async () => {
    const [mail] = await outbox.list();
    for (const app of [turnedOn, onBehindProxy]) {
      for (const ip of LOOPBACK) {
        for (const forwarded of [null, "203.0.113.66", "127.0.0.1"]) {
          const visitor = new ProxiedClient(app.app, ip, forwarded);
          for (const path of ["/dev/outbox", `/dev/outbox/${mail?.id}`]) {
            const res = await visitor.get(path);
            assert.equal(res.status, 403, `${path} from ${ip} forwarding ${forwarded}`);
            const body = await res.text();
            assert.doesNotMatch(body, /token=/, "no link leaks");
            assert.ok(!body.includes(victim.email), "nor whose mail it is");
          }
        }
      }
    }
    // The legitimate reader: an administrator, from anywhere.
    for (const app of [turnedOn, onBehindProxy]) {
      for (const ip of ["127.0.0.1", "203.0.113.9"]) {
        const browser = adminBrowser(app, ip);
        assert.equal((await browser.get("/dev/outbox")).status, 200, ip);
        assert.ok(browser.lastHtml.includes(victim.email));
        assert.equal((await browser.get(`/dev/outbox/${mail?.id}`)).status, 200, ip);
        assert.match(browser.lastHtml, /\/reset\?token=/);
      }
    }
  });

  test("a member who is not an administrator gets 403, on loopback too", async () => {
    const member = await ctx.store.accounts.createUser({
      email: "plain@example.org",
      name: "Plain",
      password: PASSPHRASE,
      verified: true,
    });
    const session = await ctx.store.accounts.createSession(member.id, new Date("2024-06-01T12:00:00Z"));
    for (const ip of LOOPBACK) {
      const browser = new WebClient(turnedOn.app, BASE_URL, ip);
      browser.cookies.set("pb_session", session.token);
      assert.equal((await browser.get("/dev/outbox")).status, 403, ip);
    }
  });
});

describe("finding 2/3: the client address behind a trusted reverse proxy", () => {
  const ctx = useAccountsWeb("sqlite");
  /** PAPERBOY_TRUSTED_PROXIES=loopback: the proxy runs on this host. */
  let proxied: TestApp;
  let n = 0;

  before(() => {
    proxied = appWithSecurity(ctx.web, ctx.store, { PAPERBOY_TRUSTED_PROXIES: "loopback" });
  });
  after(() => proxied.close());

  const member = () =>
    ctx.store.accounts.createUser({
      email: `proxied${++n}@example.org`,
      name: `Proxied ${n}`,
      password: PASSPHRASE,
      verified: true,
    });

  test("ten failures from forwarded client A throttle A, not forwarded client B", async () => {
    const user = await member();
    const a = new ProxiedClient(proxied.app, "127.0.0.1", "198.51.100.10");
    assert.deepEqual(await wrongPasswords(a, user.email, 11), [...Array(10).fill(401), 429]);
    // B comes through the same proxy (any loopback spelling): its own address, its own counts.
    for (const proxy of LOOPBACK) {
      const b = new ProxiedClient(proxied.app, proxy, "198.51.100.20");
      assert.deepEqual(await wrongPasswords(b, user.email, 1), [401], `B through ${proxy} is not throttled`);
    }
    const b = new ProxiedClient(proxied.app, "::1", "198.51.100.20");
    assert.equal(await signInWith(b, user.email, PASSPHRASE), 303, "B signs in");
    // A header A's client wrote itself sits left of what the proxy appended: A is still A.
    const disguised = new ProxiedClient(proxied.app, "127.0.0.1", "198.51.100.77, 198.51.100.10");
    assert.deepEqual(await wrongPasswords(disguised, user.email, 1), [429]);
  });

  /** Eleven wrong passwords from `socket`, each claiming another client in X-Forwarded-For. */
  async function rotatingHeader(app: TestApp, socket: string, email: string, from: number) {
    const guesser = new ProxiedClient(app.app, socket, null);
    const statuses: number[] = [];
    await guesser.get("/signin");
    for (let i = 0; i < 11; i++) {
      guesser.forwardedFor = `198.51.100.${from + i}`;
      statuses.push((await guesser.post("/signin", { email, password: `wrong guess ${i}` })).status);
    }
    return statuses;
  }

  test("a forged X-Forwarded-For is ignored: from a socket that is no trusted proxy, and with none declared", async () => {
    const user = await member();
    assert.deepEqual(
      await rotatingHeader(proxied, "203.0.113.66", user.email, 100),
      [...Array(10).fill(401), 429],
      "every guess counted against the socket",
    );
    // Someone else (another socket) is unaffected.
    const other = new WebClient(proxied.app, BASE_URL, "203.0.113.67");
    assert.equal(await signInWith(other, user.email, PASSPHRASE), 303);

    // PAPERBOY_TRUSTED_PROXIES unset (the default): not even loopback is believed.
    const second = await member();
    assert.deepEqual(await rotatingHeader(ctx.web, "127.0.0.1", second.email, 150), [
      ...Array(10).fill(401),
      429,
    ]);
  });
});
