import { after, before } from "node:test";
import type { AppDeps } from "../../src/http/env.ts";
import { silentLogger } from "../../src/log.ts";
import { createSmtpMailer } from "../../src/mail/smtp.ts";
import type { Store } from "../../src/store/store.ts";
import { type SmtpReceiver, startSmtpReceiver } from "./smtp-receiver.ts";
import { createTestDatabase, type StoreKind, type TestDatabase } from "./stores.ts";
import { createTestApp, type TestApp } from "./web.ts";
import { WebClient } from "./web-client.ts";

export const BASE_URL = "http://paperboy.test";

/** The web app on a real store, sending mail over SMTP to a real receiver on loopback. */
export interface AccountsWeb {
  store: Store;
  db: TestDatabase;
  web: TestApp;
  smtp: SmtpReceiver;
  /** A fresh browser (own cookies) at client address `ip`. */
  browser(ip?: string): WebClient;
}

/** Registers before/after hooks that build and tear down an AccountsWeb; read it inside tests. */
export function useAccountsWeb(
  kind: StoreKind,
  overrides: (web: AccountsWeb) => Partial<AppDeps> = () => ({}),
) {
  const ctx = {} as AccountsWeb;
  let ips = 0;
  before(async () => {
    ctx.db = await createTestDatabase(kind);
    ctx.store = await ctx.db.open();
    ctx.smtp = await startSmtpReceiver();
    const mailer = createSmtpMailer({
      url: ctx.smtp.url,
      from: "Paperboy <paperboy@paperboy.test>",
      logger: silentLogger,
    });
    ctx.web = createTestApp(ctx.store, { mailer, ...overrides(ctx) });
    ctx.browser = (ip) => new WebClient(ctx.web.app, BASE_URL, ip ?? `198.51.100.${++ips % 250}`);
  });
  after(async () => {
    await ctx.web?.deps.mailer.close();
    ctx.web?.close();
    await ctx.smtp?.close();
    await ctx.store?.close();
    await ctx.db?.drop();
  });
  return ctx;
}

/** The first link to this site in a mail's text part, as a path. */
export function linkIn(text: string | undefined, path: "/verify" | "/reset"): string {
  const match = new RegExp(`${BASE_URL}${path}\\?token=[\\w%-]+`).exec(text ?? "");
  if (!match) throw new Error(`no ${path} link in:\n${text}`);
  return match[0].slice(BASE_URL.length);
}

export interface SignUpFields {
  email: string;
  name: string;
  password: string;
}

/**
 * Signs up through the form, as a reader does: the page says "check your inbox" (the same for a taken
 * address), and the account's mail arrives. Returns that mail's text.
 */
export async function signUpThroughForm(
  ctx: AccountsWeb,
  browser: WebClient,
  fields: SignUpFields,
): Promise<string> {
  const before = ctx.smtp.messages.length;
  await browser.get("/signup");
  const res = await browser.post("/signup", { ...fields });
  if (res.status !== 200 || !/Check your inbox/.test(browser.lastHtml)) {
    throw new Error(`sign-up answered ${res.status}: ${browser.lastHtml.slice(0, 300)}`);
  }
  const mails = await ctx.smtp.waitFor(before + 1);
  return String(mails[mails.length - 1]?.text ?? "");
}

/** Signs up and opens the mailed link in the same browser: verified and signed in. */
export async function signUpVerified(
  ctx: AccountsWeb,
  browser: WebClient,
  fields: SignUpFields,
): Promise<void> {
  const text = await signUpThroughForm(ctx, browser, fields);
  const res = await browser.get(linkIn(text, "/verify"));
  if (res.status !== 303) throw new Error(`the verification link answered ${res.status}`);
}

/** Signs up and signs in with the password without opening the link: signed in, address unconfirmed. */
export async function signUpUnverified(
  ctx: AccountsWeb,
  browser: WebClient,
  fields: SignUpFields,
): Promise<void> {
  await signUpThroughForm(ctx, browser, fields);
  await browser.get("/signin");
  const res = await browser.post("/signin", { email: fields.email, password: fields.password });
  if (res.status !== 303) throw new Error(`sign-in answered ${res.status}`);
}
