import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import type { Browser, BrowserContext, Page } from "playwright-core";
import { launchBrowser, screenshot } from "../helpers/browser.ts";
import { type E2eSite, startE2eSite } from "../helpers/e2e-site.ts";

// A member's whole journey through the real site, in a real browser: `paperboy import` of three recorded
// Hugging Face days, `paperboy serve` with the dev outbox for mail and a fake arXiv API for submissions.
// The steps share one browser page and run in order, each one starting where the previous one left off.

const MEMBER = {
  email: "ada@example.org",
  name: "Ada Lovelace",
  password: "analytical-engine-1843",
  newPassword: "difference-engine-1822",
};
/** On 2024-05-28's list with 21 Hugging Face upvotes. */
const ARITHMETIC = { id: "2405.17399", title: "Transformers Can Do Arithmetic with the Right Embeddings" };
/** Also on 2024-05-28, 14 upvotes: found by search, saved untagged; upvoted and un-saved without JavaScript. */
const MATRYOSHKA = { id: "2405.17430", title: "Matryoshka Multimodal Models" };
/** A recorded arXiv API answer (../shared/data/arxiv-api). */
const SUBMITTED = { id: "1605.08386", title: "Heat-bath random walks with Markov bases" };
const HOSTILE = "<script>alert('comment ran')</script>";

/** The upvote button's accessible name ends with "N upvotes"; its pressed state says whether the member voted. */
const upvoteButton = (page: Page) => page.getByRole("button", { name: /upvotes?$/ });

async function upvoteCount(page: Page): Promise<number> {
  const text = await page.locator("form.vote [data-count]").textContent();
  return Number(text?.trim());
}

describe("a member's journey in a browser", () => {
  let site: E2eSite;
  let browser: Browser;
  let context: BrowserContext;
  let page: Page;
  /** Alert, confirm or prompt dialogs opened by any page: none may ever appear. */
  const dialogs: string[] = [];
  /** Script errors, console errors other than pages answered with an error status, and failed subresources. */
  const problems: string[] = [];

  before(async () => {
    site = await startE2eSite({ hfDays: ["2024-05-27", "2024-05-28", "2024-05-29"] });
    browser = await launchBrowser();
    context = await browser.newContext({ baseURL: site.url });
    page = await context.newPage();
    page.on("dialog", (dialog) => {
      dialogs.push(dialog.message());
      void dialog.dismiss();
    });
    page.on("pageerror", (error) => problems.push(error.message));
    page.on("console", (message) => {
      // Chromium logs every 4xx page (a refused form is one) as "Failed to load resource"; those are
      // expected, and a failed stylesheet or script is caught by the response listener below.
      if (message.type() === "error" && !message.text().startsWith("Failed to load resource")) {
        problems.push(message.text());
      }
    });
    page.on("response", (response) => {
      if (response.status() >= 400 && response.request().resourceType() !== "document") {
        problems.push(`${response.status()} ${response.url()}`);
      }
    });
  });
  after(async () => {
    await context?.close();
    await browser?.close();
    await site?.stop();
  });

  test("home shows the latest imported day; the previous day and a paper open from it", async () => {
    const home = await page.goto("/");
    assert.equal(home?.status(), 200);
    assert.match((await page.getByRole("heading", { level: 1 }).textContent()) ?? "", /29 May 2024/);
    assert.equal(await page.getByRole("link", { name: "Phased Consistency Model" }).count(), 1);
    await screenshot(page, "member-01-home");

    await page.getByRole("link", { name: /Previous day/ }).click();
    await page.waitForURL(/\/day\/2024-05-28$/);
    assert.match((await page.getByRole("heading", { level: 1 }).textContent()) ?? "", /28 May 2024/);
    await screenshot(page, "member-02-previous-day");

    await page.getByRole("link", { name: ARITHMETIC.title }).click();
    await page.waitForURL(new RegExp(`/papers/${ARITHMETIC.id}$`));
    assert.equal(await page.getByRole("heading", { level: 1 }).textContent(), ARITHMETIC.title);
    // Visitors see the count and are asked to sign in to vote.
    assert.equal(await page.getByRole("link", { name: /sign in to upvote/ }).count(), 1);
    await screenshot(page, "member-03-paper-visitor");
  });

  test("the header's search box finds a paper by its words", async () => {
    await page.getByRole("searchbox", { name: "Search papers" }).fill("matryoshka multimodal");
    await page.keyboard.press("Enter");
    await page.waitForURL(/\/search\?q=matryoshka/);
    assert.equal(await page.getByRole("link", { name: MATRYOSHKA.title }).count(), 1);
    await screenshot(page, "member-04-search");
  });

  /** The newest outbox mail with this subject, as the operator (an admin, the only one who may) sees it. */
  async function mailedLink(subject: string, path: RegExp, shot?: string): Promise<string> {
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
      if (shot) await screenshot(tab, shot);
      const href = await tab.getByRole("link", { name: path }).first().getAttribute("href");
      assert.ok(href, `a ${subject} link`);
      return href;
    } finally {
      await operator.close();
    }
  }

  test("signing up mails a link (read here from the operator's dev outbox); following it confirms the email and signs in", async () => {
    await page.goto(`/papers/${ARITHMETIC.id}`);
    await page.getByRole("link", { name: /sign in to upvote/ }).click();
    await page.waitForURL(/\/signin\?next=/);
    await page.getByRole("link", { name: "Create an account" }).click();
    await page.getByLabel("Email").fill(MEMBER.email);
    await page.getByLabel("Name").fill(MEMBER.name);
    await page.getByLabel("Password").fill(MEMBER.password);
    await screenshot(page, "member-05-signup");
    await page.getByRole("button", { name: "Create account" }).click();
    assert.equal(await page.getByRole("heading", { level: 1 }).textContent(), "Check your inbox");
    assert.equal(await page.getByText(MEMBER.email).count(), 1);
    // The outbox is the operator's: a visitor (even on this machine) is refused.
    assert.equal((await page.goto("/dev/outbox"))?.status(), 403);

    // Until the email is confirmed, a member who signs in may not submit.
    await page.goto("/signin");
    await page.getByLabel("Email").fill(MEMBER.email);
    await page.getByLabel("Password").fill(MEMBER.password);
    await page.getByRole("button", { name: "Sign in" }).click();
    await page.waitForURL(/\/settings$/);
    assert.equal(await page.getByText(`we sent a link to ${MEMBER.email}`).count(), 1);
    await page.goto("/submit");
    assert.equal(await page.getByText("Verify your email address to submit papers").count(), 1);
    assert.equal(await page.getByLabel("arXiv id or URL").count(), 0);

    const link = await mailedLink(
      "Confirm your email for Paperboy",
      /\/verify\?token=/,
      "member-06-outbox-mail",
    );
    await page.goto(link);
    await page.waitForURL(/\/settings\?welcome=1$/);
    assert.equal(await page.getByText("Welcome to Paperboy").count(), 1);
    assert.equal(await page.getByText(`we sent a link to ${MEMBER.email}`).count(), 0);
    await screenshot(page, "member-07-verified");
  });

  test("signed in, the header shows the member and a sign-out button", async () => {
    await page.goto("/");
    const nav = page.getByRole("navigation", { name: "Main" });
    assert.equal(await nav.getByRole("link", { name: MEMBER.name }).count(), 1);
    assert.equal(await nav.getByRole("button", { name: "Sign out" }).count(), 1);
    assert.equal(await nav.getByRole("link", { name: "Library" }).count(), 1);
    assert.equal(await nav.getByRole("link", { name: "Sign in" }).count(), 0);
    await screenshot(page, "member-08-signed-in");
  });

  test("an upvote raises the count at once and stays after a reload", async () => {
    await page.goto(`/papers/${ARITHMETIC.id}`);
    const before = await upvoteCount(page);
    assert.equal(before, 21);
    assert.equal(await upvoteButton(page).getAttribute("aria-pressed"), "false");
    await upvoteButton(page).click();
    await page.getByRole("button", { name: /upvotes?$/, pressed: true }).waitFor();
    assert.equal(await upvoteCount(page), before + 1);
    await screenshot(page, "member-09-upvoted");

    await page.reload();
    assert.equal(await upvoteCount(page), before + 1);
    assert.equal(await upvoteButton(page).getAttribute("aria-pressed"), "true");
  });

  test("a comment renders its Markdown and shows a <script> as text, never running it", async () => {
    const body = `Nice trick: **digit positions** as \`embeddings\`.\n\n${HOSTILE}`;
    await page.getByRole("textbox", { name: "Your comment" }).fill(body);
    await page.getByRole("button", { name: "Comment", exact: true }).click();
    await page.waitForURL(/#comment-[0-9a-f-]+$/);
    const comment = page.locator("li.comment").filter({ hasText: "Nice trick" }).first();
    const text = comment.locator(".comment-body").first();
    assert.equal(await text.locator("strong").textContent(), "digit positions");
    assert.equal(await text.locator("code").textContent(), "embeddings");
    // The script is on the page as the text that was typed, not as an element.
    assert.equal(await text.getByText(HOSTILE).count(), 1);
    assert.equal(await page.evaluate("document.querySelectorAll('main script').length"), 0);
    assert.equal(await page.getByRole("heading", { name: "1 comment" }).count(), 1);
    await screenshot(page, "member-10-comment");
  });

  test("a reply joins the comment's thread", async () => {
    const comment = page.locator("li.comment").filter({ hasText: "Nice trick" }).first();
    await comment.locator("summary", { hasText: "Reply" }).click();
    await comment.getByRole("textbox", { name: "Your reply" }).fill("Replying to *myself*, with emphasis.");
    await comment.getByRole("button", { name: "Reply", exact: true }).click();
    await page.waitForURL(/#comment-[0-9a-f-]+$/);
    const thread = page.locator("li.comment").filter({ hasText: "Nice trick" }).first();
    const reply = thread.locator("ol.comment-list li.comment").filter({ hasText: "Replying to" });
    assert.equal(await reply.count(), 1);
    assert.equal(await reply.locator(".comment-body em").textContent(), "myself");
    assert.equal(await page.getByRole("heading", { name: "2 comments" }).count(), 1);
    await screenshot(page, "member-11-reply");
  });

  test("papers saved to the library get a tag, and the library filters by it", async () => {
    await page.goto(`/papers/${ARITHMETIC.id}`);
    await page.getByRole("button", { name: "Save", exact: true }).click();
    await page.getByRole("button", { name: "Save", pressed: true }).waitFor();
    await page.goto(`/papers/${MATRYOSHKA.id}`);
    await page.getByRole("button", { name: "Save", exact: true }).click();
    await page.getByRole("button", { name: "Save", pressed: true }).waitFor();

    await page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Library" }).click();
    await page.waitForURL(/\/library$/);
    const items = page.locator("ol.library-items > li");
    assert.equal(await items.count(), 2);
    const arithmetic = items.filter({ hasText: ARITHMETIC.title });
    await arithmetic.getByLabel("Tags").fill("arithmetic, to-read");
    await arithmetic.getByRole("button", { name: "Save tags" }).click();
    await page.waitForURL(/\/library$/);
    await screenshot(page, "member-12-library");

    const tags = page.getByRole("navigation", { name: "Tags" });
    await tags.getByRole("link", { name: "arithmetic (1)" }).click();
    await page.waitForURL(/\/library\?tag=arithmetic$/);
    assert.equal(await page.getByRole("heading", { level: 1 }).textContent(), "Your library: arithmetic");
    assert.equal(await items.count(), 1);
    assert.equal(await items.getByRole("link", { name: ARITHMETIC.title }).count(), 1);
    await screenshot(page, "member-13-library-by-tag");

    // The paper page shows the tags it carries, linking back to the filtered library.
    await page.goto(`/papers/${ARITHMETIC.id}`);
    assert.equal(await page.getByRole("link", { name: "to-read" }).count(), 1);
  });

  test("a paper submitted by arXiv id is fetched and joins today's list", async () => {
    await page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Submit" }).click();
    await page.getByLabel("arXiv id or URL").fill(SUBMITTED.id);
    await page.getByRole("button", { name: "Submit", exact: true }).click();
    const added = page.getByRole("status").filter({ hasText: "Added" });
    assert.equal(await added.getByRole("link", { name: SUBMITTED.title }).count(), 1);
    await screenshot(page, "member-14-submitted");

    await page.goto("/");
    const today = new Date().toISOString().slice(0, 10);
    assert.equal(await page.getByRole("link", { name: SUBMITTED.title }).count(), 1);
    assert.equal(await page.getByText(`Submitted by ${MEMBER.name}`).count(), 1);
    // The home page now shows today (the newest day with a list), not the imported days.
    assert.doesNotMatch((await page.getByRole("heading", { level: 1 }).textContent()) ?? "", /2024/);
    assert.equal(await page.locator(`input[name=date][value="${today}"]`).count(), 1);
    await screenshot(page, "member-15-today");
  });

  test("a bad id gets a clear message, and the text stays in the form", async () => {
    await page.goto("/submit");
    await page.getByLabel("arXiv id or URL").fill("not a paper");
    await page.getByRole("button", { name: "Submit", exact: true }).click();
    const alert = page.getByRole("alert");
    assert.match((await alert.textContent()) ?? "", /Enter an id like 2405\.15738 or an arXiv URL/);
    assert.equal(await page.getByLabel("arXiv id or URL").inputValue(), "not a paper");
    await screenshot(page, "member-16-bad-id");
  });

  test("signing out returns the header to a visitor's", async () => {
    await page.getByRole("navigation", { name: "Main" }).getByRole("button", { name: "Sign out" }).click();
    const nav = page.getByRole("navigation", { name: "Main" });
    await nav.getByRole("link", { name: "Sign in" }).waitFor();
    assert.equal(await nav.getByRole("link", { name: MEMBER.name }).count(), 0);
    await page.goto("/library");
    assert.match(page.url(), /\/signin\?next=%2Flibrary$/);
    await screenshot(page, "member-17-signed-out");
  });

  test("a forgotten password is replaced through the mailed reset link", async () => {
    await page.goto("/signin");
    await page.getByRole("link", { name: "Forgot your password?" }).click();
    await page.getByLabel("Email").fill(MEMBER.email);
    await page.getByRole("button", { name: "Send me a link" }).click();
    assert.match((await page.getByRole("status").textContent()) ?? "", /a link to reset its password/);

    await page.goto(await mailedLink("Reset your Paperboy password", /\/reset\?token=/));
    await page.getByLabel("New password").fill(MEMBER.newPassword);
    await screenshot(page, "member-18-new-password");
    await page.getByRole("button", { name: "Set password" }).click();
    await page.waitForURL(/\/signin\?done=reset$/);
    assert.match((await page.getByRole("status").textContent()) ?? "", /Your password was changed/);

    // The old password no longer opens the account.
    await page.getByLabel("Email").fill(MEMBER.email);
    await page.getByLabel("Password").fill(MEMBER.password);
    await page.getByRole("button", { name: "Sign in" }).click();
    assert.equal(await page.getByRole("alert").textContent(), "The email or password is not right.");
  });

  test("with JavaScript off, signing in and upvoting work as plain forms", async () => {
    const plain = await browser.newContext({ baseURL: site.url, javaScriptEnabled: false });
    try {
      const tab = await plain.newPage();
      await tab.goto(`/signin?next=${encodeURIComponent(`/papers/${MATRYOSHKA.id}`)}`);
      await tab.getByLabel("Email").fill(MEMBER.email);
      await tab.getByLabel("Password").fill(MEMBER.newPassword);
      await tab.getByRole("button", { name: "Sign in" }).click();
      await tab.waitForURL(new RegExp(`/papers/${MATRYOSHKA.id}$`));
      const before = await upvoteCount(tab);
      assert.equal(before, 14);
      const posted = tab.waitForRequest((r) => r.method() === "POST" && r.url().endsWith("/vote"));
      await upvoteButton(tab).click();
      await posted;
      await tab.waitForURL(new RegExp(`/papers/${MATRYOSHKA.id}$`));
      await tab.getByRole("button", { name: /upvotes?$/, pressed: true }).waitFor();
      assert.equal(await upvoteCount(tab), before + 1);
      await screenshot(tab, "member-19-no-js-upvote");

      // Saved earlier with JavaScript; the plain form takes it out of the library again.
      await tab.getByRole("button", { name: "Saved", pressed: true }).click();
      await tab.waitForURL(new RegExp(`/papers/${MATRYOSHKA.id}$`));
      await tab.getByRole("button", { name: "Save", exact: true, pressed: false }).waitFor();
    } finally {
      await plain.close();
    }
  });

  test("nothing ran that should not have, and no unplanned request reached the fake arXiv", () => {
    assert.deepEqual(dialogs, []);
    assert.deepEqual(problems, []);
    assert.deepEqual(site.arxiv.unplanned, []);
  });
});
