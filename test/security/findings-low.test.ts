/**
 * Security review, finding 6 (low): sign-up said "An account with this email already exists"; unverified
 * accounts could vote and save; RSS `<description>` carried imported text HTML-escaped only once, so a feed
 * reader saw `<script>` markup; and the password rule was length >= 10 only. Each attack as filed, and the
 * legitimate path next to it.
 */
import assert from "node:assert/strict";
import { before, describe, test } from "node:test";
import type { User } from "../../src/core/accounts.ts";
import { BASE_URL, linkIn, useAccountsWeb } from "../helpers/accounts-web.ts";
import { buildArxivRecord, buildDailyRecord, cats, day, id } from "../helpers/factories.ts";
import {
  COMMON_PASSWORD_MESSAGE,
  COMMON_PASSWORDS,
  NEW_PASSPHRASE,
  PASSPHRASE,
  signInWith,
} from "../helpers/security.ts";
import { WebClient } from "../helpers/web-client.ts";

const PAPER = id("2405.00042");
const ABSTRACT = "We study <script>alert(1)</script> & friends.";
const NOW = new Date("2024-06-01T12:00:00Z");

describe("finding 6: enumeration, unverified writes, feed markup, common passwords", () => {
  const ctx = useAccountsWeb("sqlite");
  let n = 0;
  const makeUser = (verified = true): Promise<User> =>
    ctx.store.accounts.createUser({
      email: `low${++n}@example.org`,
      name: `Low ${n}`,
      password: PASSPHRASE,
      verified,
    });

  before(async () => {
    await ctx.store.ingest({
      papers: [
        buildArxivRecord({
          id: PAPER,
          title: "Escaping feeds",
          abstract: ABSTRACT,
          categories: cats("cs.CR"),
        }),
      ],
      daily: [buildDailyRecord({ date: day("2024-05-31"), paperId: PAPER, upvotes: 7 })],
    });
  });

  test("sign-up with a taken email answers exactly as with a new one; neither signs in; the owner is told", async () => {
    const owner = await makeUser();
    const answer = async (email: string) => {
      const browser = ctx.browser();
      await browser.get("/signup");
      const res = await browser.post("/signup", { email, name: "Someone", password: NEW_PASSPHRASE });
      const cookies = res.headers
        .getSetCookie()
        .map((c) => c.replace(/^([^=]+)=[^;]*/, "$1=…"))
        .sort();
      const page = browser.lastHtml
        .replaceAll(email, "EMAIL")
        .replace(/name="_csrf" value="[^"]*"/g, 'name="_csrf" value=""');
      return { status: res.status, cookies, page, session: browser.cookies.has("pb_session") };
    };
    const before = ctx.smtp.messages.length;
    const fresh = await answer(`new${++n}@example.org`);
    const taken = await answer(owner.email);
    assert.deepEqual(taken, fresh);
    assert.equal(taken.status, 200);
    assert.equal(taken.session, false);
    assert.match(taken.page, /Check your inbox/);
    assert.doesNotMatch(taken.page, /already exists/);

    const mails = await ctx.smtp.waitFor(before + 2);
    const toOwner = mails
      .slice(before)
      .filter((_, i) => ctx.smtp.recipients[before + i]?.includes(owner.email));
    assert.deepEqual(
      toOwner.map((m) => m.subject),
      ["You already have a Paperboy account"],
    );
    assert.doesNotMatch(String(toOwner[0]?.text), /token=/, "the mail signs nobody in");
    // The owner's account is untouched: the sign-up's password does not open it.
    assert.equal(await ctx.store.accounts.authenticate(owner.email, NEW_PASSPHRASE), null);
    assert.equal((await ctx.store.accounts.getUser(owner.id))?.name, owner.name);
  });

  test("an unverified member's vote and save are refused (form, script and API) and nothing is stored", async () => {
    const user = await makeUser(false);
    const browser = new WebClient(ctx.web.app, BASE_URL);
    browser.cookies.set("pb_session", (await ctx.store.accounts.createSession(user.id, NOW)).token);
    await browser.get(`/papers/${PAPER}`);
    const csrf = browser.csrf;

    assert.equal((await browser.post(`/papers/${PAPER}/vote`)).status, 403);
    assert.match(browser.lastHtml, /Verify your email first/);
    assert.equal((await browser.post("/library/toggle", { paper: PAPER, _csrf: csrf })).status, 403);

    const script = (path: string, init: RequestInit) =>
      browser.request(path, {
        ...init,
        headers: { accept: "application/json", "x-csrf-token": csrf, ...init.headers },
      });
    const formBody = (fields: Record<string, string>): RequestInit => ({
      method: "POST",
      headers: { "content-type": "application/x-www-form-urlencoded" },
      body: new URLSearchParams(fields).toString(),
    });
    const jsonBody = (method: string, body: unknown): RequestInit => ({
      method,
      headers: { "content-type": "application/json" },
      body: JSON.stringify(body),
    });
    const token = (await ctx.store.accounts.createApiToken(user.id, "script", NOW, "write")).token;
    const bearer = (init: RequestInit): RequestInit => ({
      ...init,
      headers: { ...init.headers, authorization: `Bearer ${token}` },
    });
    // The form routes answer scripts with the pages' code; the API with its own.
    const refused: [string, string, () => Promise<Response>][] = [
      ["form vote as JSON", "unverified", () => script(`/papers/${PAPER}/vote`, formBody({}))],
      ["form save as JSON", "unverified", () => script("/library/toggle", formBody({ paper: PAPER }))],
      [
        "API vote, session",
        "forbidden",
        () => script(`/api/papers/${PAPER}/vote`, jsonBody("PUT", { voted: true })),
      ],
      ["API save, session", "forbidden", () => script(`/api/library/${PAPER}`, jsonBody("PUT", {}))],
      [
        "API vote, token",
        "forbidden",
        () => ctx.web.request(`/api/papers/${PAPER}/vote`, bearer(jsonBody("PUT", { voted: true }))),
      ],
      [
        "API save, token",
        "forbidden",
        () => ctx.web.request(`/api/library/${PAPER}`, bearer(jsonBody("PUT", {}))),
      ],
    ];
    for (const [what, code, send] of refused) {
      const res = await send();
      assert.equal(res.status, 403, what);
      assert.equal(((await res.json()) as { error: { code: string } }).error.code, code, what);
    }
    assert.equal((await ctx.store.community.votedBy(user.id, [PAPER])).size, 0);
    assert.equal((await ctx.store.community.savedItems(user.id, [PAPER])).size, 0);

    // Verified, the same forms work.
    const member = await makeUser();
    const verified = new WebClient(ctx.web.app, BASE_URL);
    verified.cookies.set("pb_session", (await ctx.store.accounts.createSession(member.id, NOW)).token);
    await verified.get(`/papers/${PAPER}`);
    assert.equal((await verified.post(`/papers/${PAPER}/vote`)).status, 303);
    assert.equal((await verified.post("/library/toggle", { paper: PAPER })).status, 303);
    assert.equal((await ctx.store.community.votedBy(member.id, [PAPER])).size, 1);
    assert.equal((await ctx.store.community.savedItems(member.id, [PAPER])).size, 1);
  });

  test("RSS: an imported abstract's <script> reaches a feed reader as text, never as markup", async () => {
    const res = await ctx.web.request("/feeds/daily.rss");
    assert.equal(res.status, 200);
    const xml = await res.text();
    const item = xml.split("<item>").find((part) => part.includes("Escaping feeds")) ?? "";
    const raw = /<description>([\s\S]*?)<\/description>/.exec(item)?.[1] ?? "";
    // Escaped twice in the XML: once as HTML, then as XML.
    assert.equal(raw, "We study &amp;lt;script&amp;gt;alert(1)&amp;lt;/script&amp;gt; &amp;amp; friends.");
    assert.ok(!xml.includes("&lt;script&gt;"), "no once-escaped markup anywhere in the feed");
    assert.ok(!xml.includes("<script"));
    // What the reader gets from the XML (its HTML) shows the characters: no element in it.
    const html = raw
      .replace(/&lt;/g, "<")
      .replace(/&gt;/g, ">")
      .replace(/&quot;/g, '"')
      .replace(/&apos;/g, "'")
      .replace(/&amp;/g, "&");
    assert.equal(html, "We study &lt;script&gt;alert(1)&lt;/script&gt; &amp; friends.");
    assert.doesNotMatch(html, /</, "the HTML a reader renders has no tag");
  });

  test("common passwords are refused at sign-up, reset and settings with a clear message; a passphrase is not", async () => {
    // Sign-up.
    const browser = ctx.browser();
    const email = `common${++n}@example.org`;
    await browser.get("/signup");
    const before = ctx.smtp.messages.length;
    for (const password of COMMON_PASSWORDS) {
      const res = await browser.post("/signup", { email, name: "Common", password });
      assert.equal(res.status, 400, password);
      assert.match(browser.lastHtml, COMMON_PASSWORD_MESSAGE, password);
    }
    assert.equal(await ctx.store.accounts.getUserByEmail(email), null);
    assert.equal(ctx.smtp.messages.length, before, "no mail for a refused sign-up");
    assert.equal(
      (await browser.post("/signup", { email, name: "Common", password: PASSPHRASE })).status,
      200,
    );
    assert.match(browser.lastHtml, /Check your inbox/);

    // Reset, through the mailed link: refused passwords do not use the link up.
    const user = await makeUser();
    const resetter = ctx.browser();
    await resetter.get("/reset");
    const sent = ctx.smtp.messages.length;
    assert.equal((await resetter.post("/reset", { email: user.email })).status, 200);
    const mails = await ctx.smtp.waitFor(sent + 1);
    const resetMail = mails.slice(sent).find((m) => m.subject === "Reset your Paperboy password");
    const link = linkIn(String(resetMail?.text ?? ""), "/reset");
    const token = new URLSearchParams(link.split("?")[1]).get("token") ?? "";
    await resetter.get(link);
    for (const password of COMMON_PASSWORDS) {
      const res = await resetter.post("/reset", { token, password });
      assert.equal(res.status, 400, password);
      assert.match(resetter.lastHtml, COMMON_PASSWORD_MESSAGE, password);
    }
    assert.equal((await resetter.post("/reset", { token, password: NEW_PASSPHRASE })).status, 303);
    assert.ok(await ctx.store.accounts.authenticate(user.email, NEW_PASSPHRASE));

    // Settings.
    const other = await makeUser();
    const settings = new WebClient(ctx.web.app, BASE_URL);
    settings.cookies.set("pb_session", (await ctx.store.accounts.createSession(other.id, NOW)).token);
    await settings.get("/settings");
    for (const password of COMMON_PASSWORDS) {
      const res = await settings.post("/settings/password", { current: PASSPHRASE, password });
      assert.equal(res.status, 400, password);
      assert.match(settings.lastHtml, COMMON_PASSWORD_MESSAGE, password);
    }
    assert.ok(await ctx.store.accounts.authenticate(other.email, PASSPHRASE), "the password is unchanged");
    const changed = await settings.post("/settings/password", {
      current: PASSPHRASE,
      password: NEW_PASSPHRASE,
    });
    assert.equal(changed.status, 303);
    assert.equal(await signInWith(ctx.browser(), other.email, NEW_PASSPHRASE), 303);
  });
});
