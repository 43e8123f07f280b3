/**
 * Shared by the security review's regression tests (test/security/findings-*.test.ts): apps configured the
 * way an operator configures them through `PAPERBOY_*` security settings, a browser reached through a
 * reverse proxy, and small readers of what the site answers and mails.
 */
import type { Hono } from "hono";
import { loadConfig } from "../../src/config/config.ts";
import type { AppDeps, AppEnv } from "../../src/http/env.ts";
import type { Store } from "../../src/store/store.ts";
import { BASE_URL } from "./accounts-web.ts";
import { createTestApp, type TestApp } from "./web.ts";
import { WebClient } from "./web-client.ts";

/** A passphrase the password rules accept (long, and no common password). */
export const PASSPHRASE = "violet harbour lantern";
export const NEW_PASSPHRASE = "ticket marble orchard fog";

/** The passwords the review's finding 6 named: long enough for the old rule, and among the most common. */
export const COMMON_PASSWORDS = ["password123", "qwertyuiop", "Password2024!"] as const;

/** The message the password rules give for a common password. */
export const COMMON_PASSWORD_MESSAGE = /That password is one of the most common ones and easy to guess/;

/**
 * Another app on `base`'s store and mailer, whose security settings come from `env` as `loadConfig` reads
 * them (PAPERBOY_TRUSTED_PROXIES, PAPERBOY_DEV_OUTBOX, PAPERBOY_METRICS_TOKEN...). Close it in `after`.
 */
export function appWithSecurity(
  base: TestApp,
  store: Store,
  env: Record<string, string>,
  overrides: Partial<AppDeps> = {},
): TestApp {
  const config = base.deps.config;
  const security = loadConfig({ PAPERBOY_DB: ":memory:", ...env }).security;
  return createTestApp(store, {
    mailer: base.deps.mailer,
    config: { ...config, security },
    ...overrides,
  });
}

/**
 * A browser whose requests reach the app through a reverse proxy: the socket address is the proxy's, and the
 * proxy sends `X-Forwarded-For` (null: none). A client-written header is modelled by putting it in front.
 */
export class ProxiedClient extends WebClient {
  constructor(
    app: Hono<AppEnv>,
    proxyAddress: string,
    public forwardedFor: string | null,
  ) {
    super(app, BASE_URL, proxyAddress);
  }

  override request(path: string, init: RequestInit = {}): Promise<Response> {
    const headers = new Headers(init.headers);
    if (this.forwardedFor !== null) headers.set("x-forwarded-for", this.forwardedFor);
    return super.request(path, { ...init, headers });
  }
}

/** Loads the sign-in form and posts it `times` times with a wrong password; the statuses, in order. */
export async function wrongPasswords(browser: WebClient, email: string, times: number): Promise<number[]> {
  await browser.get("/signin");
  const statuses: number[] = [];
  for (let i = 0; i < times; i++) {
    statuses.push((await browser.post("/signin", { email, password: `wrong guess number ${i}` })).status);
  }
  return statuses;
}

/** Signs in through the form; the status (303 when it worked). */
export async function signInWith(browser: WebClient, email: string, password: string): Promise<number> {
  await browser.get("/signin");
  return (await browser.post("/signin", { email, password })).status;
}

/** The mailed one-time sign-in link in a mail's text, as a path (`/signin/link?token=...`). */
export function signinLinkIn(text: string | undefined): string {
  const match = new RegExp(`${BASE_URL}/signin/link\\?token=[\\w%-]+`).exec(text ?? "");
  if (!match) throw new Error(`no /signin/link link in:\n${text}`);
  return match[0].slice(BASE_URL.length);
}

/** Gives a mail sent after the answer (setImmediate) time to arrive, so a count of mails can be trusted. */
export function settle(ms = 150): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
