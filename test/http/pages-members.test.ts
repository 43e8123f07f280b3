import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { makeUser, signIn } from "../helpers/community.ts";
import { id } from "../helpers/factories.ts";
import { cardIds, useTestSite } from "../helpers/web-fixtures.ts";

// What signed-in members and admins see on the pages: vote buttons, the comments form, moderation, and
// papers an admin hid left out for everyone else.
describe("pages for members and admins", () => {
  const site = useTestSite();

  test("visitors see counts and a sign-in link; members get vote forms with their CSRF token", async () => {
    const visitor = await (await site.web.request("/day/2024-05-27")).text();
    assert.doesNotMatch(visitor, /action="\/papers\/2405.15738\/vote"/);
    assert.match(visitor, /<a href="\/signin">Sign in<\/a>/);

    const member = await signIn(site.store, await makeUser(site.store, { name: "Reader <b>One</b>" }));
    const html = await (
      await site.web.request("/day/2024-05-27", { headers: { Cookie: member.cookie } })
    ).text();
    assert.match(html, /<form class="vote" method="post" action="\/papers\/2405.15738\/vote" data-async/);
    assert.ok(html.includes(`name="_csrf" value="${member.csrf}"`));
    assert.match(html, /Reader &lt;b&gt;One&lt;\/b&gt;/);
    assert.match(html, /<form method="post" action="\/signout">/);
    assert.match(html, /<a href="\/library">Library<\/a>/);
  });

  test("a member's vote shows as pressed on the paper page, with the comment form", async () => {
    const member = await signIn(site.store, await makeUser(site.store));
    await site.store.community.setVote(member.user.id, id("2405.10002"), true);
    const html = await (
      await site.web.request("/papers/2405.10002", { headers: { Cookie: member.cookie } })
    ).text();
    assert.match(html, /aria-pressed="true"/);
    assert.match(html, /<span data-count[^>]*>6<\/span>/);
    assert.match(html, /<section class="comments" id="comments"/);
    assert.match(html, /action="\/papers\/2405.10002\/comments"/);
  });

  test("a hidden paper is left out of lists and its page is a 404, except for admins", async () => {
    const admin = await signIn(site.store, await makeUser(site.store, { role: "admin" }));
    await site.store.community.hidePaper(id("2405.15738"), admin.user.id, "spam");
    try {
      const list = cardIds(await (await site.web.request("/day/2024-05-27")).text());
      assert.deepEqual(list, ["2405.10001", "2405.10002"]);
      const page = await site.web.request("/papers/2405.15738");
      assert.equal(page.status, 404);
      assert.match(await page.text(), /A moderator has hidden/);
      const forAdmin = await site.web.request("/papers/2405.15738", { headers: { Cookie: admin.cookie } });
      assert.equal(forAdmin.status, 200);
      assert.match(await forAdmin.text(), /Hidden from readers/);
    } finally {
      await site.store.community.unhidePaper(id("2405.15738"));
    }
  });
});
