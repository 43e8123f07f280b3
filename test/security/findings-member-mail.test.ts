/**
 * Security review, finding 5 (medium): an unverified member got a digest confirmation mail on every POST to
 * /settings/digests, without limit (15 in a row went out), so any address could be flooded by signing up with
 * it. Now one confirmation waits at a time, and a member's mail is capped per hour. Verified members need no
 * confirmation at all. Run on SQLite and PostgreSQL (the caps are counters in the database).
 */
import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { type AccountsWeb, useAccountsWeb } from "../helpers/accounts-web.ts";
import { PASSPHRASE, settle } from "../helpers/security.ts";
import type { StoreKind } from "../helpers/stores.ts";
import type { WebClient } from "../helpers/web-client.ts";

const DIGEST_FORM = {
  frequency: "daily",
  hour: "8",
  timeZone: "UTC",
  trending: "5",
  searches: "diffusion models",
  emailEnabled: "on",
};
const CONFIRMATION = "Confirm your Paperboy digest subscription";
/** The test app's clock (createTestApp), so sessions made here are live there. */
const NOW = new Date("2024-06-01T12:00:00Z");

for (const kind of ["sqlite", "postgres"] as StoreKind[]) {
  describe(`finding 5: mail a member's actions send is capped (${kind})`, () => {
    const ctx = useAccountsWeb(kind);
    let n = 0;

    /** A signed-in member (verified or not) whose browser has loaded the digest settings. */
    async function member(verified: boolean): Promise<{ browser: WebClient; email: string; user: string }> {
      const email = `digest${++n}-${kind}@example.org`;
      const user = await ctx.store.accounts.createUser({
        email,
        name: `Digest ${n}`,
        password: PASSPHRASE,
        verified,
      });
      const browser = ctx.browser();
      browser.cookies.set("pb_session", (await ctx.store.accounts.createSession(user.id, NOW)).token);
      assert.equal((await browser.get("/settings/digests")).status, 200);
      return { browser, email, user: user.id };
    }
    const confirmationsTo = (c: AccountsWeb, email: string) =>
      c.smtp.messages.filter((m, i) => m.subject === CONFIRMATION && c.smtp.recipients[i]?.includes(email))
        .length;

    test("an unverified member posting the digest form 15 times gets one confirmation mail", async () => {
      const m = await member(false);
      const before = ctx.smtp.messages.length;
      const statuses: number[] = [];
      for (let i = 0; i < 15; i++) {
        statuses.push((await m.browser.post("/settings/digests", DIGEST_FORM)).status);
      }
      assert.deepEqual(statuses, [200, ...Array(14).fill(400)]);
      assert.match(m.browser.lastHtml, /A digest of yours is waiting for confirmation/);
      await settle();
      assert.equal(ctx.smtp.messages.length, before + 1, "one mail in all");
      assert.equal(confirmationsTo(ctx, m.email), 1);
      const subs = await ctx.store.digests.ofUser(m.user);
      assert.deepEqual(
        subs.map((s) => s.state),
        ["pending"],
      );
    });

    test("fifteen posts sent at once still send one confirmation mail", async () => {
      const m = await member(false);
      const before = ctx.smtp.messages.length;
      const statuses = await Promise.all(
        Array.from({ length: 15 }, () =>
          m.browser.post("/settings/digests", DIGEST_FORM).then((r) => r.status),
        ),
      );
      await settle();
      const pending = (await ctx.store.digests.ofUser(m.user)).filter((s) => s.state === "pending").length;
      assert.ok(ctx.smtp.messages.length - before <= 5, "the hourly cap holds even so");
      assert.equal(ctx.smtp.messages.length - before, 1, `mails sent; answers ${statuses.join(",")}`);
      assert.equal(pending, 1, "digests waiting for confirmation");
    });

    test("withdrawing the waiting digest and asking again is capped as well (5 mails an hour)", async () => {
      const m = await member(false);
      const statuses: number[] = [];
      for (let i = 0; i < 8; i++) {
        statuses.push((await m.browser.post("/settings/digests", DIGEST_FORM)).status);
        const pending = (await ctx.store.digests.ofUser(m.user)).find((s) => s.state === "pending");
        if (pending) {
          await m.browser.get("/settings/digests");
          assert.equal((await m.browser.post(`/settings/digests/${pending.id}/unsubscribe`)).status, 303);
        }
        await m.browser.get("/settings/digests");
      }
      assert.deepEqual(statuses, [...Array(5).fill(200), 429, 429, 429]);
      await settle();
      assert.equal(confirmationsTo(ctx, m.email), 5);
    });

    test("a verified member's digest starts at once, with no confirmation mail", async () => {
      const m = await member(true);
      const before = ctx.smtp.messages.length;
      for (let i = 0; i < 3; i++) {
        const res = await m.browser.post("/settings/digests", { ...DIGEST_FORM, searches: `topic ${i}` });
        assert.equal(res.status, 303);
        assert.equal(res.headers.get("location"), "/settings/digests?saved=1");
        await m.browser.get("/settings/digests");
      }
      await settle();
      assert.equal(ctx.smtp.messages.length, before, "nothing to confirm");
      const subs = await ctx.store.digests.ofUser(m.user);
      assert.deepEqual(
        subs.map((s) => s.state),
        ["active", "active", "active"],
      );
    });
  });
}
