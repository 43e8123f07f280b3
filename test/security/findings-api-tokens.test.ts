/**
 * Security review, finding 4 (medium): an API token worked on every HTML route without CSRF: it could mint
 * more tokens, change settings and add webhooks; an admin's token opened the admin pages and the outbox; and
 * tokens survived a password change and a reset. Now a token is accepted on /api only (anywhere else the
 * request is a visitor's), read-only tokens cannot write, and changing the password revokes every token.
 */
import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import type { User } from "../../src/core/accounts.ts";
import { OutboxMailer } from "../../src/mail/outbox.ts";
import { BASE_URL, linkIn, useAccountsWeb } from "../helpers/accounts-web.ts";
import { seedPapers } from "../helpers/community.ts";
import { id } from "../helpers/factories.ts";
import { appWithSecurity, NEW_PASSPHRASE, PASSPHRASE, signInWith } from "../helpers/security.ts";
import type { TestApp } from "../helpers/web.ts";
import { WebClient } from "../helpers/web-client.ts";

const PAPER = "2401.00001";
const NOW = new Date("2024-06-01T12:00:00Z");

describe("finding 4: API tokens act on the JSON API only", () => {
  const ctx = useAccountsWeb("sqlite");
  let outboxApp: TestApp;
  let n = 0;

  before(async () => {
    await seedPapers(ctx.store, [{ id: PAPER, hfUpvotes: 5, day: "2024-05-31" }]);
    const mailer = new OutboxMailer(ctx.web.deps.config.dataDir, ctx.web.deps.config.mail.from);
    outboxApp = appWithSecurity(ctx.web, ctx.store, { PAPERBOY_DEV_OUTBOX: "true" }, { mailer });
  });
  after(() => outboxApp.close());

  const makeUser = (role: "member" | "admin" = "member"): Promise<User> =>
    ctx.store.accounts.createUser({
      email: `holder${++n}@example.org`,
      name: `Holder ${n}`,
      password: PASSPHRASE,
      role,
      verified: true,
    });
  const tokenOf = async (user: User, scope: "read" | "write" = "write") =>
    (await ctx.store.accounts.createApiToken(user.id, "script", NOW, scope)).token;

  /** A request as a script sends it: the token, and whatever else the attack adds. */
  const withToken = (app: TestApp, token: string, path: string, init: RequestInit = {}) => {
    const headers = new Headers(init.headers);
    headers.set("authorization", `Bearer ${token}`);
    return app.request(path, { ...init, headers });
  };
  const form = (fields: Record<string, string>, extra: Record<string, string> = {}): RequestInit => ({
    method: "POST",
    headers: { "content-type": "application/x-www-form-urlencoded", ...extra },
    body: new URLSearchParams(fields).toString(),
  });
  const api = async (token: string, method: string, path: string, body?: unknown) => {
    const res = await withToken(ctx.web, token, path, {
      method,
      ...(body === undefined
        ? {}
        : { headers: { "content-type": "application/json" }, body: JSON.stringify(body) }),
    });
    return { res, json: (await res.json()) as { error?: { code: string } } };
  };

  test("a write token opens no page: settings, tokens, digests and library answer as to a visitor", async () => {
    const user = await makeUser();
    const token = await tokenOf(user);
    for (const path of ["/settings", "/settings/digests", "/library", "/for-you"]) {
      const res = await withToken(ctx.web, token, path);
      assert.equal(res.status, 303, path);
      assert.match(res.headers.get("location") ?? "", /^\/signin\?next=/, path);
    }
  });

  test("a write token changes nothing through the forms: no new token, name, password or webhook", async () => {
    const user = await makeUser();
    const token = await tokenOf(user);
    const attempts: [string, Record<string, string>][] = [
      ["/settings/tokens", { name: "minted", scope: "write" }],
      ["/settings/name", { name: "Taken Over" }],
      ["/settings/password", { current: PASSPHRASE, password: NEW_PASSPHRASE }],
      [
        "/settings/digests",
        {
          frequency: "daily",
          hour: "8",
          timeZone: "UTC",
          trending: "3",
          webhookUrl: "https://attacker.example/collect",
        },
      ],
    ];
    for (const [path, fields] of attempts) {
      // As filed: the token alone, no CSRF token.
      assert.equal((await withToken(ctx.web, token, path, form(fields))).status, 403, path);
      // With a signed-out browser's CSRF pair, which anyone can get: past CSRF, the token is still nobody.
      const res = await withToken(ctx.web, token, path, form(fields, ctx.web.signedOutHeaders()));
      assert.equal(res.status, 401, path);
    }
    const stored = await ctx.store.accounts.getUser(user.id);
    assert.equal(stored?.name, user.name);
    assert.deepEqual(
      (await ctx.store.accounts.listApiTokens(user.id)).map((t) => t.name),
      ["script"],
    );
    assert.ok(await ctx.store.accounts.authenticate(user.email, PASSPHRASE), "the password is unchanged");
    assert.deepEqual(await ctx.store.digests.ofUser(user.id), []);
  });

  test("an admin's token opens no admin page and no outbox; the admin's session does", async () => {
    const admin = await makeUser("admin");
    const member = await makeUser();
    const token = await tokenOf(admin);
    for (const path of ["/admin/users", "/admin/hidden"]) {
      assert.equal((await withToken(ctx.web, token, path)).status, 303, path);
    }
    const suspend = `/admin/users/${member.id}/suspend`;
    assert.equal((await withToken(ctx.web, token, suspend, form({}))).status, 403, "no CSRF token");
    const pastCsrf = await withToken(ctx.web, token, suspend, form({}, ctx.web.signedOutHeaders()));
    assert.equal(pastCsrf.status, 401, "a visitor");
    assert.equal((await ctx.store.accounts.getUser(member.id))?.suspendedAt, null);
    const outboxRes = await withToken(outboxApp, token, "/dev/outbox");
    assert.equal(outboxRes.status, 403);

    const session = await ctx.store.accounts.createSession(admin.id, NOW);
    for (const app of [ctx.web, outboxApp]) {
      const browser = new WebClient(app.app, BASE_URL);
      browser.cookies.set("pb_session", session.token);
      assert.equal((await browser.get(app === ctx.web ? "/admin/users" : "/dev/outbox")).status, 200);
    }
  });

  test("a read-only token reads the API (200) and may not write (403 insufficient_scope); a write token may", async () => {
    const user = await makeUser();
    const read = await tokenOf(user, "read");
    const { res: list } = await api(read, "GET", "/api/library");
    assert.equal(list.status, 200);
    const writes: [string, string, unknown][] = [
      ["PUT", `/api/papers/${PAPER}/vote`, { voted: true }],
      ["POST", `/api/papers/${PAPER}/comments`, { body: "from a read-only token" }],
      ["PUT", `/api/library/${PAPER}`, { tags: ["x"] }],
      ["DELETE", `/api/library/${PAPER}`, undefined],
    ];
    for (const [method, path, body] of writes) {
      const { res, json } = await api(read, method, path, body);
      assert.equal(res.status, 403, `${method} ${path}`);
      assert.equal(json.error?.code, "insufficient_scope");
      assert.match(res.headers.get("www-authenticate") ?? "", /insufficient_scope/);
    }
    const paper = id(PAPER);
    assert.equal((await ctx.store.community.votedBy(user.id, [paper])).size, 0);
    assert.equal((await ctx.store.community.savedItems(user.id, [paper])).size, 0);
    assert.deepEqual(await ctx.store.community.comments(paper), []);

    const write = await tokenOf(user, "write");
    assert.equal((await api(write, "PUT", `/api/papers/${PAPER}/vote`, { voted: true })).res.status, 200);
    assert.equal((await ctx.store.community.votedBy(user.id, [paper])).size, 1);
  });

  test("a password change in settings revokes the member's tokens; a token made afterwards works", async () => {
    const user = await makeUser();
    const browser = new WebClient(ctx.web.app, BASE_URL);
    browser.cookies.set("pb_session", (await ctx.store.accounts.createSession(user.id, NOW)).token);
    await browser.get("/settings");
    // The legitimate way to get a token: the settings form, in the member's own session.
    const made = await browser.post("/settings/tokens", { name: "laptop", scope: "write" });
    assert.equal(made.status, 200);
    const token = /<pre>([^<]+)<\/pre>/.exec(browser.lastHtml)?.[1] ?? "";
    assert.ok(token.length > 20, "the new token is shown once");
    const older = await tokenOf(user, "read");
    assert.equal((await api(token, "GET", "/api/library")).res.status, 200);

    await browser.get("/settings");
    const changed = await browser.post("/settings/password", {
      current: PASSPHRASE,
      password: NEW_PASSPHRASE,
    });
    assert.equal(changed.status, 303);
    for (const t of [token, older]) {
      const { res, json } = await api(t, "GET", "/api/library");
      assert.equal(res.status, 401);
      assert.equal(json.error?.code, "invalid_token");
    }
    assert.equal((await browser.get("/settings")).status, 200, "the member stays signed in");
    const fresh = await tokenOf(user);
    assert.equal((await api(fresh, "GET", "/api/library")).res.status, 200);
  });

  test("a password reset through the mailed link revokes the member's tokens", async () => {
    const user = await makeUser();
    const token = await tokenOf(user);
    assert.equal((await api(token, "GET", "/api/library")).res.status, 200);

    const browser = ctx.browser();
    await browser.get("/reset");
    const before = ctx.smtp.messages.length;
    assert.equal((await browser.post("/reset", { email: user.email })).status, 200);
    const mails = await ctx.smtp.waitFor(before + 1);
    const link = linkIn(String(mails[before]?.text ?? ""), "/reset");
    assert.equal((await browser.get(link)).status, 200);
    const resetToken = new URLSearchParams(link.split("?")[1]).get("token") ?? "";
    const done = await browser.post("/reset", { token: resetToken, password: NEW_PASSPHRASE });
    assert.equal(done.status, 303);

    const { res, json } = await api(token, "GET", "/api/library");
    assert.equal(res.status, 401);
    assert.equal(json.error?.code, "invalid_token");
    assert.equal(await signInWith(ctx.browser(), user.email, NEW_PASSPHRASE), 303);
  });
});
