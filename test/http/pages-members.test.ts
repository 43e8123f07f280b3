import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import type { Store } from "../../src/store/store.ts";
import { makeUser, signIn } from "../helpers/community.ts";
import { id } from "../helpers/factories.ts";
import { createTestDatabase, type TestDatabase } from "../helpers/stores.ts";
import { createTestApp, type TestApp } from "../helpers/web.ts";
import { cardIds, seedLibrary } from "../helpers/web-fixtures.ts";

// What signed-in members and admins see on the pages: vote buttons, the comments form, moderation, and
// papers an admin hid left out for everyone else.
describe("pages for members and admins", () => {
  let db: TestDatabase;
  let store: Store;
  let web: TestApp;
  before(async () => {
    db = await createTestDatabase("sqlite");
    store = await db.open();
    await seedLibrary(store);
    web = createTestApp(store);
  });
  after(async () => {
    web.close();
    await store.close();
    await db.drop();
  });

  test("visitors see counts and a sign-in link; members get vote forms with their CSRF token", async () => {
    const visitor = await (await web.request("/day/2024-05-27")).text();
    assert.doesNotMatch(visitor, /action="\/papers\/2405.15738\/vote"/);
    assert.match(visitor, /<a href="\/signin">Sign in<\/a>/);

    const member = await signIn(store, await makeUser(store, { name: "Reader <b>One</b>" }));
    const html = await (await web.request("/day/2024-05-27", { headers: { Cookie: member.cookie } })).text();
    assert.match(html, /<form class="vote" method="post" action="\/papers\/2405.15738\/vote" data-async/);
    assert.ok(html.includes(`name="_csrf" value="${member.csrf}"`));
    assert.match(html, /Reader &lt;b&gt;One&lt;\/b&gt;/);
    assert.match(html, /<form method="post" action="\/signout">/);
    assert.match(html, /<a href="\/library">Library<\/a>/);
  });

  test("a member's vote shows as pressed on the paper page, with the comment form", async () => {
    const member = await signIn(store, await makeUser(store));
    await store.community.setVote(member.user.id, id("2405.10002"), true);
    const html = await (
      await web.request("/papers/2405.10002", { headers: { Cookie: member.cookie } })
    ).text();
    assert.match(html, /aria-pressed="true"/);
    assert.match(html, /<span data-count[^>]*>6<\/span>/);
    assert.match(html, /<section class="comments" id="comments"/);
    assert.match(html, /action="\/papers\/2405.10002\/comments"/);
  });

  test("a hidden paper is left out of lists and its page is a 404, except for admins", async () => {
    const admin = await signIn(store, await makeUser(store, { role: "admin" }));
    await store.community.hidePaper(id("2405.15738"), admin.user.id, "spam");
    try {
      const list = cardIds(await (await web.request("/day/2024-05-27")).text());
      assert.deepEqual(list, ["2405.10001", "2405.10002"]);
      const page = await web.request("/papers/2405.15738");
      assert.equal(page.status, 404);
      assert.match(await page.text(), /A moderator has hidden/);
      const forAdmin = await web.request("/papers/2405.15738", { headers: { Cookie: admin.cookie } });
      assert.equal(forAdmin.status, 200);
      assert.match(await forAdmin.text(), /Hidden from readers/);
    } finally {
      await store.community.unhidePaper(id("2405.15738"));
    }
  });
});
