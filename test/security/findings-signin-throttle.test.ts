/**
 * Security review, finding 3 (medium): after 10 wrong passwords for one email the right password got 429, so
 * anyone could lock anyone out. Now someone else's guesses never refuse the owner: other addresses and the
 * owner's own browser (its `pb_device` cookie) sign in, and a throttled address that gives the right password
 * gets the same 429 as a wrong one while the owner is mailed a one-time sign-in link. (The per-address half of
 * the finding, behind a proxy, is in findings-outbox-proxy.test.ts.)
 */
import assert from "node:assert/strict";
import { describe, test } from "node:test";
import type { User } from "../../src/core/accounts.ts";
import { useAccountsWeb } from "../helpers/accounts-web.ts";
import { PASSPHRASE, settle, signInWith, signinLinkIn, wrongPasswords } from "../helpers/security.ts";
import type { WebClient } from "../helpers/web-client.ts";

/** The answer to a throttled sign-in, minus what differs between any two answers (cookies, CSRF, timing). */
async function comparable(res: Response) {
  const headers = [...res.headers]
    .filter(([name]) => !["set-cookie", "server-timing", "x-request-id"].includes(name))
    .sort(([a], [b]) => a.localeCompare(b));
  const body = (await res.text())
    .replace(/name="_csrf" value="[^"]*"/g, 'name="_csrf" value=""')
    .replace(/<meta name="csrf-token" content="[^"]*"/g, '<meta name="csrf-token" content=""');
  return { status: res.status, headers, body };
}

describe("finding 3: wrong passwords lock nobody out", () => {
  const ctx = useAccountsWeb("sqlite");
  let n = 0;
  const owner = (): Promise<User> =>
    ctx.store.accounts.createUser({
      email: `owner${++n}@example.org`,
      name: `Owner ${n}`,
      password: PASSPHRASE,
      verified: true,
    });
  const hasSession = (browser: WebClient) => browser.cookies.has("pb_session");

  test("twelve wrong passwords from address A: the owner signs in from address B", async () => {
    const user = await owner();
    const guesser = ctx.browser("192.0.2.11");
    assert.deepEqual(await wrongPasswords(guesser, user.email, 12), [...Array(10).fill(401), 429, 429]);
    const fromB = ctx.browser("192.0.2.12");
    assert.equal(await signInWith(fromB, user.email, PASSPHRASE), 303);
    assert.ok(hasSession(fromB));
    const settings = await fromB.get("/settings");
    assert.equal(settings.status, 200);
    assert.ok(fromB.lastHtml.includes(user.email));
  });

  test("the owner's own browser, signed in before, still signs in from A after the guesses", async () => {
    const user = await owner();
    const own = ctx.browser("192.0.2.21");
    assert.equal(await signInWith(own, user.email, PASSPHRASE), 303);
    assert.ok(own.cookies.has("pb_device"), "the browser is remembered for this account");
    await own.get("/settings");
    assert.equal((await own.post("/signout")).status, 303);
    assert.ok(!hasSession(own));

    const guesser = ctx.browser("192.0.2.21");
    assert.deepEqual(await wrongPasswords(guesser, user.email, 12), [...Array(10).fill(401), 429, 429]);
    assert.equal(await signInWith(own, user.email, PASSPHRASE), 303, "same address, the owner's browser");
    assert.ok(hasSession(own));

    // A device cookie is the owner's for this account only: the guesser cannot borrow one from its own account.
    const other = await owner();
    assert.equal(await signInWith(guesser, other.email, PASSPHRASE), 303);
    await guesser.get("/settings");
    assert.equal((await guesser.post("/signout")).status, 303);
    assert.deepEqual(await wrongPasswords(guesser, user.email, 1), [429]);
  });

  test("throttled, the right password gets the very 429 a wrong one gets; the owner is mailed a sign-in link", async () => {
    const user = await owner();
    const guesser = ctx.browser("192.0.2.31");
    assert.deepEqual(await wrongPasswords(guesser, user.email, 10), Array(10).fill(401));
    const mailsBefore = ctx.smtp.messages.length;

    const wrong = await guesser.post("/signin", { email: user.email, password: "one more wrong guess" });
    const right = await guesser.post("/signin", { email: user.email, password: PASSPHRASE });
    assert.equal(right.status, 429);
    assert.ok(!hasSession(guesser), "no session for the throttled address");
    assert.ok(
      !right.headers.getSetCookie().some((c) => c.startsWith("pb_session=") || c.startsWith("pb_device=")),
    );
    const [a, b] = [await comparable(wrong), await comparable(right)];
    assert.deepEqual(b, a, "right and wrong passwords are answered byte for byte alike");
    assert.match(a.body, /If the password you just entered is right, we have mailed you a link/);

    // The mail goes out after the answer; only the right password sends one.
    const mails = await ctx.smtp.waitFor(mailsBefore + 1);
    await settle();
    assert.equal(ctx.smtp.messages.length, mailsBefore + 1, "the wrong password mailed nothing");
    const mail = mails[mailsBefore];
    assert.deepEqual(ctx.smtp.recipients[mailsBefore], [user.email]);
    assert.equal(mail?.subject, "Your Paperboy sign-in link");
    const link = signinLinkIn(mail?.text);

    // Opening the link (as a mail scanner would) signs nobody in; the button does.
    const ownBrowser = ctx.browser("192.0.2.32");
    assert.equal((await ownBrowser.get(link)).status, 200);
    assert.match(ownBrowser.lastHtml, /Finish signing in/);
    assert.match(ownBrowser.lastHtml, /Sign me in/);
    assert.ok(!hasSession(ownBrowser));
    const token = new URLSearchParams(link.split("?")[1]).get("token") ?? "";
    assert.equal((await ownBrowser.post("/signin/link", { token })).status, 303);
    assert.ok(hasSession(ownBrowser));
    assert.equal((await ownBrowser.get("/settings")).status, 200);
    assert.ok(ownBrowser.lastHtml.includes(user.email));

    // Once only.
    const again = ctx.browser("192.0.2.33");
    assert.equal((await again.get(link)).status, 400);
    assert.match(again.lastHtml, /Link expired/);
    await again.get("/signin");
    assert.equal((await again.post("/signin/link", { token })).status, 400);
    assert.ok(!hasSession(again));
  });

  test("guesses sent at once are held to the same ten", async () => {
    const user = await owner();
    const guesser = ctx.browser("192.0.2.41");
    await guesser.get("/signin");
    const statuses = await Promise.all(
      Array.from({ length: 14 }, (_, i) =>
        guesser.post("/signin", { email: user.email, password: `parallel guess ${i}` }).then((r) => r.status),
      ),
    );
    const checked = statuses.filter((s) => s === 401).length;
    assert.ok(checked <= 10, `${checked} of 14 concurrent guesses were checked against the password`);
  });
});
