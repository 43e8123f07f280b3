import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import { resolve } from "node:path";
import { after, before, describe, test } from "node:test";
import { type StartedFakeOai, startFakeOai } from "../fakes/oai.ts";
import { runCli } from "../helpers/cli.ts";
import { repoRoot } from "../helpers/paths.ts";
import { createTestDatabase, type StoreKind, type TestDatabase } from "../helpers/stores.ts";
import { testEnv } from "../helpers/sync.ts";

/** Starts `paperboy sync oai` and kills it with SIGKILL once the server has answered `requests` more requests. */
function runAndKill(
  env: Record<string, string>,
  oai: StartedFakeOai,
  requests: number,
): Promise<"killed" | number> {
  const seenBefore = oai.server.requests.length;
  return new Promise((done, fail) => {
    const child = spawn(
      process.execPath,
      [resolve(repoRoot, "bin", "paperboy.js"), "sync", "oai", "--quiet"],
      {
        cwd: repoRoot,
        env: { ...process.env, ...env },
        stdio: "ignore",
      },
    );
    const watch = setInterval(() => {
      if (oai.server.requests.length - seenBefore >= requests) child.kill("SIGKILL");
    }, 2);
    child.on("error", fail);
    child.on("exit", (code, signal) => {
      clearInterval(watch);
      done(signal === "SIGKILL" ? "killed" : (code ?? -1));
    });
  });
}

for (const kind of ["sqlite", "postgres"] as StoreKind[]) {
  describe(`OAI-PMH harvest killed with SIGKILL, on ${kind}`, () => {
    let oai: StartedFakeOai;
    let db: TestDatabase;
    before(async () => {
      oai = await startFakeOai({ pageSize: 40 });
      db = await createTestDatabase(kind);
    });
    after(async () => {
      assert.deepEqual(oai.server.unplanned, []);
      await oai.close();
      await db.drop();
    });

    test("continues where it stopped and ends with exactly the server's records", async () => {
      const env = {
        ...testEnv({ oai: oai.url }),
        PAPERBOY_DB: db.url,
        PAPERBOY_ARXIV_INTERVAL_MS: "0",
      };
      let kills = 0;
      // Kill at varied points: after 1, 2 or 3 answers, so deaths land mid-page, mid-transaction and between.
      for (let round = 0; round < 8; round++) {
        if (round === 4) oai.expireTokens();
        const outcome = await runAndKill(env, oai, 1 + (round % 3));
        if (outcome === "killed") kills++;
        else assert.equal(outcome, 0, "a run that was not killed finished cleanly");
      }
      assert.ok(kills >= 4, `the harvest was killed ${kills} times`);
      const last = await runCli(["sync", "oai", "--json"], env);
      assert.equal(last.code, 0, last.stderr);

      const store = await db.open();
      try {
        const stored: string[] = [];
        for await (const p of store.iteratePapers()) stored.push(p.id);
        assert.deepEqual(stored, oai.allRecordIds(), "none lost, none extra");
        assert.equal((await store.stats()).papers, oai.allRecordIds().length, "none doubled");
        const byId = new Map(oai.records().map((r) => [r.id, r]));
        for await (const p of store.iteratePapers()) {
          assert.equal(p.title, byId.get(p.id)?.line.title.replace(/\s+/g, " ").trim(), p.id);
        }
        const state = await store.getSourceState("arxiv-oai:all");
        assert.equal((state?.cursor as { complete?: boolean } | null)?.complete, true);
      } finally {
        await store.close();
      }
    });
  });
}
