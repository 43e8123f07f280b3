import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import type { User } from "../../src/core/accounts.ts";
import type { Store } from "../../src/store/store.ts";
import { makeUser } from "../helpers/community.ts";
import { buildArxivRecord, id } from "../helpers/factories.ts";
import { createTestDatabase, type TestDatabase } from "../helpers/stores.ts";
import { createTestApp, type TestApp } from "../helpers/web.ts";

const CSL = JSON.stringify(
  [
    {
      id: "one",
      type: "article",
      title: "Lattice Paths with Weighted Steps",
      URL: "https://arxiv.org/abs/2301.00002",
      keyword: "combinatorics",
    },
    { id: "two", type: "article", title: "ConvLLaVA: hierarchical backbones as visual encoder" },
    { id: "three", type: "book", title: "A Monograph Nobody Has Here" },
    { id: "four" },
  ],
  null,
  2,
);

describe("library, account and subscriptions through the API", () => {
  let db: TestDatabase;
  let store: Store;
  let web: TestApp;
  let user: User;
  let token: string;
  let readToken: string;

  before(async () => {
    db = await createTestDatabase("sqlite");
    store = await db.open();
    await store.ingest({
      papers: [
        buildArxivRecord(),
        buildArxivRecord({
          id: id("2301.00002"),
          title: "Lattice Paths with Weighted Steps",
          abstract: "Paths.",
        }),
      ],
    });
    web = createTestApp(store);
    user = await makeUser(store, { name: "Api Reader" });
    token = (await store.accounts.createApiToken(user.id, "tests", undefined, "write")).token;
    readToken = (await store.accounts.createApiToken(user.id, "read", undefined, "read")).token;
  });
  after(async () => {
    web.close();
    await store.close();
    await db.drop();
  });

  const call = (
    method: string,
    path: string,
    body?: string,
    options: { type?: string; bearer?: string } = {},
  ) =>
    web.request(path, {
      method,
      headers: {
        Authorization: `Bearer ${options.bearer ?? token}`,
        ...(body !== undefined ? { "Content-Type": options.type ?? "application/json" } : {}),
      },
      ...(body !== undefined ? { body } : {}),
    });

  test("import: the summary names what was imported, matched and not found; twice changes nothing", async () => {
    const res = await call("POST", "/api/library/import?tag=api", CSL, { type: "application/json" });
    assert.equal(res.status, 200);
    const summary = (await res.json()) as Record<string, unknown>;
    assert.deepEqual(summary, {
      format: "csl-json",
      entries: 3,
      imported: 1,
      matchedByTitle: 1,
      fetching: 0,
      alreadyInLibrary: 0,
      notFound: [{ line: 14, label: "three", reason: "no arXiv id, and no paper here has this title" }],
      invalid: [{ line: 19, reason: "the item has no title, arXiv id or DOI" }],
    });
    const again = (await (await call("POST", "/api/library/import?tag=api", CSL)).json()) as Record<
      string,
      number
    >;
    assert.equal(again.alreadyInLibrary, 2);
    const tags = (await (await call("GET", "/api/library/tags")).json()) as unknown;
    assert.deepEqual(tags, {
      tags: [
        { tag: "api", count: 2 },
        { tag: "combinatorics", count: 1 },
      ],
    });
  });

  test("import needs a write token; an empty body and a body over 5 MiB are refused (413) with nothing stored", async () => {
    const read = await call("POST", "/api/library/import", "2301.00002", {
      type: "text/plain",
      bearer: readToken,
    });
    assert.equal(read.status, 403);
    const empty = await call("POST", "/api/library/import", "", { type: "text/plain" });
    assert.equal(empty.status, 400);
    const other = await makeUser(store);
    const otherToken = (await store.accounts.createApiToken(other.id, "t", undefined, "write")).token;
    const big = `2301.00002\n${"#".repeat(5 * 1024 * 1024)}`;
    const res = await call("POST", "/api/library/import", big, { type: "text/plain", bearer: otherToken });
    assert.equal(res.status, 413);
    const body = (await res.json()) as { error: { code: string; message: string } };
    assert.equal(body.error.code, "too_large");
    assert.match(body.error.message, /limit is 5 MiB|limit of 5 MiB/);
    assert.equal((await store.community.library(other.id)).total, 0);
  });

  test("export in each format, as a download that import reads back", async () => {
    for (const format of ["bibtex", "ris", "csl-json", "csv"]) {
      const res = await call("GET", `/api/library/export?format=${format}`);
      assert.equal(res.status, 200);
      assert.match(res.headers.get("content-disposition") ?? "", /attachment; filename="library\./);
      const text = await res.text();
      const other = await makeUser(store);
      const otherToken = (await store.accounts.createApiToken(other.id, "t", undefined, "write")).token;
      const back = (await (
        await call("POST", "/api/library/import", text, { type: "text/plain", bearer: otherToken })
      ).json()) as Record<string, unknown>;
      assert.equal(back.format, format);
      assert.equal(back.imported, 2, format);
      const theirs = (await store.community.library(other.id)).items.map((i) => [i.paperId, i.tags]);
      const mine = (await store.community.library(user.id)).items.map((i) => [i.paperId, i.tags]);
      assert.deepEqual(theirs.sort(), mine.sort());
    }
    const bad = await call("GET", "/api/library/export?format=endnote");
    assert.equal(bad.status, 400);
  });

  test("subscriptions with saved searches and follows; the account export holds them all", async () => {
    const created = await call(
      "POST",
      "/api/subscriptions",
      JSON.stringify({
        schedule: { frequency: "weekly", hour: 7, weekday: 2, timeZone: "Europe/Oslo" },
        contents: { searches: ["lattice paths"], categories: ["math.CO"], authors: ["Siri Lind"] },
      }),
    );
    assert.equal(created.status, 201);
    const sub = (await created.json()) as { id: string; state: string; contents: Record<string, unknown> };
    assert.equal(sub.state, "active");
    assert.deepEqual(sub.contents.searches, ["lattice paths"]);
    const changed = await call(
      "PUT",
      `/api/subscriptions/${sub.id}`,
      JSON.stringify({
        contents: {
          searches: ["lattice paths", "weighted steps"],
          categories: ["math.CO", "cs.DM"],
          authors: [],
        },
      }),
    );
    assert.equal(changed.status, 200);
    assert.deepEqual(await (await call("GET", "/api/saved-searches")).json(), {
      searches: [
        { q: "lattice paths", subscriptionId: sub.id },
        { q: "weighted steps", subscriptionId: sub.id },
      ],
    });
    assert.deepEqual(await (await call("GET", "/api/follows")).json(), {
      categories: ["cs.DM", "math.CO"],
      authors: [],
    });
    const badZone = await call(
      "POST",
      "/api/subscriptions",
      JSON.stringify({ schedule: { frequency: "daily", hour: 7, timeZone: "Mars/Olympus" } }),
    );
    assert.equal(badZone.status, 400);
    const stranger = await makeUser(store);
    const strangerToken = (await store.accounts.createApiToken(stranger.id, "t", undefined, "write")).token;
    const notYours = await call("DELETE", `/api/subscriptions/${sub.id}`, undefined, {
      bearer: strangerToken,
    });
    assert.equal(notYours.status, 404);

    await store.community.setVote(user.id, id("2301.00002"), true);
    await store.community.addComment({
      paperId: id("2301.00002"),
      authorId: user.id,
      body: "A tidy bijection.",
    });
    const account = await call("GET", "/api/account/export");
    assert.equal(account.status, 200);
    const data = (await account.json()) as Record<string, unknown> & {
      profile: { email: string };
      votes: { paperId: string }[];
      comments: { body: string }[];
      library: { paperId: string; tags: string[] }[];
      subscriptions: { savedSearches: string[]; follows: { categories: string[] } }[];
    };
    assert.equal(data.format, "paperboy-account");
    assert.equal(data.profile.email, user.email);
    assert.deepEqual(
      data.votes.map((v) => v.paperId),
      ["2301.00002"],
    );
    assert.deepEqual(
      data.comments.map((c) => c.body),
      ["A tidy bijection."],
    );
    assert.deepEqual(data.library.map((l) => l.paperId).sort(), ["2301.00002", "2405.15738"]);
    assert.deepEqual(data.subscriptions[0]?.savedSearches, ["lattice paths", "weighted steps"]);
    assert.deepEqual(data.subscriptions[0]?.follows.categories, ["math.CO", "cs.DM"]);
    assert.ok(!JSON.stringify(data).includes("password"));

    const ended = await call("DELETE", `/api/subscriptions/${sub.id}`);
    assert.equal(((await ended.json()) as { state: string }).state, "unsubscribed");
  });

  test("every operation is in /api/openapi.json", async () => {
    const doc = (await (await web.request("/api/openapi.json")).json()) as { paths: Record<string, object> };
    for (const path of [
      "/library",
      "/library/tags",
      "/library/import",
      "/library/export",
      "/library/{id}",
      "/account/export",
      "/subscriptions",
      "/subscriptions/{id}",
      "/saved-searches",
      "/follows",
    ]) {
      assert.ok(doc.paths[path], `${path} is documented`);
    }
    const imp = doc.paths["/library/import"] as {
      post: { requestBody: { content: object }; responses: object };
    };
    assert.ok("application/x-bibtex" in imp.post.requestBody.content);
    assert.ok("413" in imp.post.responses);
  });
});
