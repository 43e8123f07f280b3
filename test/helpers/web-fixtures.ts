import { after, before } from "node:test";
import type { Store } from "../../src/store/store.ts";
import { buildArxivRecord, buildDailyRecord, buildHfRecord, cats, day, id, ts } from "./factories.ts";
import { createTestDatabase, type StoreKind, type TestDatabase } from "./stores.ts";
import { createTestApp, type TestApp } from "./web.ts";

/** Text a page must never let through as markup. */
export const HOSTILE = `<script>alert("x")</script><img src=x onerror=alert(1)>`;

/**
 * A small library for the page tests: three listed days (2024-05-24, -27, -28), a paper whose title, abstract
 * and author carry markup, LaTeX in titles and abstracts, an old-style id, a paper with two versions that was
 * never on a daily list.
 */
export async function seedLibrary(store: Store): Promise<void> {
  await store.ingest({
    papers: [
      buildArxivRecord({
        abstract:
          "We study $O(n^2)$ visual tokens and $$\\sum_{i=1}^{n} x_i$$ with a bad formula $\\frac{a}{b$ here.",
      }),
      buildHfRecord({ observedAt: ts("2024-05-27T00:00:00Z") }),
      buildArxivRecord({
        id: id("2405.10001"),
        title: `Hostile ${HOSTILE} title with $x^2$`,
        abstract: `An abstract with ${HOSTILE} and $\\href{javascript:alert(1)}{click}$ inside.`,
        authors: [`Mallory ${HOSTILE}`, "Alice Example"],
        categories: cats("cs.LG"),
      }),
      buildArxivRecord({
        id: id("2405.10002"),
        title: "Scaling Laws for Tiny Models",
        abstract: "Small models, large data.",
        authors: ["Alice Example", "Bob Builder", "Carol Chen", "Dan Dong", "Eve Evans", "Frank Fu"],
        categories: cats("cs.CL"),
      }),
      buildArxivRecord({
        id: id("2405.20001"),
        title: "Diffusion on the Next Day",
        abstract: "A paper of the next day.",
        authors: ["Bob Builder"],
        categories: cats("cs.CV"),
        versions: [{ version: 1, date: ts("2024-05-27T10:00:00Z") }],
      }),
      buildArxivRecord({
        id: id("hep-th/9901001"),
        title: "An Old String Theory Paper",
        abstract: "Strings, before 2007.",
        authors: ["Old Timer"],
        categories: cats("hep-th"),
        versions: [{ version: 1, date: ts("1999-01-04T00:00:00Z") }],
      }),
      buildArxivRecord({
        id: id("2405.30001"),
        title: "Never Featured",
        abstract: "Only on arXiv.",
        authors: ["Quiet Person"],
        categories: cats("stat.ML"),
        versions: [
          { version: 1, date: ts("2024-05-20T00:00:00Z") },
          { version: 2, date: ts("2024-05-25T00:00:00Z") },
        ],
      }),
    ],
    daily: [
      buildDailyRecord({ date: day("2024-05-27"), paperId: id("2405.15738"), upvotes: 10, numComments: 2 }),
      buildDailyRecord({
        date: day("2024-05-27"),
        paperId: id("2405.10001"),
        upvotes: 30,
        numComments: 0,
        submitter: { name: "mallory", fullname: HOSTILE },
      }),
      buildDailyRecord({ date: day("2024-05-27"), paperId: id("2405.10002"), upvotes: 5, numComments: 1 }),
      buildDailyRecord({ date: day("2024-05-28"), paperId: id("2405.20001"), upvotes: 7, numComments: 0 }),
      buildDailyRecord({
        date: day("2024-05-24"),
        paperId: id("hep-th/9901001"),
        upvotes: 3,
        numComments: 0,
      }),
    ],
  });
}

/** The paper ids of a page's cards, in order (cards link their titles to `/papers/<id>`). */
export function cardIds(html: string): string[] {
  return [...html.matchAll(/<a class="title-link" href="\/papers\/([^"]+)"/g)].map((m) => m[1] ?? "");
}

/** A site on a fresh store for a `describe` block: set up before its tests, thrown away after. */
export interface TestSite {
  readonly store: Store;
  readonly web: TestApp;
}

/** Registers before/after hooks that open a fresh store (seeded with `seedLibrary` unless `seed` is false). */
export function useTestSite(kind: StoreKind = "sqlite", options: { seed?: boolean } = {}): TestSite {
  const site = {} as { db: TestDatabase; store: Store; web: TestApp };
  before(async () => {
    site.db = await createTestDatabase(kind);
    site.store = await site.db.open();
    if (options.seed !== false) await seedLibrary(site.store);
    site.web = createTestApp(site.store);
  });
  after(async () => {
    site.web.close();
    await site.store.close();
    await site.db.drop();
  });
  return site;
}
