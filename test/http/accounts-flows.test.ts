/**
 * The account flows end to end, in-process, on both stores, with mail delivered over SMTP to a real
 * receiver: sign up, verify by the mailed link, sign out, sign in, reset the password, settings, API tokens.
 */
import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { linkIn, useAccountsWeb } from "../helpers/accounts-web.ts";
import type { StoreKind } from "../helpers/stores.ts";

const PASSWORD = "a long enough password";

for (const kind of ["sqlite", "postgres"] as StoreKind[]) {
  describe(`account flows: ${kind}`, () => {
    const ctx = useAccountsWeb(kind);

    test("sign up → verification mail over SMTP → follow the link → verified", async () => {
      const browser = ctx.browser();
      assert.equal((await browser.get("/signup")).status, 200);
      assert.ok(browser.cookies.has("pb_anon"), "a signed-out form sets the CSRF cookie");
      const res = await browser.post("/signup", {
        email: "Ada@Example.org",
        name: "Ada",
        password: PASSWORD,
      });
      assert.equal(res.status, 303);
      assert.equal(res.headers.get("location"), "/settings?welcome=1");
      const cookie = res.headers.getSetCookie().find((c) => c.startsWith("pb_session="));
      assert.ok(cookie);
      assert.match(cookie, /HttpOnly/);
      assert.match(cookie, /SameSite=Lax/);
      assert.match(cookie, /Max-Age=2592000/);
      assert.doesNotMatch(cookie, /Secure/, "http base URL: no Secure flag");

      const settings = await browser.get("/settings?welcome=1");
      assert.equal(settings.status, 200);
      assert.match(browser.lastHtml, /Please confirm your email/);
      assert.match(browser.lastHtml, /ada@example\.org/);

      const [mail] = await ctx.smtp.waitFor(1);
      assert.deepEqual(ctx.smtp.recipients[0], ["ada@example.org"]);
      assert.equal(mail?.subject, "Confirm your email for Paperboy");
      assert.ok(String(mail?.html).includes("/verify?token="));
      const link = linkIn(mail?.text, "/verify");

      const verified = await browser.get(link);
      assert.equal(verified.status, 200);
      assert.match(browser.lastHtml, /Email confirmed/);
      assert.ok((await ctx.store.accounts.getUserByEmail("ada@example.org"))?.verifiedAt);
      assert.equal((await browser.get(link)).status, 400, "a link works once");
      await browser.get("/settings");
      assert.doesNotMatch(browser.lastHtml, /Please confirm your email/);
    });

    test("sign out ends the session for good; sign in says the same for unknown emails and wrong passwords", async () => {
      const browser = ctx.browser();
      await browser.get("/signup");
      await browser.post("/signup", { email: "bob@example.org", name: "Bob", password: PASSWORD });
      const token = browser.cookies.get("pb_session") ?? "";
      assert.ok(await ctx.store.accounts.resolveSession(token, ctx.web.deps.now()));
      await browser.get("/settings");
      const out = await browser.post("/signout");
      assert.equal(out.status, 303);
      assert.equal(browser.cookies.has("pb_session"), false);
      assert.equal(await ctx.store.accounts.resolveSession(token, ctx.web.deps.now()), null);
      const gated = await browser.get("/settings");
      assert.equal(gated.status, 303);
      assert.equal(gated.headers.get("location"), "/signin?next=%2Fsettings");

      await browser.get("/signin?next=%2Fsettings");
      const wrong = await browser.post("/signin", {
        email: "bob@example.org",
        password: "not the password",
        next: "/settings",
      });
      assert.equal(wrong.status, 401);
      const wrongText = /role="alert">([^<]*)</.exec(browser.lastHtml)?.[1];
      const unknown = await browser.post("/signin", {
        email: "nobody@example.org",
        password: PASSWORD,
        next: "/",
      });
      assert.equal(unknown.status, 401);
      assert.equal(/role="alert">([^<]*)</.exec(browser.lastHtml)?.[1], wrongText);

      const right = await browser.post("/signin", {
        email: "BOB@example.org",
        password: PASSWORD,
        next: "/settings",
      });
      assert.equal(right.status, 303);
      assert.equal(right.headers.get("location"), "/settings");
      assert.equal((await browser.get("/settings")).status, 200);
    });

    test("password reset by mail: same answer for unknown emails, weak passwords keep the link, old sessions end", async () => {
      const owner = ctx.browser();
      await owner.get("/signup");
      await owner.post("/signup", { email: "carol@example.org", name: "Carol", password: PASSWORD });
      assert.equal((await owner.get("/settings")).status, 200);
      const sent = ctx.smtp.messages.length;

      const visitor = ctx.browser();
      await visitor.get("/reset");
      assert.equal((await visitor.post("/reset", { email: "nobody@example.org" })).status, 200);
      const unknownText = visitor.lastHtml.match(/If an account uses that email[^<]*/)?.[0];
      assert.equal((await visitor.post("/reset", { email: "carol@example.org" })).status, 200);
      assert.equal(visitor.lastHtml.match(/If an account uses that email[^<]*/)?.[0], unknownText);
      const mail = (await ctx.smtp.waitFor(sent + 1))[sent];
      assert.deepEqual(ctx.smtp.recipients[sent], ["carol@example.org"]);
      assert.equal(mail?.subject, "Reset your Paperboy password");
      const link = linkIn(mail?.text, "/reset");

      assert.equal((await visitor.get(link)).status, 200);
      assert.match(visitor.lastHtml, /Choose a new password/);
      const token = new URL(link, "http://x").searchParams.get("token") ?? "";
      const weak = await visitor.post("/reset", { token, password: "short" });
      assert.equal(weak.status, 400);
      const done = await visitor.post("/reset", { token, password: "my new strong password" });
      assert.equal(done.status, 303);
      assert.equal(done.headers.get("location"), "/signin?done=reset");
      assert.equal((await visitor.post("/reset", { token, password: "yet another password" })).status, 400);

      assert.equal((await owner.get("/settings")).status, 303, "the old session ended with the reset");
      await visitor.get("/signin");
      assert.equal(
        (await visitor.post("/signin", { email: "carol@example.org", password: PASSWORD })).status,
        401,
      );
      assert.equal(
        (await visitor.post("/signin", { email: "carol@example.org", password: "my new strong password" }))
          .status,
        303,
      );
      assert.ok(
        (await ctx.store.accounts.getUserByEmail("carol@example.org"))?.verifiedAt,
        "the link proves the mailbox",
      );
      assert.equal(ctx.smtp.messages.length, sent + 1, "nothing was mailed for the unknown email");
    });

    test("settings: name, password (with the current one), API tokens shown once and revocable", async () => {
      const browser = ctx.browser();
      await browser.get("/signup");
      await browser.post("/signup", { email: "dan@example.org", name: "Dan", password: PASSWORD });
      await browser.get("/settings");
      assert.equal((await browser.post("/settings/name", { name: "Daniel  B." })).status, 303);
      await browser.get("/settings?done=name");
      assert.match(browser.lastHtml, /value="Daniel B\."/);

      assert.equal(
        (
          await browser.post("/settings/password", {
            current: "wrong password!",
            password: "fresh password 1",
          })
        ).status,
        401,
      );
      const changed = await browser.post("/settings/password", {
        current: PASSWORD,
        password: "fresh password 1",
      });
      assert.equal(changed.status, 303);
      assert.equal(
        (await browser.get("/settings")).status,
        200,
        "the browser that changed it stays signed in",
      );

      const created = await browser.post("/settings/tokens", { name: "nightly export" });
      assert.equal(created.status, 200);
      assert.equal(created.headers.get("cache-control"), "no-store");
      const apiToken = /<pre>(pb_[\w-]{43})<\/pre>/.exec(browser.lastHtml)?.[1];
      assert.ok(apiToken, "the new token is on the page");
      await browser.get("/settings");
      assert.ok(!browser.lastHtml.includes(apiToken), "and never again");
      assert.match(browser.lastHtml, /nightly export/);

      const program = ctx.browser();
      const asProgram = await program.get("/settings", { authorization: `Bearer ${apiToken}` });
      assert.equal(asProgram.status, 200);
      assert.match(program.lastHtml, /dan@example\.org/);
      // A Bearer call needs no CSRF token: browsers never add the header on their own.
      const viaApi = await program.request("/settings/name", {
        method: "POST",
        headers: { authorization: `Bearer ${apiToken}`, "content-type": "application/x-www-form-urlencoded" },
        body: new URLSearchParams({ name: "Dan by API" }),
      });
      assert.equal(viaApi.status, 303);

      const id = (
        await ctx.store.accounts.listApiTokens(
          (await ctx.store.accounts.getUserByEmail("dan@example.org"))?.id ?? "",
        )
      )[0]?.id;
      assert.ok(id);
      assert.equal((await browser.post(`/settings/tokens/${id}/revoke`)).status, 303);
      const refused = await program.get("/settings", { authorization: `Bearer ${apiToken}` });
      assert.equal(refused.status, 401);
      assert.equal(refused.headers.get("www-authenticate"), 'Bearer error="invalid_token"');
      assert.equal(((await refused.json()) as { error: { code: string } }).error.code, "invalid_token");
    });

    test("a new verification link can be asked for from settings", async () => {
      const browser = ctx.browser();
      await browser.get("/signup");
      await browser.post("/signup", { email: "erin@example.org", name: "Erin", password: PASSWORD });
      const before = ctx.smtp.messages.length;
      await browser.get("/settings");
      const res = await browser.post("/settings/verify");
      assert.equal(res.status, 303);
      assert.equal(res.headers.get("location"), "/settings?done=verify-sent");
      const mail = (await ctx.smtp.waitFor(before + 1))[before];
      assert.equal((await browser.get(linkIn(mail?.text, "/verify"))).status, 200);
    });
  });
}
