import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { after, before, describe, test } from "node:test";
import { ADMIN_IMPORT_MAX_BYTES } from "../../src/http/accounts/import-routes.tsx";
import type { Store } from "../../src/store/store.ts";
import { type Browser, getAs, makeUser, signIn } from "../helpers/community.ts";
import { shared } from "../helpers/paths.ts";
import { createTestDatabase, type TestDatabase } from "../helpers/stores.ts";
import { createTestApp, type TestApp } from "../helpers/web.ts";

const snapshotLines = readFileSync(shared("arxiv-abs", "arxiv-metadata-snapshot.jsonl"), "utf8")
  .split("\n")
  .filter((l) => l.trim() !== "")
  .slice(0, 40);
const hfDay = "2024-05-27";
const hfEntries = JSON.parse(readFileSync(shared("hf-daily", "raw", `${hfDay}.json`), "utf8")) as unknown[];

/** The multipart form a browser sends for the import form: the CSRF token (unless left out) and the file. */
function upload(
  browser: Browser | null,
  file: Blob,
  name: string,
  options: { csrf?: boolean } = {},
): RequestInit {
  const form = new FormData();
  if (browser && options.csrf !== false) form.set("_csrf", browser.csrf);
  form.set("file", file, name);
  return { method: "POST", body: form, headers: browser ? { cookie: browser.cookie } : {} };
}

describe("the admin's file import, /admin/import", () => {
  let db: TestDatabase;
  let store: Store;
  let site: TestApp;
  let member: Browser;
  let admin: Browser;

  before(async () => {
    db = await createTestDatabase("sqlite");
    store = await db.open();
    site = createTestApp(store);
    member = await signIn(store, await makeUser(store));
    admin = await signIn(store, await makeUser(store, { role: "admin" }));
  });
  after(async () => {
    site.close();
    await store.close();
    await db.drop();
  });

  test("is for admins only: visitors sign in first, members are refused and import nothing", async () => {
    let res = await site.request("/admin/import");
    assert.equal(res.status, 303);
    assert.match(res.headers.get("location") ?? "", /^\/signin\?next=/);
    res = await site.request("/admin/import", getAs(member));
    assert.equal(res.status, 403);
    const file = new Blob([`${snapshotLines.join("\n")}\n`]);
    res = await site.request("/admin/import", upload(member, file, "snapshot.jsonl"));
    assert.equal(res.status, 403);
    assert.equal((await store.stats()).papers, 0);

    res = await site.request("/admin/import", getAs(admin));
    assert.equal(res.status, 200);
    const html = await res.text();
    assert.match(html, /<form method="post" action="\/admin\/import" enctype="multipart\/form-data"/);
    assert.match(html, new RegExp(`name="_csrf" value="${admin.csrf}"`));
    assert.match(html, /at most 64 MB/);
  });

  test("an upload without the form's CSRF token is refused and imports nothing", async () => {
    const file = new Blob([`${snapshotLines.join("\n")}\n`]);
    const res = await site.request("/admin/import", upload(admin, file, "snapshot.jsonl", { csrf: false }));
    assert.equal(res.status, 403);
    assert.equal((await store.stats()).papers, 0);
  });

  test("imports a snapshot file, lists the bad lines with their numbers, and a second upload doubles nothing", async () => {
    const lines = [...snapshotLines];
    lines.splice(2, 0, "{not json");
    lines.splice(5, 0, JSON.stringify({ ...JSON.parse(snapshotLines[4] ?? "{}"), id: "not-an-id" }));
    const file = new Blob([`${lines.join("\n")}\n`]);
    let res = await site.request("/admin/import", upload(admin, file, "../../etc/snapshot part.jsonl"));
    assert.equal(res.status, 200);
    let html = await res.text();
    assert.match(html, /Imported snapshot_part\.jsonl/, "the file's name, made safe");
    assert.match(html, /<th>Papers added<\/th><td>40<\/td>/);
    assert.match(html, /<th>Rejected<\/th><td>2<\/td>/);
    assert.match(html, /<li>line 3: invalid JSON/);
    assert.match(html, /<li>line 6: [^<]*not-an-id/);
    assert.equal((await store.stats()).papers, snapshotLines.length);
    const first = JSON.parse(snapshotLines[0] ?? "{}") as { id: string; title: string };
    assert.equal((await store.getPaper(first.id as never))?.title, first.title);

    res = await site.request("/admin/import", upload(admin, file, "snapshot.jsonl"));
    html = await res.text();
    assert.match(html, /<th>Papers added<\/th><td>0<\/td>/);
    assert.match(html, /<th>Papers unchanged<\/th><td>40<\/td>/);
    assert.equal((await store.stats()).papers, snapshotLines.length);
  });

  test("a Hugging Face daily file is imported for the day its name gives", async () => {
    const file = new Blob([JSON.stringify(hfEntries)]);
    const res = await site.request("/admin/import", upload(admin, file, `${hfDay}.json`));
    assert.equal(res.status, 200);
    const html = await res.text();
    assert.match(html, new RegExp(`<th>Daily entries added</th><td>${hfEntries.length}</td>`));
    const days = await store.listings.days({ from: hfDay as never, to: hfDay as never });
    assert.equal(days[0]?.papers, hfEntries.length);
  });

  test("an empty upload is refused with a message", async () => {
    const res = await site.request("/admin/import", upload(admin, new Blob([]), "empty.jsonl"));
    assert.equal(res.status, 400);
    assert.match(await res.text(), /Choose a file to import/);
  });

  test("a file over the limit gets a 413 before anything is stored", async () => {
    const before = await store.stats();
    // Valid records first, so a server that stored as it read would have stored some.
    const head = Buffer.from(
      `${snapshotLines
        .slice(0, 1)
        .join("\n")
        .replace(/"id": "[^"]+"/, '"id": "2401.00001"')}\n`,
    );
    const big = new Blob([head, Buffer.alloc(ADMIN_IMPORT_MAX_BYTES, "\n")]);
    const res = await site.request("/admin/import", upload(admin, big, "big.jsonl"));
    assert.equal(res.status, 413);
    assert.match(await res.text(), /larger than 64 MB.*Nothing was imported/);
    assert.deepEqual(await store.stats(), before);
    assert.equal(await store.getPaper("2401.00001" as never), null);
  });
});
