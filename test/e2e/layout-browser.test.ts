import assert from "node:assert/strict";
import { join } from "node:path";
import { after, before, describe, test } from "node:test";
import type { Browser, Page } from "playwright-core";
import { loadConfig } from "../../src/config/config.ts";
import { type RunningServer, startServer } from "../../src/http/server.ts";
import { fetchImages, MAX_IMAGE_BYTES } from "../../src/jobs/fetch-images.ts";
import { HttpClient } from "../../src/net/http-client.ts";
import type { Store } from "../../src/store/store.ts";
import type { FakeServer } from "../fakes/server.ts";
import { ARTIFACTS_DIR, launchBrowser } from "../helpers/browser.ts";
import { makeUser, signIn } from "../helpers/community.ts";
import { ingestDayWithPictures, startFakeCdn } from "../helpers/pictures.ts";
import { createTestDatabase, type TestDatabase } from "../helpers/stores.ts";
import { createTestApp, TEST_SECRET, type TestApp } from "../helpers/web.ts";

const DAY = "2026-05-13";
const PAPER = "2605.12500";
const MOBILE = { width: 390, height: 844 };
const DESKTOP = { width: 1280, height: 900 };

/** Sum of layout shifts the page recorded (Cumulative Layout Shift without the windowing). */
const LAYOUT_SHIFT = `new Promise((done) => {
  let total = 0;
  new PerformanceObserver((list) => {
    for (const e of list.getEntries()) total += e.value;
  }).observe({ type: "layout-shift", buffered: true });
  setTimeout(() => done(total), 300);
})`;

// The reader's daily path in chromium at phone and desktop sizes, on a real busy day of the shared data whose
// pictures the worker fetched from a loopback CDN: the header's height, where the first card starts, that the
// pictures load lazily from this site without moving anything, and screenshots of the main pages.
describe("layout in a browser", () => {
  let db: TestDatabase;
  let store: Store;
  let web: TestApp;
  let cdn: FakeServer;
  let server: RunningServer;
  let browser: Browser;
  let member: string;
  before(async () => {
    db = await createTestDatabase("sqlite");
    store = await db.open();
    cdn = await startFakeCdn();
    await ingestDayWithPictures(store, DAY, cdn.url);
    const images = { mode: "local" as const, hosts: [new URL(cdn.url).host] };
    await fetchImages(
      { store, images, http: new HttpClient({ maxBodyBytes: MAX_IMAGE_BYTES, retry: { attempts: 1 } }) },
      { limit: 1000 },
    );
    const config = loadConfig({
      PAPERBOY_DATA_DIR: "unused",
      PAPERBOY_BASE_URL: "http://paperboy.test",
      PAPERBOY_SECRET: TEST_SECRET,
      PAPERBOY_LOG_LEVEL: "silent",
      PAPERBOY_IMAGE_HOSTS: images.hosts.join(","),
    });
    web = createTestApp(store);
    web.deps.config = { ...config, dataDir: web.deps.config.dataDir };
    web.setNow(`${DAY}T18:00:00Z`);
    server = await startServer(web.deps, { port: 0, host: "127.0.0.1" });
    browser = await launchBrowser();
    member = (await signIn(store, await makeUser(store), new Date(`${DAY}T18:00:00Z`))).cookie;
  });
  after(async () => {
    await browser?.close();
    await server?.close();
    await cdn?.close();
    web.close();
    await store.close();
    await db.drop();
  });

  async function open(viewport: typeof MOBILE, path: string, signedIn = false): Promise<Page> {
    const context = await browser.newContext({ viewport });
    if (signedIn) {
      const [name, value] = member.split("=") as [string, string];
      await context.addCookies([{ name, value, url: server.url }]);
    }
    const page = await context.newPage();
    const res = await page.goto(`${server.url}${path}`);
    assert.equal(res?.status(), 200, path);
    return page;
  }

  test("on a phone the header is at most 64 px and the first card starts within 200 px", async () => {
    for (const signedIn of [false, true]) {
      const page = await open(MOBILE, "/", signedIn);
      const header = await page.locator("header.top").boundingBox();
      const card = await page.locator("li.card").first().boundingBox();
      assert.ok(header && card);
      assert.ok(header.height <= 64, `header ${header.height} px high (signed in: ${signedIn})`);
      assert.ok(card.y <= 200, `first card at ${card.y} px (signed in: ${signedIn})`);
      // Nothing is wider than the screen.
      assert.equal(await page.evaluate("document.documentElement.scrollWidth"), MOBILE.width);
      await page.context().close();
    }
  });

  test("on a phone the search filters are folded behind a button until asked for", async () => {
    const page = await open(MOBILE, "/search?q=multimodal+model");
    assert.equal(await page.locator("select[name=sort]").isVisible(), false);
    const card = await page.locator("li.card").first().boundingBox();
    assert.ok(card && card.y <= 260, `first result at ${card?.y} px`);
    await page.locator("details.more summary").click();
    assert.equal(await page.locator("select[name=sort]").isVisible(), true);
    await page.context().close();
  });

  test("thumbnails come from this site, load lazily and move nothing when they arrive", async () => {
    const page = await open(DESKTOP, `/day/${DAY}`);
    const sources = await page.$$eval(".thumb img", (imgs) => imgs.map((i) => i.getAttribute("src") ?? ""));
    assert.ok(sources.length >= 30, `${sources.length} thumbnails`);
    for (const src of sources) assert.match(src, /^\/images\/[0-9a-f]{64}\.png$/);
    // The four thumbnails the CDN answered wrongly are placeholders, not broken pictures.
    assert.equal(await page.locator(".thumb:not(:has(img))").count(), 4);
    const before = await page.locator("li.card").nth(20).boundingBox();
    // Scrolling down loads the lazy pictures below the fold.
    for (let y = 0; y < 6000; y += 700) {
      await page.mouse.wheel(0, 700);
      await page.waitForTimeout(50);
    }
    await page.waitForFunction("[...document.querySelectorAll('.thumb img')].every((i) => i.complete)");
    const loaded = await page.$$eval(
      ".thumb img",
      (imgs) => imgs.filter((i) => (i as unknown as { naturalWidth: number }).naturalWidth > 0).length,
    );
    assert.equal(loaded, sources.length);
    const after = await page.locator("li.card").nth(20).boundingBox();
    assert.deepEqual(after?.height, before?.height, "a card keeps its height when its picture arrives");
    assert.ok(((await page.evaluate(LAYOUT_SHIFT)) as number) < 0.01);
    await page.context().close();
  });

  for (const [name, viewport] of [
    ["desktop", DESKTOP],
    ["mobile", MOBILE],
  ] as const) {
    test(`screenshots (${name}): home, paper, search, author, a feed opened in the browser`, async () => {
      for (const [page_, path] of [
        ["home", "/"],
        ["paper", `/papers/${PAPER}`],
        ["search", "/search?q=multimodal+model"],
        ["author", "/authors/Haiwen%20Diao"],
        ["feed", "/feeds/daily.atom"],
      ] as const) {
        const page = await open(viewport, path);
        if (page_ === "feed") assert.equal(await page.locator("h2").first().textContent(), "This is a feed");
        // What the reader sees first (the first screen), the part a layout problem shows in.
        await page.screenshot({ path: join(ARTIFACTS_DIR, `layout-${page_}-${name}.png`) });
        await page.context().close();
      }
    });
  }
});
