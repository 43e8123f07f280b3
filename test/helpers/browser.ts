import { mkdirSync } from "node:fs";
import { join } from "node:path";
import { type Browser, chromium, type Page } from "playwright-core";

/** Debian's chromium (installed by .ci/run); playwright never downloads a browser here. */
export const CHROMIUM_PATH = process.env.PAPERBOY_CHROMIUM ?? "/usr/bin/chromium";

/** Where screenshots go: kept as CI artifacts, never committed (.gitignore). */
export const ARTIFACTS_DIR = join(import.meta.dirname, "..", "..", "test-artifacts", "e2e");

/**
 * Starts headless chromium the way this machine allows: no sandbox (root), and no background networking,
 * which would otherwise try to reach Google's hosts through a closed network at every start.
 */
export async function launchBrowser(): Promise<Browser> {
  return chromium.launch({
    executablePath: CHROMIUM_PATH,
    headless: true,
    args: [
      "--no-sandbox",
      "--disable-gpu",
      "--disable-quic",
      "--no-first-run",
      "--disable-background-networking",
      "--disable-component-update",
      "--disable-sync",
      "--disable-dev-shm-usage",
    ],
  });
}

/** Saves a full-page screenshot named after the step, for a person to look at when a run fails. */
export async function screenshot(page: Page, name: string): Promise<string> {
  mkdirSync(ARTIFACTS_DIR, { recursive: true });
  const path = join(ARTIFACTS_DIR, `${name.replace(/[^a-z0-9-]+/gi, "-")}.png`);
  await page.screenshot({ path, fullPage: true });
  return path;
}
