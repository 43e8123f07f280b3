import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import type { Browser } from "playwright-core";
import { type RunningServer, startServer } from "../../src/http/server.ts";
import type { Store } from "../../src/store/store.ts";
import { launchBrowser, screenshot } from "../helpers/browser.ts";
import { makeUser, signIn } from "../helpers/community.ts";
import { createTestDatabase, type TestDatabase } from "../helpers/stores.ts";
import { createTestApp, type TestApp } from "../helpers/web.ts";
import { seedLibrary } from "../helpers/web-fixtures.ts";

// The pages in a real browser against a real server: the content security policy lets the page's own CSS and
// script run (and nothing else), math shows as MathML, and the small script votes without reloading.
describe("pages in a browser", () => {
  let db: TestDatabase;
  let store: Store;
  let web: TestApp;
  let server: RunningServer;
  let browser: Browser;
  before(async () => {
    db = await createTestDatabase("sqlite");
    store = await db.open();
    await seedLibrary(store);
    web = createTestApp(store);
    server = await startServer(web.deps, { port: 0, host: "127.0.0.1" });
    browser = await launchBrowser();
  });
  after(async () => {
    await browser?.close();
    await server?.close();
    web.close();
    await store.close();
    await db.drop();
  });

  test("a day page loads its CSS and script under the CSP, with rendered math", async () => {
    const page = await browser.newPage({ viewport: { width: 390, height: 844 }, colorScheme: "dark" });
    const problems: string[] = [];
    page.on("console", (m) => {
      if (m.type() === "error") problems.push(m.text());
    });
    page.on("pageerror", (e) => problems.push(e.message));
    const res = await page.goto(`${server.url}/day/2024-05-27`);
    assert.equal(res?.status(), 200);
    assert.deepEqual(problems, []);
    // The stylesheet applied: cards are laid out as flex boxes.
    const display = await page.evaluate("getComputedStyle(document.querySelector('li.card')).display");
    assert.equal(display, "flex");
    assert.ok((await page.locator("math").count()) >= 1);
    // Nothing the hostile fixture carries ran.
    assert.equal(await page.evaluate("document.querySelectorAll('main script, main img').length"), 0);
    await screenshot(page, "day-mobile-dark");
    await page.close();
  });

  test("the copy button appears once the script runs; a member votes without leaving the page", async () => {
    const member = await signIn(store, await makeUser(store));
    const context = await browser.newContext();
    const [name, value] = member.cookie.split("=") as [string, string];
    await context.addCookies([{ name, value, url: server.url }]);
    const page = await context.newPage();
    await page.goto(`${server.url}/papers/2405.10002`);
    assert.equal(await page.locator("button[data-copy]").isVisible(), true);
    const vote = page.locator("form.vote button").first();
    assert.equal(await vote.getAttribute("aria-pressed"), "false");
    const before = page.url();
    await vote.click();
    await page.waitForFunction(
      "document.querySelector('form.vote button')?.getAttribute('aria-pressed') === 'true'",
    );
    assert.equal(page.url(), before);
    assert.equal((await page.locator("form.vote [data-count]").first().textContent())?.trim(), "6");
    await screenshot(page, "paper-member");
    await context.close();
  });
});
