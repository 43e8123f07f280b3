/**
 * Following in one click (issue 18): follows are kept in the member's digest, listed in settings with Remove
 * buttons, each has its own section in the digest ("Nothing new since" when empty), a visitor's Follow goes
 * through sign-up and lands back, and digests and For you say why when the store is behind the clock.
 */
import assert from "node:assert/strict";
import { before, describe, test } from "node:test";
import {
  addFollow,
  checkFollow,
  DEFAULT_CONTENTS,
  followsOf,
  MAX_FOLLOWS,
  removeFollow,
} from "../../src/core/digest.ts";
import { linkIn, signUpThroughForm, signUpVerified, useAccountsWeb } from "../helpers/accounts-web.ts";
import { type SeedPaper, seedDigestPapers } from "../helpers/digest-seed.ts";
import type { StoreKind } from "../helpers/stores.ts";
import type { WebClient } from "../helpers/web-client.ts";

const PASSWORD = "a long enough password";
const NOW = "2026-11-26T12:00:00Z";

describe("follows, pure", () => {
  test("a follow is checked and tidied; adding twice keeps one; removing ignores case", () => {
    assert.deepEqual(checkFollow("author", "  Ada   Lovelace "), { kind: "author", value: "Ada Lovelace" });
    assert.throws(() => checkFollow("paper", "x"), /author, a category or a search/);
    assert.throws(() => checkFollow("author", "   "), /Name the author/);
    assert.throws(() => checkFollow("category", "not a category!"), /cs\.CL/);
    assert.throws(() => checkFollow("search", "x".repeat(201)), /at most 200/);

    let contents = addFollow({ ...DEFAULT_CONTENTS }, { kind: "author", value: "Ada Lovelace" });
    contents = addFollow(contents, { kind: "author", value: "ada lovelace" });
    contents = addFollow(contents, { kind: "search", value: "graph neural" });
    contents = addFollow(contents, { kind: "category", value: "cs.LG" });
    assert.deepEqual(followsOf(contents), [
      { kind: "author", value: "Ada Lovelace" },
      { kind: "category", value: "cs.LG" },
      { kind: "search", value: "graph neural" },
    ]);
    contents = removeFollow(contents, { kind: "author", value: "ADA LOVELACE" });
    assert.deepEqual(contents.authors, []);
    assert.deepEqual(contents.searches, [{ q: "graph neural" }]);
  });

  test(`past ${MAX_FOLLOWS} follows of a kind the next one is refused with a reason`, () => {
    let contents = { ...DEFAULT_CONTENTS };
    for (let i = 0; i < MAX_FOLLOWS; i++) contents = addFollow(contents, { kind: "author", value: `A ${i}` });
    assert.throws(() => addFollow(contents, { kind: "author", value: "One more" }), /at most 20 authors/);
  });
});

for (const kind of ["sqlite", "postgres"] as StoreKind[]) {
  describe(`following in one click: ${kind}`, () => {
    const ctx = useAccountsWeb(kind);
    let papers: SeedPaper[];
    let member: WebClient;

    before(async () => {
      papers = await seedDigestPapers(ctx.store, 4);
      ctx.web.setNow(NOW);
      member = ctx.browser();
      await signUpVerified(ctx, member, { email: "reader@example.org", name: "Reader", password: PASSWORD });
    });

    /** The member's live subscription(s). */
    const subs = async () =>
      (await ctx.store.digests.list({ email: "reader@example.org" })).filter((s) => s.state === "active");

    test("the library's categories come with their paper counts, most first", async () => {
      const counts = await ctx.store.digests.categoryCounts();
      const expected = new Map<string, number>();
      for (const p of papers) {
        const category = p.topic === "graphs" ? "cs.LG" : p.topic === "rl" ? "cs.AI" : "cs.CV";
        expected.set(category, (expected.get(category) ?? 0) + 1);
      }
      assert.deepEqual(
        new Map(counts.map((c) => [c.category, c.papers])),
        expected,
        "every category with its number of papers",
      );
      const numbers = counts.map((c) => c.papers);
      assert.deepEqual(
        numbers,
        [...numbers].sort((a, b) => b - a),
      );
    });

    test("Follow on an author page: one POST starts a digest with the author and comes back", async () => {
      const page = await member.get("/authors/Shared%20Person");
      assert.equal(page.status, 200);
      assert.match(member.lastHtml, /<button class="btn" type="submit">Follow author<\/button>/);
      const res = await member.post("/follow", {
        kind: "author",
        value: "Shared Person",
        next: "/authors/Shared%20Person",
        timeZone: "Europe/Paris",
      });
      assert.equal(res.status, 303);
      assert.equal(res.headers.get("location"), "/authors/Shared%20Person");
      const [sub, ...others] = await subs();
      assert.ok(sub);
      assert.equal(others.length, 0);
      assert.deepEqual(sub.contents.authors, ["Shared Person"]);
      assert.equal(sub.schedule.timeZone, "Europe/Paris", "the browser's zone, sent by the button");
      assert.equal(sub.schedule.frequency, "daily");

      await member.get("/authors/Shared%20Person");
      assert.match(member.lastHtml, /Unfollow author/);
      assert.doesNotMatch(member.lastHtml, />Follow author</);
    });

    test("Follow on a category page and Alert me on a search add to the same digest", async () => {
      await member.get("/categories/cs.AI");
      assert.match(member.lastHtml, />Follow category</);
      assert.equal(
        (await member.post("/follow", { kind: "category", value: "cs.AI", next: "/categories/cs.AI" }))
          .status,
        303,
      );
      await member.get("/search?q=reinforcement+policy");
      assert.match(member.lastHtml, />Alert me</);
      const res = await member.post("/follow", {
        kind: "search",
        value: "reinforcement policy",
        next: "/search?q=reinforcement+policy",
      });
      assert.equal(res.headers.get("location"), "/search?q=reinforcement+policy");
      await member.get("/search?q=reinforcement+policy");
      assert.match(member.lastHtml, /Stop alerts/);
      // The search form's category and author filters are saved with the words, in the query language.
      await member.get("/search?q=reward&cat=cs.AI&author=Shared+Person");
      assert.ok(
        member.lastHtml.includes('name="value" value="reward cat:cs.AI author:&quot;Shared Person&quot;"'),
        "Alert me saves the filters too",
      );
      // Following what nobody wrote: its section will say there is nothing new.
      await member.post("/follow", { kind: "author", value: "Nobody Wrote This", next: "/" });
      const [sub] = await subs();
      assert.deepEqual(sub?.contents.categories, ["cs.AI"]);
      assert.deepEqual(sub?.contents.searches, [{ q: "reinforcement policy" }]);
      assert.deepEqual(sub?.contents.authors, ["Shared Person", "Nobody Wrote This"]);
    });

    test("settings list every follow with a Remove button; the preview has a section for each", async () => {
      await member.get("/settings/digests");
      const html = member.lastHtml;
      for (const value of ["Shared Person", "cs.AI", "reinforcement policy", "Nobody Wrote This"]) {
        assert.ok(html.includes(`aria-label="Remove ${value}"`), `a Remove button for ${value}`);
      }
      const has = (pattern: RegExp, what: string) => assert.ok(pattern.test(html), what);
      has(/<select id="[\w-]+-zone" name="timeZone">/, "a time zone select");
      has(/<option value="Europe\/Paris" selected="">Europe\/Paris<\/option>/, "the saved zone chosen");
      has(/<select id="[\w-]+-hour" name="hour">/, "an hour select");
      assert.ok(
        /<span class="field" data-weekly="true" hidden="">/.test(html),
        "no weekday for a daily digest",
      );
      has(/type="checkbox"[^>]*name="categories" value="cs.AI" checked=""/, "a followed category ticked");
      has(/cs.LG <span class="muted">\(4\)<\/span>/, "a category with its count");

      const [sub] = await subs();
      assert.ok(sub);
      const preview = await member.get(`/settings/digests/${sub.id}/preview?format=text`);
      const text = await preview.text();
      assert.match(text, /^Your Paperboy digest for 2026-11-26/, "papers of the period: titled by its day");
      for (const title of [
        "New by Shared Person",
        "New in cs.AI",
        "New for your search “reinforcement policy”",
        "New by Nobody Wrote This",
      ]) {
        assert.ok(text.includes(title), `a section "${title}"`);
      }
      // The daily period at 08:00 Paris time started on the 25th; the empty section says so.
      const empty = text.slice(text.indexOf("New by Nobody Wrote This"));
      assert.match(empty, /Nothing new since 25 November 2026\./);
      const html2 = await (await member.get(`/settings/digests/${sub.id}/preview`)).text();
      assert.match(html2, /Nothing new since 25 November 2026\./);
    });

    test("Remove in settings takes one follow out and keeps the others", async () => {
      await member.get("/settings/digests");
      const [sub] = await subs();
      assert.ok(sub);
      const res = await member.post("/unfollow", {
        kind: "author",
        value: "Nobody Wrote This",
        subscription: sub.id,
        next: "/settings/digests",
      });
      assert.equal(res.status, 303);
      assert.equal(res.headers.get("location"), "/settings/digests");
      const [after] = await subs();
      assert.deepEqual(after?.contents.authors, ["Shared Person"]);
      assert.deepEqual(after?.contents.categories, ["cs.AI"]);
    });

    test("the digest form takes ticked categories, the hour and zone from selects", async () => {
      const [sub] = await subs();
      assert.ok(sub);
      await member.get("/settings/digests");
      const body = new URLSearchParams({
        _csrf: member.csrf,
        frequency: "weekly",
        weekday: "3",
        hour: "18",
        timeZone: "Asia/Tokyo",
        trending: "5",
        searches: "reinforcement policy",
        authors: "Shared Person",
        recommendations: "on",
        emailEnabled: "on",
      });
      body.append("categories", "cs.AI");
      body.append("categories", "cs.LG");
      const res = await member.request(`/settings/digests/${sub.id}`, {
        method: "POST",
        body,
        headers: { "content-type": "application/x-www-form-urlencoded" },
      });
      assert.equal(res.status, 303);
      const [saved] = await subs();
      assert.deepEqual(saved?.contents.categories, ["cs.AI", "cs.LG"]);
      assert.deepEqual(saved?.schedule, {
        frequency: "weekly",
        hour: 18,
        weekday: 3,
        timeZone: "Asia/Tokyo",
      });
      await member.get("/settings/digests");
      assert.ok(
        /<span class="field" data-weekly="true">/.test(member.lastHtml),
        "the weekday shows for a weekly digest",
      );
    });

    test("a visitor's Follow leads through sign-up and back to a one-click follow", async () => {
      const visitor = ctx.browser();
      const author = await visitor.get("/authors/Shared%20Person");
      assert.equal(author.status, 200);
      const href = /<a class="btn follow" href="([^"]+)">Follow author<\/a>/.exec(visitor.lastHtml)?.[1];
      assert.equal(href, "/follow?kind=author&amp;value=Shared+Person");
      const followPage = "/follow?kind=author&value=Shared+Person";
      await visitor.get(followPage);
      const signup = /href="(\/signup\?next=[^"]+)"/.exec(visitor.lastHtml)?.[1];
      assert.equal(signup, `/signup?next=${encodeURIComponent(followPage)}`);

      await visitor.get(signup);
      assert.ok(visitor.lastHtml.includes(`name="next" value="${followPage.replace("&", "&amp;")}"`));
      const before = ctx.smtp.messages.length;
      const res = await visitor.post("/signup", {
        email: "newcomer@example.org",
        name: "Newcomer",
        password: PASSWORD,
        next: followPage,
      });
      assert.equal(res.status, 200);
      const mails = await ctx.smtp.waitFor(before + 1);
      const verified = await visitor.get(linkIn(String(mails[mails.length - 1]?.text), "/verify"));
      assert.equal(verified.status, 303);
      assert.equal(verified.headers.get("location"), followPage, "back where they clicked Follow");

      await visitor.get(followPage);
      assert.match(visitor.lastHtml, /<button class="btn" type="submit">Follow author<\/button>/);
      const done = await visitor.post("/follow", {
        kind: "author",
        value: "Shared Person",
        next: followPage,
      });
      assert.equal(done.status, 303);
      const [sub] = (await ctx.store.digests.list({ email: "newcomer@example.org" })).filter(
        (s) => s.state === "active",
      );
      assert.deepEqual(sub?.contents.authors, ["Shared Person"]);
      await visitor.get(followPage);
      assert.match(visitor.lastHtml, /already has a section/);
    });

    test("a sign-up's way back is a path on this site only", async () => {
      const visitor = ctx.browser();
      await visitor.get("/signup?next=%2F%2Fevil.example%2Fphish");
      assert.doesNotMatch(visitor.lastHtml, /evil\.example/);
      const before = ctx.smtp.messages.length;
      await visitor.post("/signup", {
        email: "wary@example.org",
        name: "Wary",
        password: PASSWORD,
        next: "//evil.example/phish",
      });
      const mails = await ctx.smtp.waitFor(before + 1);
      const verified = await visitor.get(linkIn(String(mails[mails.length - 1]?.text), "/verify"));
      assert.equal(verified.headers.get("location"), "/settings?welcome=1");
    });

    test("follows are refused without a session, a token or a verified address, and for bad input", async () => {
      const visitor = ctx.browser();
      await visitor.get("/signup");
      assert.equal((await visitor.post("/follow", { kind: "author", value: "X" })).status, 401);
      assert.equal(
        (await member.post("/follow", { kind: "author", value: "X", _csrf: "wrong" })).status,
        403,
      );
      const bad = await member.post("/follow", { kind: "planet", value: "Mars" });
      assert.equal(bad.status, 400);
      assert.match(await bad.text(), /author, a category or a search/);
      assert.equal((await member.get("/follow?kind=category&value=Not%20one")).status, 400);

      const unverified = ctx.browser();
      await signUpThroughForm(ctx, unverified, {
        email: "later@example.org",
        name: "Later",
        password: PASSWORD,
      });
      await unverified.get("/signin");
      await unverified.post("/signin", { email: "later@example.org", password: PASSWORD });
      await unverified.get("/authors/Shared%20Person");
      assert.equal((await unverified.post("/follow", { kind: "author", value: "X" })).status, 403);
      assert.deepEqual(await ctx.store.digests.list({ email: "later@example.org" }), []);
    });

    test("with the store behind the clock, For you and the digest use the newest papers and say so", async () => {
      // Past the 14 days recommendations look back over, within the sessions' 30 days.
      ctx.web.setNow("2026-12-20T12:00:00Z");
      try {
        // The member has upvoted nothing yet: For you says what is missing.
        const forYou = await member.get("/for-you");
        assert.equal(forYou.status, 200);
        assert.ok(
          member.lastHtml.includes("you have not upvoted or saved a paper"),
          member.lastHtml.slice(-1500),
        );

        const graphs = papers.filter((p) => p.topic === "graphs");
        for (const p of graphs.slice(0, 2)) {
          await member.get(`/papers/${p.id}`);
          assert.equal((await member.post(`/papers/${p.id}/vote`, {})).status, 303);
        }
        await member.get("/for-you");
        const listed = graphs.slice(2).filter((p) => member.lastHtml.includes(`/papers/${p.id}"`));
        assert.ok(
          listed.length > 0,
          "papers like the upvoted ones, from November, though it is late December",
        );

        const [sub] = await subs();
        assert.ok(sub);
        const text = await (await member.get(`/settings/digests/${sub.id}/preview?format=text`)).text();
        const title = text.split("\n")[0] ?? "";
        assert.match(title, /^Your Paperboy weekly digest: papers (of|from) \d+ November 2026/);
        assert.doesNotMatch(title, /W5\d|December/, "not titled with the period over November's papers");
        assert.match(text, /New by Shared Person\n=+\n\nNothing new since \d+ December 2026\./);
      } finally {
        ctx.web.setNow(NOW);
      }
    });
  });
}
