import type { Role, User } from "../../src/core/accounts.ts";
import type { ArxivId } from "../../src/core/index.ts";
import type { Store } from "../../src/store/store.ts";
import { buildArxivRecord, buildDailyRecord, day, id } from "./factories.ts";

let counter = 0;

/** A member (or admin) in the store, verified unless asked otherwise. */
export async function makeUser(
  store: Store,
  options: { role?: Role; verified?: boolean; name?: string } = {},
): Promise<User> {
  counter++;
  return store.accounts.createUser({
    email: `member${counter}-${process.pid}@example.org`,
    name: options.name ?? `Member ${counter}`,
    password: "correct horse battery staple",
    role: options.role ?? "member",
    verified: options.verified ?? true,
  });
}

/** A signed-in browser: its cookie header and the CSRF token its forms carry. */
export interface Browser {
  user: User;
  cookie: string;
  csrf: string;
}

/** The clock `createTestApp` starts at; sessions are made at that time so their expiry fits the app's clock. */
export const TEST_APP_NOW = new Date("2024-06-01T12:00:00Z");

export async function signIn(store: Store, user: User, now: Date = TEST_APP_NOW): Promise<Browser> {
  const { token, session } = await store.accounts.createSession(user.id, now);
  return { user, cookie: `pb_session=${token}`, csrf: session.csrfToken };
}

/** A form POST as the browser sends it (CSRF token included unless `csrf: false`). */
export function formPost(
  browser: Browser | null,
  fields: Record<string, string>,
  options: { csrf?: boolean; json?: boolean; referer?: string } = {},
): RequestInit {
  const body = new URLSearchParams(fields);
  if (browser && options.csrf !== false) body.set("_csrf", browser.csrf);
  const headers: Record<string, string> = { "content-type": "application/x-www-form-urlencoded" };
  if (browser) headers.cookie = browser.cookie;
  if (options.json) headers.accept = "application/json";
  if (options.referer) headers.referer = options.referer;
  return { method: "POST", body, headers };
}

export function getAs(browser: Browser | null): RequestInit {
  return browser ? { headers: { cookie: browser.cookie } } : {};
}

/** Stores papers by id (with distinct titles), optionally with a Hugging Face daily entry and its upvotes. */
export async function seedPapers(
  store: Store,
  papers: readonly { id: string; hfUpvotes?: number; day?: string }[],
): Promise<ArxivId[]> {
  const ids = papers.map((p) => id(p.id));
  await store.ingest({
    papers: papers.map((p, i) =>
      buildArxivRecord({ id: ids[i] as ArxivId, title: `Paper ${p.id}`, abstract: `About ${p.id}.` }),
    ),
    daily: papers
      .filter((p) => p.hfUpvotes !== undefined)
      .map((p) =>
        buildDailyRecord({ paperId: id(p.id), upvotes: p.hfUpvotes ?? 0, date: day(p.day ?? "2024-05-27") }),
      ),
  });
  return ids;
}
