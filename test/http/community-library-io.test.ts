import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import type { Store } from "../../src/store/store.ts";
import { type Browser, getAs, makeUser, seedPapers, signIn } from "../helpers/community.ts";
import { createTestDatabase, type TestDatabase } from "../helpers/stores.ts";
import { createTestApp, type TestApp } from "../helpers/web.ts";

/** A BibTeX file as a reference manager might write it: two papers here, one unknown, one broken entry. */
const BIB = `@misc{first,
  title = {Paper 2405.15738},
  note = {see arXiv:2405.15738},
  keywords = {vision},
}

@article{second,
  title = {Paper math.{GT}/0309136},
}

@article{unknown,
  title = {Nothing Like Anything Stored Here},
}

@misc{broken
  title = {no comma after the key}
}
`;

describe("library import and export from the pages", () => {
  let db: TestDatabase;
  let store: Store;
  let site: TestApp;
  let alice: Browser;

  before(async () => {
    db = await createTestDatabase("sqlite");
    store = await db.open();
    site = createTestApp(store);
    alice = await signIn(store, await makeUser(store));
    await seedPapers(store, [{ id: "2405.15738" }, { id: "math.GT/0309136" }]);
  });
  after(async () => {
    site.close();
    await store.close();
    await db.drop();
  });

  const upload = (who: Browser, content: string | Uint8Array, fields: Record<string, string> = {}) => {
    const form = new FormData();
    form.set("_csrf", who.csrf);
    form.set("file", new Blob([content]), "mine.bib");
    for (const [k, v] of Object.entries(fields)) form.set(k, v);
    return site.request("/library/import", { method: "POST", body: form, headers: { cookie: who.cookie } });
  };

  test("the library page links to import and to every export format; the form is there", async () => {
    const html = await (await site.request("/library", getAs(alice))).text();
    for (const format of ["bibtex", "ris", "csl-json", "csv"])
      assert.match(html, new RegExp(`/library/export\\?format=${format}`));
    const form = await (await site.request("/library/import", getAs(alice))).text();
    assert.match(form, /enctype="multipart\/form-data"/);
    assert.match(form, /at most 5 MiB/);
  });

  test("an upload imports and shows the summary, bad entry with its line; uploading it again changes nothing", async () => {
    const res = await upload(alice, BIB, { tags: "Reading group" });
    assert.equal(res.status, 200);
    const html = await res.text();
    assert.match(html, /Read 3 entries as BibTeX \(\.bib\)\./);
    assert.match(html, /Imported: 1</);
    assert.match(html, /Matched by title: 1</);
    assert.match(html, /Not found: 1</);
    assert.match(html, /line 11 \(unknown\): no arXiv id, and no paper here has this title/);
    assert.match(html, /line 15: expected , or \}/);
    const items = (await store.community.library(alice.user.id)).items.map((i) => [i.paperId, i.tags]);
    assert.deepEqual(items.sort(), [
      ["2405.15738", ["reading group", "vision"]],
      ["math/0309136", ["reading group"]],
    ]);
    const again = await upload(alice, BIB, { tags: "Reading group" });
    assert.match(await again.text(), /Already in your library: 2</);
    const after = (await store.community.library(alice.user.id)).items.map((i) => [i.paperId, i.tags]);
    assert.deepEqual(after.sort(), items.sort());
  });

  test("a file over 5 MiB gets 413 and a clear message, nothing stored (cut off by size, or too big for the form)", async () => {
    const bob = await signIn(store, await makeUser(store));
    const justOver = `2405.15738\n${"#".repeat(5 * 1024 * 1024)}`;
    const res = await upload(bob, justOver);
    assert.equal(res.status, 413);
    assert.match(await res.text(), /the file is 5\.0 MiB; the limit is 5 MiB; nothing was imported/);
    const farOver = await upload(bob, `2405.15738\n${"#".repeat(6 * 1024 * 1024)}`);
    assert.equal(farOver.status, 413);
    assert.match(await farOver.text(), /larger than the limit of 5 MiB; nothing was imported/);
    assert.equal((await store.community.library(bob.user.id)).total, 0);
    const noCsrf = new FormData();
    noCsrf.set("file", new Blob(["2405.15738"]), "x.txt");
    const forged = await site.request("/library/import", {
      method: "POST",
      body: noCsrf,
      headers: { cookie: bob.cookie },
    });
    assert.equal(forged.status, 403);
  });

  test("export downloads each format; settings offer the whole account as JSON", async () => {
    const bib = await site.request("/library/export?format=bibtex", getAs(alice));
    assert.equal(bib.status, 200);
    assert.match(bib.headers.get("content-disposition") ?? "", /library\.bib/);
    assert.match(await bib.text(), /eprint = \{math\/0309136\}/);
    const csv = await site.request("/library/export?format=csv", getAs(alice));
    assert.match(await csv.text(), /^arxiv_id,title,authors,year,tags,saved_at,read_at,url\r\n/);
    const settings = await (await site.request("/settings", getAs(alice))).text();
    assert.match(settings, /href="\/settings\/export"/);
    const account = await site.request("/settings/export", getAs(alice));
    assert.equal(account.status, 200);
    const data = (await account.json()) as { profile: { email: string }; library: { tags: string[] }[] };
    assert.equal(data.profile.email, alice.user.email);
    assert.equal(data.library.length, 2);
    const visitor = await site.request("/settings/export");
    assert.equal(visitor.status, 303);
  });
});
