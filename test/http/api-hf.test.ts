import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import type { Store } from "../../src/store/store.ts";
import { ingestRecordedDays, recordedDay } from "../helpers/hf-days.ts";
import { createTestDatabase, type StoreKind, type TestDatabase } from "../helpers/stores.ts";
import { createTestApp, type TestApp } from "../helpers/web.ts";

/** Every key path of a JSON value (`paper.authors[].name`), each with the JSON type found there. */
function keyPaths(value: unknown, prefix = "", out = new Map<string, string>()): Map<string, string> {
  if (Array.isArray(value)) {
    for (const item of value) keyPaths(item, `${prefix}[]`, out);
  } else if (value !== null && typeof value === "object") {
    for (const [key, child] of Object.entries(value)) {
      const path = prefix ? `${prefix}.${key}` : key;
      out.set(path, child === null ? "null" : Array.isArray(child) ? "array" : typeof child);
      keyPaths(child, path, out);
    }
  }
  return out;
}

/** Fields Hugging Face has that Paperboy cannot know (it keeps no organization avatars). */
const UNKNOWABLE = new Set(["organization.avatar", "paper.organization.avatar"]);

const DAYS = ["2026-08-19", "2026-08-20", "2026-08-21"];

for (const kind of ["sqlite", "postgres"] as StoreKind[]) {
  describe(`HF-shaped API: ${kind}`, () => {
    let db: TestDatabase;
    let store: Store;
    let web: TestApp;

    before(async () => {
      db = await createTestDatabase(kind);
      store = await db.open();
      await ingestRecordedDays(store, DAYS);
      web = createTestApp(store);
      web.setNow("2026-08-22T06:00:00Z");
    });
    after(async () => {
      web.close();
      await store.close();
      await db.drop();
    });

    const getJson = async (path: string, status = 200) => {
      const res = await web.request(path);
      assert.equal(res.status, status, `${path}: ${res.status}`);
      assert.match(res.headers.get("content-type") ?? "", /application\/json/);
      return (await res.json()) as unknown;
    };

    test("daily_papers has the recorded response's keys, nesting and types", async () => {
      const ours = (await getJson("/api/daily_papers?date=2026-08-21")) as unknown[];
      const recorded = recordedDay("2026-08-21");
      assert.equal(ours.length, recorded.length);
      const recordedPaths = recorded.map((e) => keyPaths(e));
      const union = new Map<string, string>();
      for (const paths of recordedPaths) for (const [p, t] of paths) union.set(p, t);
      const everywhere = [...union.keys()].filter((p) => recordedPaths.every((paths) => paths.has(p)));
      for (const entry of ours) {
        const paths = keyPaths(entry);
        for (const [path, type] of paths) {
          assert.ok(union.has(path), `invented field ${path}`);
          assert.equal(type, union.get(path), `type of ${path}`);
        }
        for (const path of everywhere) {
          if (!UNKNOWABLE.has(path)) assert.ok(paths.has(path), `missing field ${path}`);
        }
      }
    });

    test("daily_papers ranks the day by upvotes and carries the recorded values", async () => {
      const ours = (await getJson("/api/daily_papers?date=2026-08-21")) as {
        paper: { id: string; upvotes: number; title: string; githubRepo?: string };
        numComments: number;
      }[];
      const upvotes = ours.map((e) => e.paper.upvotes);
      assert.deepEqual(
        upvotes,
        [...upvotes].sort((a, b) => b - a),
      );
      const top = ours[0];
      assert.equal(top?.paper.id, "2608.19880");
      assert.equal(top?.paper.upvotes, 163);
      assert.equal(top?.paper.githubRepo, "https://github.com/google-research/envharness");
    });

    test("default day is the latest; paging with p and limit; week and month", async () => {
      const latest = (await getJson("/api/daily_papers?limit=5")) as { paper: { id: string } }[];
      const explicit = (await getJson("/api/daily_papers?date=2026-08-21&limit=5")) as {
        paper: { id: string };
      }[];
      assert.deepEqual(latest, explicit);
      const page1 = (await getJson("/api/daily_papers?date=2026-08-21&limit=5&p=1")) as {
        paper: { id: string };
      }[];
      assert.equal(page1.length, 5);
      assert.equal(new Set([...latest, ...page1].map((e) => e.paper.id)).size, 10);
      // Week 34 of 2026 (Aug 17-23) holds the three recorded days; a paper on several days counts once.
      const distinct = new Set(
        DAYS.flatMap((d) => recordedDay(d).map((e) => (e as { paper: { id: string } }).paper.id)),
      );
      const res = await web.request("/api/daily_papers?week=2026-W34&limit=100");
      const week = (await res.json()) as { paper: { id: string } }[];
      assert.equal(Number(res.headers.get("x-total-count")), distinct.size);
      assert.deepEqual(new Set(week.map((e) => e.paper.id)), distinct);
      const month = (await getJson("/api/daily_papers?month=2026-08&limit=100")) as unknown[];
      assert.equal(month.length, distinct.size);
      const empty = (await getJson("/api/daily_papers?month=2026-07")) as unknown[];
      assert.deepEqual(empty, []);
    });

    test("sorts: newest by publication date; trending by score", async () => {
      const newest = (await getJson("/api/daily_papers?date=2026-08-21&sort=publishedAt&limit=100")) as {
        paper: { publishedAt: string };
      }[];
      const dates = newest.map((e) => e.paper.publishedAt);
      assert.deepEqual(dates, [...dates].sort().reverse());
      const trending = (await getJson("/api/daily_papers?sort=trending&limit=3")) as unknown[];
      assert.equal(trending.length, 3);
    });

    test("submitter filter", async () => {
      const all = (await getJson("/api/daily_papers?date=2026-08-21&limit=100")) as {
        submittedBy?: { name: string };
      }[];
      const name = all.find((e) => e.submittedBy)?.submittedBy?.name;
      assert.ok(name);
      const mine = (await getJson(
        `/api/daily_papers?date=2026-08-21&submitter=${encodeURIComponent(name)}`,
      )) as {
        submittedBy?: { name: string };
      }[];
      assert.ok(mine.length > 0);
      assert.ok(mine.every((e) => e.submittedBy?.name === name));
    });

    test("papers/{id} returns the paper object; versions and arXiv URLs resolve", async () => {
      const paper = (await getJson("/api/papers/2608.19880")) as {
        id: string;
        upvotes: number;
        authors: unknown[];
      };
      assert.equal(paper.id, "2608.19880");
      assert.equal(paper.upvotes, 163);
      assert.equal(paper.authors.length, 17);
      const versioned = await getJson("/api/papers/2608.19880v2");
      assert.deepEqual(versioned, paper);
      const recordedPaper = (recordedDay("2026-08-21")[0] as { paper: Record<string, unknown> }).paper;
      for (const key of Object.keys(paper)) assert.ok(key in recordedPaper || key === "organization", key);
    });

    test("errors are JSON with a code and the right status", async () => {
      const missing = (await getJson("/api/papers/2101.00001", 404)) as { error: { code: string } };
      assert.equal(missing.error.code, "not_found");
      const bad = (await getJson("/api/papers/not-an-id", 400)) as {
        error: { code: string; field?: string };
      };
      assert.equal(bad.error.code, "invalid_request");
      assert.equal(bad.error.field, "id");
      const limit = (await getJson("/api/daily_papers?limit=1000", 400)) as { error: { field?: string } };
      assert.equal(limit.error.field, "limit");
      const week = (await getJson("/api/daily_papers?week=2026-W60", 400)) as { error: { code: string } };
      assert.equal(week.error.code, "invalid_date");
      const both = (await getJson("/api/daily_papers?date=2026-08-21&month=2026-08", 400)) as {
        error: { message: string };
      };
      assert.match(both.error.message, /at most one/);
      const sort = (await getJson("/api/daily_papers?sort=%3Cscript%3E", 400)) as {
        error: { field?: string };
      };
      assert.equal(sort.error.field, "sort");
      const nowhere = (await getJson("/api/nowhere", 404)) as { error: { code: string } };
      assert.equal(nowhere.error.code, "not_found");
    });

    test("GET is open to any origin (CORS), preflight included", async () => {
      const res = await web.request("/api/daily_papers?limit=1", {
        headers: { Origin: "https://client.example" },
      });
      assert.equal(res.headers.get("access-control-allow-origin"), "*");
      const preflight = await web.request("/api/daily_papers", {
        method: "OPTIONS",
        headers: { Origin: "https://client.example", "Access-Control-Request-Method": "GET" },
      });
      assert.equal(preflight.status, 204);
      assert.match(preflight.headers.get("access-control-allow-methods") ?? "", /GET/);
    });
  });
}
