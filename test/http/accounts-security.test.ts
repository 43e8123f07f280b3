/**
 * What the account pages refuse: forged forms (CSRF), floods (rate limits), suspended users, members on
 * admin pages, and hostile input.
 */
import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { loadConfig } from "../../src/config/config.ts";
import type { User } from "../../src/core/accounts.ts";
import { useAccountsWeb } from "../helpers/accounts-web.ts";
import { createTestApp } from "../helpers/web.ts";
import { WebClient } from "../helpers/web-client.ts";

const PASSWORD = "a long enough password";

describe("account security: sqlite", () => {
  const ctx = useAccountsWeb("sqlite");
  let n = 0;
  const makeUser = (role: "member" | "admin" = "member", name?: string): Promise<User> =>
    ctx.store.accounts.createUser({
      email: `sec${++n}@example.org`,
      name: name ?? `Sec ${n}`,
      password: PASSWORD,
      role,
      verified: true,
    });
  const signedIn = async (user: User, ip?: string): Promise<WebClient> => {
    const browser = ctx.browser(ip);
    await browser.get("/signin");
    const res = await browser.post("/signin", { email: user.email, password: PASSWORD });
    assert.equal(res.status, 303);
    await browser.get("/settings");
    return browser;
  };

  test("CSRF: signed-out forms without, with a wrong, or with another browser's token get 403", async () => {
    const user = await makeUser();
    const browser = ctx.browser();
    await browser.get("/signin");
    const fields = { email: user.email, password: PASSWORD };
    assert.equal((await browser.post("/signin", { ...fields, _csrf: null })).status, 403);
    assert.equal((await browser.post("/signin", { ...fields, _csrf: "forged" })).status, 403);
    const other = ctx.browser();
    await other.get("/signin");
    assert.equal((await browser.post("/signin", { ...fields, _csrf: other.csrf })).status, 403);
    // A first visit that never loaded a form has no cookie to match.
    const fresh = ctx.browser();
    fresh.csrf = browser.csrf;
    assert.equal((await fresh.post("/signin", fields)).status, 403);
    assert.match(fresh.lastHtml, /Form expired/);
    assert.equal((await browser.post("/signin", fields)).status, 303, "the right token passes");
  });

  test("CSRF: a session's forms need the session's token; the signed-out token stops working at sign-in", async () => {
    const user = await makeUser();
    const browser = ctx.browser();
    await browser.get("/signin");
    const anonymousToken = browser.csrf;
    await browser.post("/signin", { email: user.email, password: PASSWORD });
    await browser.get("/settings");
    assert.notEqual(browser.csrf, anonymousToken);
    assert.equal((await browser.post("/settings/name", { name: "X", _csrf: null })).status, 403);
    assert.equal((await browser.post("/settings/name", { name: "X", _csrf: anonymousToken })).status, 403);
    assert.equal((await browser.post("/signout", { _csrf: "nope" })).status, 403);
    const viaHeader = await browser.request("/settings/name", {
      method: "POST",
      headers: { "x-csrf-token": browser.csrf, "content-type": "application/x-www-form-urlencoded" },
      body: new URLSearchParams({ name: "Header Sent" }),
    });
    assert.equal(viaHeader.status, 303);
    assert.equal((await ctx.store.accounts.getUser(user.id))?.name, "Header Sent");
  });

  test("session cookies are Secure when the site is served over https", async () => {
    const config = loadConfig({
      PAPERBOY_DB: ":memory:",
      PAPERBOY_BASE_URL: "https://papers.example.org",
      PAPERBOY_DATA_DIR: ctx.web.deps.config.dataDir,
    });
    const secure = createTestApp(ctx.store, { config });
    try {
      const user = await makeUser();
      const browser = new WebClient(secure.app, "https://papers.example.org");
      await browser.get("/signin");
      const res = await browser.post("/signin", { email: user.email, password: PASSWORD });
      assert.match(res.headers.getSetCookie().find((c) => c.startsWith("pb_session=")) ?? "", /Secure/);
    } finally {
      secure.close();
    }
  });

  test("rate limit: wrong passwords for an account from one address answer 429 with Retry-After, and open again in the next window", async () => {
    const user = await makeUser();
    const start = new Date("2024-06-01T12:00:00Z");
    ctx.web.setNow(start);
    const guesser = ctx.browser("192.0.2.1");
    await guesser.get("/signin");
    const statuses: number[] = [];
    for (let i = 0; i < 12; i++) {
      const res = await guesser.post("/signin", { email: user.email, password: "wrong password guess" });
      statuses.push(res.status);
      if (res.status === 429) {
        assert.equal(res.headers.get("retry-after"), String(15 * 60));
        assert.match(guesser.lastHtml, /Too many/);
      }
    }
    assert.deepEqual(statuses, [...Array(10).fill(401), 429, 429]);
    // The owner, from anywhere else, is not locked out by someone else's guesses.
    const owner = ctx.browser("192.0.2.99");
    await owner.get("/signin");
    assert.equal((await owner.post("/signin", { email: user.email, password: PASSWORD })).status, 303);
    ctx.web.setNow(new Date(start.getTime() + 15 * 60_000));
    assert.equal((await guesser.post("/signin", { email: user.email, password: PASSWORD })).status, 303);
    ctx.web.setNow(start);
  });

  test("rate limit: sign-up per address and reset mail per email", async () => {
    ctx.web.setNow("2024-06-02T00:00:00Z");
    const browser = ctx.browser("192.0.2.200");
    await browser.get("/signup");
    const statuses: number[] = [];
    // Invalid forms count too, so a script cannot probe for free.
    for (let i = 0; i < 11; i++)
      statuses.push((await browser.post("/signup", { email: "bad", name: "x", password: "y" })).status);
    assert.deepEqual(statuses, [...Array(10).fill(400), 429]);
    assert.match(browser.lastHtml, /Too many attempts/);

    const user = await makeUser();
    const resets: number[] = [];
    for (let i = 0; i < 4; i++) {
      const b = ctx.browser(`192.0.2.${210 + i}`);
      await b.get("/reset");
      resets.push((await b.post("/reset", { email: user.email })).status);
    }
    assert.deepEqual(resets, [200, 200, 200, 429]);
    ctx.web.setNow("2024-06-01T12:00:00Z");
  });

  test("a suspended user is signed out at once and cannot sign in; only admins suspend", async () => {
    const admin = await makeUser("admin");
    const member = await makeUser();
    const adminBrowser = await signedIn(admin);
    const memberBrowser = await signedIn(member);

    assert.equal((await memberBrowser.get("/admin/users")).status, 403);
    assert.equal((await memberBrowser.post(`/admin/users/${admin.id}/suspend`)).status, 403);
    assert.equal((await ctx.browser().get("/admin/users")).status, 303, "visitors are sent to sign in");
    assert.equal((await ctx.browser().get("/admin/users", { accept: "application/json" })).status, 401);

    assert.equal((await adminBrowser.get("/admin/users")).status, 200);
    assert.ok(adminBrowser.lastHtml.includes(member.email));
    assert.equal((await adminBrowser.post(`/admin/users/${admin.id}/suspend`)).status, 400, "not yourself");
    assert.equal((await adminBrowser.post("/admin/users/no-such-user/suspend")).status, 404);
    const res = await adminBrowser.post(`/admin/users/${member.id}/suspend`);
    assert.equal(res.status, 303);
    assert.ok((await ctx.store.accounts.getUser(member.id))?.suspendedAt);

    assert.equal((await memberBrowser.get("/settings")).status, 303, "the member's session ended");
    const again = ctx.browser();
    await again.get("/signin");
    assert.equal((await again.post("/signin", { email: member.email, password: PASSWORD })).status, 403);
    assert.match(again.lastHtml, /suspended/);
    assert.equal(
      (await again.post("/signin", { email: member.email, password: "wrong password here" })).status,
      401,
    );
    assert.doesNotMatch(
      again.lastHtml,
      /suspended/,
      "suspension is told only to someone who knows the password",
    );

    assert.equal((await adminBrowser.post(`/admin/users/${member.id}/unsuspend`)).status, 303);
    assert.equal((await again.post("/signin", { email: member.email, password: PASSWORD })).status, 303);
  });

  test("hostile input: overlong fields, markup in names, header injection in emails, open redirects", async () => {
    const browser = ctx.browser("192.0.2.250");
    await browser.get("/signup");
    const before = ctx.smtp.messages.length;
    const tooLong = await browser.post("/signup", {
      email: `${"a".repeat(100_000)}@example.org`,
      name: "x",
      password: PASSWORD,
    });
    assert.equal(tooLong.status, 400);
    assert.match(browser.lastHtml, /too long/);
    assert.equal(
      (await browser.post("/signup", { email: "x@example.org", name: "x", password: "p".repeat(100_000) }))
        .status,
      400,
    );
    assert.equal(
      (await browser.post("/signup", { email: "x@example.org", name: "n".repeat(5000), password: PASSWORD }))
        .status,
      400,
    );
    const injected = await browser.post("/signup", {
      email: "x@example.org\r\nBcc: victim@example.org",
      name: "x",
      password: PASSWORD,
    });
    assert.equal(injected.status, 400);
    assert.equal(
      (await browser.post("/signup", { email: "x@example.org", name: "a\u202Eb", password: PASSWORD }))
        .status,
      400,
    );
    assert.equal(await ctx.store.accounts.getUserByEmail("x@example.org"), null);

    const script = `<script>alert("x")</script>`;
    const created = await browser.post("/signup", {
      email: "mallory@example.org",
      name: script,
      password: PASSWORD,
    });
    assert.equal(created.status, 200);
    await browser.get("/signin");
    await browser.post("/signin", { email: "mallory@example.org", password: PASSWORD });
    await browser.get("/settings");
    assert.ok(!browser.lastHtml.includes(script));
    assert.ok(browser.lastHtml.includes("&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;"));
    const mail = (await ctx.smtp.waitFor(before + 1))[before];
    assert.ok(!String(mail?.html).includes("<script>"));
    assert.equal(ctx.smtp.messages.length, before + 1, "only the valid sign-up sent mail");

    const admin = await signedIn(await makeUser("admin"));
    await admin.get("/admin/users?q=mallory");
    assert.ok(!admin.lastHtml.includes(script));
    assert.ok(admin.lastHtml.includes("mallory@example.org"));
    assert.equal((await admin.get(`/admin/users?q=${encodeURIComponent("%' or 1=1 --")}`)).status, 200);

    const user = await makeUser();
    for (const next of [
      "//evil.example/x",
      "https://evil.example",
      "/\\evil.example",
      "/\tevil",
      "javascript:alert(1)",
    ]) {
      const b = ctx.browser();
      await b.get("/signin");
      const res = await b.post("/signin", { email: user.email, password: PASSWORD, next });
      assert.equal(res.headers.get("location"), "/", `next=${JSON.stringify(next)}`);
    }
    const b = ctx.browser();
    await b.get("/signin");
    assert.equal(
      (
        await b.post("/signin", { email: user.email, password: PASSWORD, next: "/papers/2405.15738?x=1" })
      ).headers.get("location"),
      "/papers/2405.15738?x=1",
    );
  });

  test("with PAPERBOY_OPEN_SIGNUP=false, sign-up is closed (accounts come from an admin or the CLI)", async () => {
    const config = loadConfig({
      PAPERBOY_DB: ":memory:",
      PAPERBOY_BASE_URL: "http://paperboy.test",
      PAPERBOY_OPEN_SIGNUP: "false",
      PAPERBOY_DATA_DIR: ctx.web.deps.config.dataDir,
    });
    const closed = createTestApp(ctx.store, { config });
    try {
      const browser = new WebClient(closed.app, "http://paperboy.test");
      assert.equal((await browser.get("/signup")).status, 403);
      await browser.get("/signin");
      const res = await browser.post("/signup", {
        email: "late@example.org",
        name: "Late",
        password: PASSWORD,
      });
      assert.equal(res.status, 403);
      assert.equal(await ctx.store.accounts.getUserByEmail("late@example.org"), null);
    } finally {
      closed.close();
    }
  });

  test("malformed session cookies and Bearer headers are refused without errors", async () => {
    const browser = ctx.browser();
    browser.cookies.set("pb_session", "'; drop table users; --");
    assert.equal((await browser.get("/settings")).status, 303);
    assert.equal(browser.cookies.has("pb_session"), false, "a dead cookie is cleared");
    for (const authorization of ["Bearer", "Bearer pb_short", `Bearer pb_${"A".repeat(43)}`]) {
      const res = await ctx.browser().get("/api/library", { authorization });
      assert.equal(res.status, 401, authorization);
      assert.equal(res.headers.get("www-authenticate"), 'Bearer error="invalid_token"');
    }
    // Other schemes belong to whatever stands in front of the site (basic auth on a proxy): ignored.
    const basic = "Basic dXNlcjpwYXNz";
    assert.equal((await ctx.browser().get("/", { authorization: basic })).status, 200);
    assert.equal((await ctx.browser().get("/api/daily_papers", { authorization: basic })).status, 200);
    assert.equal((await ctx.browser().get("/settings", { authorization: basic })).status, 303);
  });
});
