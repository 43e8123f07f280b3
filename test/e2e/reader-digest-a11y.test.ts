import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { after, before, describe, test } from "node:test";
import type { Browser, BrowserContext, Page } from "playwright-core";
import { launchBrowser, screenshot } from "../helpers/browser.ts";
import { type E2eSite, startE2eSite } from "../helpers/e2e-site.ts";
import { repoRoot } from "../helpers/paths.ts";

// Issue 18, items 3, 4 and 9, in a real browser on the real binary: the digest in three clicks from any page
// (a visitor and a member), Follow and "Alert me" (one click for a member, through sign-up for a visitor),
// the follows in settings and in the digest ("Nothing new since" when empty), For you saying why it is
// empty, and axe-core on the main pages signed out and in, light and dark. The steps share one browser page
// per person and run in order.

const PASSWORD = "a long enough password 1843";
const READER = { email: "grace@example.org", name: "Grace Hopper" };
const VISITOR_EMAIL = "visitor@example.org";
/** On 2024-05-28's list. */
const PAPER = "2405.17399";
/** The browser's time zone: what the forms must guess. */
const ZONE = "Europe/Paris";
const DESKTOP = { width: 1280, height: 900 };
const MOBILE = { width: 390, height: 844 };

const AXE_SOURCE = readFileSync(join(repoRoot, "node_modules", "axe-core", "axe.min.js"), "utf8");
/** WCAG 2.1 A and AA, plus the best practices (heading order is one). */
const AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "best-practice"];

interface Violation {
  id: string;
  impact: string | null;
  help: string;
  nodes: string[];
}

/** Runs axe-core in the page (injected from node_modules, never fetched) and returns its violations. */
async function axe(page: Page): Promise<Violation[]> {
  await page.addScriptTag({ content: AXE_SOURCE });
  const script = `axe.run(document, { runOnly: { type: "tag", values: ${JSON.stringify(AXE_TAGS)} } }).then(
    (r) => r.violations.map((v) => ({
      id: v.id,
      impact: v.impact,
      help: v.help,
      nodes: v.nodes.slice(0, 5).map((n) => n.target.join(" ") + " :: " + (n.failureSummary || "").slice(0, 160)),
    })),
  )`;
  return (await page.evaluate(script)) as Violation[];
}

/** What must never be: a serious or critical violation, headings out of order, too little contrast. */
function blocking(violations: readonly Violation[]): Violation[] {
  return violations.filter(
    (v) =>
      v.impact === "serious" ||
      v.impact === "critical" ||
      v.id === "heading-order" ||
      v.id === "color-contrast",
  );
}

/** Each page in light and dark: what blocks, as readable lines (empty when all is well). */
async function checkA11y(page: Page, pages: readonly (readonly [string, string])[]): Promise<string[]> {
  const failures: string[] = [];
  for (const [path, label] of pages) {
    for (const scheme of ["light", "dark"] as const) {
      await page.emulateMedia({ colorScheme: scheme });
      const response = await page.goto(path);
      assert.ok(response && response.status() < 500, `${path} answered ${response?.status()}`);
      for (const v of blocking(await axe(page))) {
        failures.push(
          `${label} ${path} (${scheme}): ${v.id} [${v.impact}] ${v.help}\n    ${v.nodes.join("\n    ")}`,
        );
      }
    }
  }
  await page.emulateMedia({ colorScheme: "light" });
  return failures;
}

const h1 = async (page: Page) => ((await page.getByRole("heading", { level: 1 }).textContent()) ?? "").trim();

describe("digests in three clicks, follows, and accessibility, in a browser", () => {
  let site: E2eSite;
  let browser: Browser;
  let visitorContext: BrowserContext;
  let readerContext: BrowserContext;
  let visitor: Page;
  let reader: Page;
  let authorPath = "";
  let authorName = "";
  /** The imported Hugging Face days carry no categories: a category page with no papers yet. */
  const categoryPath = "/categories/cs.CL";
  const problems: string[] = [];

  const newPage = async (context: BrowserContext) => {
    const page = await context.newPage();
    page.on("pageerror", (error) => problems.push(error.message));
    page.on("dialog", (dialog) => {
      problems.push(`dialog: ${dialog.message()}`);
      void dialog.dismiss();
    });
    return page;
  };

  before(async () => {
    site = await startE2eSite({ hfDays: ["2024-05-27", "2024-05-28", "2024-05-29"] });
    browser = await launchBrowser();
    // bypassCSP: the site's policy allows only its own scripts; axe is injected by the test, not the site.
    const options = { baseURL: site.url, viewport: DESKTOP, timezoneId: ZONE, bypassCSP: true };
    visitorContext = await browser.newContext(options);
    readerContext = await browser.newContext(options);
    visitor = await newPage(visitorContext);
    reader = await newPage(readerContext);
  });
  after(async () => {
    await visitorContext?.close();
    await readerContext?.close();
    await browser?.close();
    await site?.stop();
  });

  /** The newest outbox mail with this subject (read as the operator) and its first link matching `path`. */
  async function mailedLink(subject: string, path: RegExp): Promise<string> {
    const operator = await browser.newContext({ baseURL: site.url });
    try {
      const tab = await operator.newPage();
      await tab.goto("/signin");
      await tab.getByLabel("Email").fill(site.operator.email);
      await tab.getByLabel("Password").fill(site.operator.password);
      await tab.getByRole("button", { name: "Sign in" }).click();
      await tab.waitForURL((url) => !url.pathname.startsWith("/signin"));
      await tab.goto("/dev/outbox");
      await tab.getByRole("link", { name: subject }).first().click();
      const href = await tab.getByRole("link", { name: path }).first().getAttribute("href");
      assert.ok(href, `a ${subject} link`);
      return href;
    } finally {
      await operator.close();
    }
  }

  test("a visitor gets the digest in three clicks from a paper page: header, subscribe, confirm", async () => {
    await visitor.goto(`/papers/${PAPER}`);
    authorPath = (await visitor.locator('main a[href^="/authors/"]').first().getAttribute("href")) ?? "";
    authorName = ((await visitor.locator('main a[href^="/authors/"]').first().textContent()) ?? "").trim();
    assert.ok(authorPath && authorName, "the paper page links its authors");

    // Click 1: the header's entry.
    await visitor
      .getByRole("navigation", { name: "Main" })
      .getByRole("link", { name: "Get the digest" })
      .click();
    await visitor.waitForURL(/\/digests\/subscribe$/);
    assert.equal(await h1(visitor), "Get the digest");
    const form = visitor.locator('form[action="/digests/subscribe"]');
    // The form asks for the email and how often, nothing else.
    const asked = await form.locator("input:visible, select:visible, textarea:visible").count();
    assert.equal(asked, 2);
    assert.equal(await form.locator('input[name="timeZone"]').inputValue(), ZONE, "the browser's zone");

    await visitor.getByLabel("Email address").fill(VISITOR_EMAIL);
    await visitor.getByLabel("How often").selectOption("weekly");
    // Click 2: subscribe.
    await visitor.getByRole("button", { name: "Subscribe" }).click();
    assert.equal(await h1(visitor), "Check your inbox");

    // Click 3: the mailed confirmation link.
    const link = await mailedLink("Confirm your Paperboy digest subscription", /\/digests\/confirm\?token=/);
    await visitor.goto(link);
    assert.equal(await h1(visitor), "You are subscribed");
    assert.match(
      (await visitor.locator("main").textContent()) ?? "",
      /weekly digest will arrive on Mondays at 8:00 \(Europe\/Paris\)/,
    );
  });

  test("a visitor's Follow leads through sign-up and back to the author, where one click follows", async () => {
    await reader.goto(authorPath);
    await reader.getByRole("link", { name: "Follow author" }).click();
    await reader.waitForURL(/\/follow\?kind=author/);
    await screenshot(reader, "follow-visitor-desktop");
    const followUrl = new URL(reader.url());
    await reader.getByRole("link", { name: "Sign up to follow" }).click();
    await reader.waitForURL(/\/signup\?next=/);
    await reader.getByLabel("Email").fill(READER.email);
    await reader.getByLabel("Name").fill(READER.name);
    await reader.getByLabel("Password").fill(PASSWORD);
    await reader.getByRole("button", { name: "Create account" }).click();
    assert.equal(await h1(reader), "Check your inbox");

    const link = await mailedLink("Confirm your email for Paperboy", /\/verify\?token=/);
    await reader.goto(link);
    // Back where they clicked Follow, signed in: the follow is offered as one button.
    await reader.waitForURL((url) => url.pathname === "/follow" && url.search === followUrl.search);
    assert.match(await h1(reader), new RegExp(`papers by ${authorName}`));
    assert.equal(await reader.getByRole("button", { name: "Follow author" }).count(), 1);
  });

  test("a member starts the digest in two clicks from home, with the browser's time zone", async () => {
    await reader.goto("/");
    await reader
      .getByRole("navigation", { name: "Main" })
      .getByRole("link", { name: "Get the digest" })
      .click();
    await reader.waitForURL(/\/settings\/digests$/);
    assert.equal(await reader.getByRole("heading", { name: "Start your digest" }).count(), 1);
    const form = reader.locator('form[action="/settings/digests"]');
    assert.equal(
      await form.getByLabel("Time zone", { exact: true }).inputValue(),
      ZONE,
      "guessed from the browser",
    );
    assert.equal(await form.getByLabel("At", { exact: true }).inputValue(), "8");
    // Weekday only for weekly digests.
    assert.equal(await form.getByLabel("On", { exact: true }).isVisible(), false);
    await form.getByLabel("How often", { exact: true }).selectOption("weekly");
    assert.equal(await form.getByLabel("On", { exact: true }).isVisible(), true);
    await form.getByLabel("How often", { exact: true }).selectOption("daily");
    // (The categories as checkboxes with counts are tested in test/digest/follow.test.ts: these imported
    // Hugging Face days carry no categories.)
    await form.getByRole("button", { name: "Subscribe" }).click();
    await reader.waitForURL(/\/settings\/digests\?saved=1$/);
    assert.match(
      (await reader.getByRole("heading", { level: 2 }).first().textContent()) ?? "",
      /Daily digest to grace@example\.org \(active\)/,
    );
  });

  test("Follow, Follow category and Alert me are one click each and come back to the page", async () => {
    await reader.goto(authorPath);
    await reader.getByRole("button", { name: "Follow author" }).click();
    await reader.waitForURL((url) => url.pathname === new URL(authorPath, site.url).pathname);
    assert.equal(await reader.getByRole("button", { name: "Unfollow author" }).count(), 1);
    await screenshot(reader, "author-following-desktop");

    await reader.goto(categoryPath);
    await reader.getByRole("button", { name: "Follow category" }).click();
    assert.equal(await reader.getByRole("button", { name: "Unfollow category" }).count(), 1);

    await reader.goto("/search?q=matryoshka+multimodal");
    await reader.getByRole("button", { name: "Alert me" }).click();
    await reader.waitForURL(/\/search\?q=matryoshka/);
    assert.equal(await reader.getByRole("button", { name: "Stop alerts" }).count(), 1);
    await screenshot(reader, "search-alert-desktop");
    await reader.setViewportSize(MOBILE);
    await screenshot(reader, "search-alert-mobile");
    await reader.setViewportSize(DESKTOP);
  });

  test("settings list every follow with Remove; the digest preview has a section for each", async () => {
    await reader.goto("/settings/digests");
    const follows = reader.locator("ul.follows li");
    const items = (await follows.allTextContents()).map((t) => t.replace(/\s+/g, " ").trim());
    const category = "cs.CL";
    assert.deepEqual(
      items.map((t) => t.replace(/ Remove$/, "")),
      [`Author ${authorName}`, `Category ${category}`, "Search matryoshka multimodal"],
    );
    assert.equal(await reader.getByRole("button", { name: /^Remove / }).count(), 3);
    await reader.setViewportSize(DESKTOP);
    await screenshot(reader, "digest-settings-desktop");
    await reader.setViewportSize(MOBILE);
    await screenshot(reader, "digest-settings-mobile");
    await reader.setViewportSize(DESKTOP);

    await reader.getByRole("link", { name: "Preview" }).first().click();
    const text = (await reader.locator("body").textContent()) ?? "";
    for (const title of [
      `New by ${authorName}`,
      `New in ${category}`,
      "New for your search “matryoshka multimodal”",
    ]) {
      assert.ok(text.includes(title), `a section "${title}" in ${text.slice(0, 400)}`);
    }
    // The sample papers are from May 2024, the clock is today's: every followed section says so.
    assert.match(text, /Nothing new since \d+ \w+ \d{4}\./);
    assert.equal(await reader.getByText(/^Nothing new since/).count(), 3);
  });

  test("For you says what is missing, then recommends from the newest papers after an upvote", async () => {
    await reader.goto("/for-you");
    assert.match((await reader.locator("main").textContent()) ?? "", /you have not upvoted or saved a paper/);
    await reader.setViewportSize(MOBILE);
    await screenshot(reader, "for-you-empty-mobile");
    await reader.setViewportSize(DESKTOP);
    await screenshot(reader, "for-you-empty-desktop");

    await reader.goto(`/papers/${PAPER}`);
    await reader.getByRole("button", { name: /upvotes?$/ }).click();
    await reader.getByRole("button", { name: /upvotes?$/, pressed: true }).waitFor();
    await reader.goto("/for-you");
    // The library's papers are from 2024: recommendations still come, from its newest papers.
    assert.ok((await reader.locator("main ol li").count()) > 0, "recommendations though the store is behind");
    await screenshot(reader, "for-you-desktop");
    await reader.setViewportSize(MOBILE);
    await screenshot(reader, "for-you-mobile");
    await reader.setViewportSize(DESKTOP);
  });

  test("axe: no serious or critical violation, headings in order, AA contrast, signed out, light and dark", async () => {
    const pages = [
      ["/", "home"],
      [`/papers/${PAPER}`, "paper"],
      ["/search?q=matryoshka+multimodal", "search"],
      [authorPath, "author"],
      [categoryPath, "category"],
      ["/signin", "sign-in"],
      ["/signup", "sign-up"],
      ["/digests/subscribe", "subscribe"],
    ] as const;
    const failures = await checkA11y(visitor, pages);
    assert.equal(failures.length, 0, failures.join("\n"));
  });

  test("axe: the same signed in, with settings, digest settings, For you and the library", async () => {
    const pages = [
      ["/", "home"],
      [`/papers/${PAPER}`, "paper"],
      ["/search?q=matryoshka+multimodal", "search"],
      [authorPath, "author"],
      [categoryPath, "category"],
      ["/settings", "settings"],
      ["/settings/digests", "digest settings"],
      ["/for-you", "for you"],
      ["/library", "library"],
    ] as const;
    const failures = await checkA11y(reader, pages);
    assert.equal(failures.length, 0, failures.join("\n"));
    // Sign-in is a signed-out page: the visitor's run covers it.
  });

  test("no script error or dialog on any page", () => {
    assert.deepEqual(problems, []);
  });
});
