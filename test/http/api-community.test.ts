import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import type { Store } from "../../src/store/store.ts";
import { makeUser } from "../helpers/community.ts";
import { ingestRecordedDays } from "../helpers/hf-days.ts";
import { createTestDatabase, type TestDatabase } from "../helpers/stores.ts";
import { createTestApp, type TestApp } from "../helpers/web.ts";

const PAPER = "2608.19880";

describe("votes, comments and library through the API with per-user tokens", () => {
  let db: TestDatabase;
  let store: Store;
  let web: TestApp;
  let token: string;

  before(async () => {
    db = await createTestDatabase("sqlite");
    store = await db.open();
    await ingestRecordedDays(store, ["2026-08-21"]);
    web = createTestApp(store);
    web.setNow("2026-08-22T06:00:00Z");
    const user = await makeUser(store, { name: "Api Reader" });
    token = (await store.accounts.createApiToken(user.id, "tests", undefined, "write")).token;
  });
  after(async () => {
    web.close();
    await store.close();
    await db.drop();
  });

  const call = async (method: string, path: string, body?: unknown, auth = true) => {
    const headers: Record<string, string> = {};
    if (auth) headers.Authorization = `Bearer ${token}`;
    if (body !== undefined) headers["Content-Type"] = "application/json";
    const res = await web.request(path, {
      method,
      headers,
      ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
    });
    return { status: res.status, json: (await res.json()) as Record<string, unknown> };
  };

  test("writes need a user: 401 with a JSON code", async () => {
    const res = await call("PUT", `/api/papers/${PAPER}/vote`, { voted: true }, false);
    // Without a token the request is a signed-out browser's: refused before it reaches the API.
    assert.ok(res.status === 401 || res.status === 403);
    const list = await call("GET", "/api/library", undefined, false);
    assert.equal(list.status, 401);
    assert.deepEqual(list.json, {
      error: { code: "unauthorized", message: "sign in or send Authorization: Bearer <API token>" },
    });
  });

  test("a vote adds to Hugging Face's upvotes everywhere, and can be taken back", async () => {
    const voted = await call("PUT", `/api/papers/${PAPER}/vote`, { voted: true });
    assert.equal(voted.status, 200);
    assert.deepEqual(voted.json, { id: PAPER, voted: true, upvotes: 164 });
    const paper = await call("GET", `/api/papers/${PAPER}`);
    assert.equal(paper.json.upvotes, 164);
    const back = await call("PUT", `/api/papers/${PAPER}/vote`, { voted: false });
    assert.equal(back.json.upvotes, 163);
    const bad = await call("PUT", `/api/papers/${PAPER}/vote`, { voted: "yes" });
    assert.equal(bad.status, 400);
    assert.equal((bad.json.error as { field: string }).field, "voted");
  });

  test("comments: add, reply, list; counts show in the daily list", async () => {
    const first = await call("POST", `/api/papers/${PAPER}/comments`, { body: "Nice <b>work</b>" });
    assert.equal(first.status, 201);
    assert.equal(first.json.author, "Api Reader");
    // Comments list oldest first; a minute later keeps the order unambiguous.
    web.setNow("2026-08-22T06:01:00Z");
    const reply = await call("POST", `/api/papers/${PAPER}/comments`, {
      body: "Agreed",
      parentId: first.json.id,
    });
    assert.equal(reply.json.parentId, first.json.id);
    const list = await call("GET", `/api/papers/${PAPER}/comments`, undefined, false);
    assert.deepEqual(
      (list.json.comments as { body: string }[]).map((c) => c.body),
      ["Nice <b>work</b>", "Agreed"],
    );
    const daily = (await web.request("/api/daily_papers?date=2026-08-21&limit=1").then((r) => r.json())) as {
      numComments: number;
    }[];
    // One comment on Hugging Face plus two here.
    assert.equal(daily[0]?.numComments, 3);
    const empty = await call("POST", `/api/papers/${PAPER}/comments`, { body: "   " });
    assert.equal(empty.status, 400);
    const missing = await call("POST", "/api/papers/2101.00001/comments", { body: "hello" });
    assert.equal(missing.status, 404);
  });

  test("library: save with tags, mark read, filter, remove", async () => {
    web.setNow("2026-08-22T07:00:00Z");
    const saved = await call("PUT", `/api/library/${PAPER}`, { tags: ["Agents", "rl"] });
    assert.equal(saved.status, 200);
    assert.deepEqual(saved.json.tags, ["agents", "rl"]);
    const read = await call("PUT", `/api/library/${PAPER}`, { read: true });
    assert.equal(read.json.readAt, "2026-08-22T07:00:00.000Z");
    const byTag = await call("GET", "/api/library?tag=agents");
    assert.equal(byTag.json.total, 1);
    const unread = await call("GET", "/api/library?read=false");
    assert.equal(unread.json.total, 0);
    const badTag = await call("PUT", `/api/library/${PAPER}`, { tags: ["<script>"] });
    assert.equal(badTag.status, 400);
    assert.equal((badTag.json.error as { code: string }).code, "invalid_input");
    assert.deepEqual((await call("DELETE", `/api/library/${PAPER}`)).json, { removed: true });
    assert.deepEqual((await call("DELETE", `/api/library/${PAPER}`)).json, { removed: false });
  });
});
