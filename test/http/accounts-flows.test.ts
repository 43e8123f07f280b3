/**
 * The account flows end to end, in-process, on both stores, with mail delivered over SMTP to a real
 * receiver: sign up, verify by the mailed link, sign out, sign in, reset the password, settings, API tokens.
 */
import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { linkIn, signUpUnverified, signUpVerified, useAccountsWeb } from "../helpers/accounts-web.ts";
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
      // No session yet, and a page that would read the same for an address that has an account.
      assert.equal(res.status, 200);
      assert.match(browser.lastHtml, /Check your inbox/);
      assert.match(browser.lastHtml, /ada@example\.org/);
      assert.equal(browser.cookies.has("pb_session"), false);
      assert.equal((await browser.get("/settings")).status, 303);

      const [mail] = await ctx.smtp.waitFor(1);
      assert.deepEqual(ctx.smtp.recipients[0], ["ada@example.org"]);
      assert.equal(mail?.subject, "Confirm your email for Paperboy");
      assert.ok(String(mail?.html).includes("/verify?token="));
      const link = linkIn(mail?.text, "/verify");

      // Opened in the browser that signed up, the link confirms the address and signs the member in.
      const verified = await browser.get(link);
      assert.equal(verified.status, 303);
      assert.equal(verified.headers.get("location"), "/settings?welcome=1");
      const cookie = verified.headers.getSetCookie().find((c) => c.startsWith("pb_session="));
      assert.ok(cookie);
      assert.match(cookie, /HttpOnly/);
      assert.match(cookie, /SameSite=Lax/);
      assert.match(cookie, /Max-Age=2592000/);
      assert.doesNotMatch(cookie, /Secure/, "http base URL: no Secure flag");
      assert.ok((await ctx.store.accounts.getUserByEmail("ada@example.org"))?.verifiedAt);
      assert.equal((await browser.get(link)).status, 400, "a link works once");
      await browser.get("/settings?welcome=1");
      assert.match(browser.lastHtml, /Welcome to Paperboy/);
      assert.doesNotMatch(browser.lastHtml, /Please confirm your email/);
    });

    test("a confirmation link opened in another browser confirms but signs nobody in", async () => {
      const browser = ctx.browser();
      await browser.get("/signup");
      const before = ctx.smtp.messages.length;
      await browser.post("/signup", { email: "ann@example.org", name: "Ann", password: PASSWORD });
      const mail = (await ctx.smtp.waitFor(before + 1))[before];
      const other = ctx.browser();
      const res = await other.get(linkIn(mail?.text, "/verify"));
      assert.equal(res.status, 200);
      assert.match(other.lastHtml, /Email confirmed/);
      assert.equal(other.cookies.has("pb_session"), false);
      assert.ok((await ctx.store.accounts.getUserByEmail("ann@example.org"))?.verifiedAt);
    });

    test("sign out ends the session for good; sign in says the same for unknown emails and wrong passwords", async () => {
      const browser = ctx.browser();
      await signUpVerified(ctx, browser, { email: "bob@example.org", name: "Bob", password: PASSWORD });
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
      await signUpUnverified(ctx, owner, { email: "carol@example.org", name: "Carol", password: PASSWORD });
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
      await signUpVerified(ctx, browser, { email: "dan@example.org", name: "Dan", password: PASSWORD });
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
      const library = await program.get("/api/library", { authorization: `Bearer ${apiToken}` });
      assert.equal(library.status, 200, "a token works on the API");
      // ...and nowhere else: a token opens no page and changes no setting.
      const asProgram = await program.get("/settings", { authorization: `Bearer ${apiToken}` });
      assert.equal(asProgram.status, 303);
      const viaForm = await program.request("/settings/name", {
        method: "POST",
        headers: { authorization: `Bearer ${apiToken}`, "content-type": "application/x-www-form-urlencoded" },
        body: new URLSearchParams({ name: "Dan by API" }),
      });
      assert.equal(viaForm.status, 403);
      assert.equal((await ctx.store.accounts.getUserByEmail("dan@example.org"))?.name, "Daniel B.");

      const id = (
        await ctx.store.accounts.listApiTokens(
          (await ctx.store.accounts.getUserByEmail("dan@example.org"))?.id ?? "",
        )
      )[0]?.id;
      assert.ok(id);
      assert.equal((await browser.post(`/settings/tokens/${id}/revoke`)).status, 303);
      const refused = await program.get("/api/library", { authorization: `Bearer ${apiToken}` });
      assert.equal(refused.status, 401);
      assert.equal(refused.headers.get("www-authenticate"), 'Bearer error="invalid_token"');
      assert.equal(((await refused.json()) as { error: { code: string } }).error.code, "invalid_token");
    });

    test("a new verification link can be asked for from settings", async () => {
      const browser = ctx.browser();
      await signUpUnverified(ctx, browser, { email: "erin@example.org", name: "Erin", password: PASSWORD });
      const before = ctx.smtp.messages.length;
      await browser.get("/settings");
      const res = await browser.post("/settings/verify");
      assert.equal(res.status, 303);
      assert.equal(res.headers.get("location"), "/settings?done=verify-sent");
      const mail = (await ctx.smtp.waitFor(before + 1))[before];
      const opened = await browser.get(linkIn(mail?.text, "/verify"));
      assert.equal(opened.status, 303, "the signed-in member goes on to their settings");
      assert.equal(opened.headers.get("location"), "/settings?welcome=1");
      assert.ok((await ctx.store.accounts.getUserByEmail("erin@example.org"))?.verifiedAt);
    });
  });
}
