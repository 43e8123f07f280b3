import assert from "node:assert/strict";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, test } from "node:test";
import { runCli } from "../helpers/cli.ts";
import { seedDigestPapers } from "../helpers/digest-seed.ts";
import { createTestDatabase, type TestDatabase } from "../helpers/stores.ts";

describe("paperboy digest preview | send --dry-run, paperboy subscribers", () => {
  let db: TestDatabase;
  let dataDir: string;
  let env: Record<string, string>;

  before(async () => {
    db = await createTestDatabase("sqlite");
    dataDir = mkdtempSync(join(tmpdir(), "paperboy-digest-cli-"));
    const store = await db.open();
    try {
      await seedDigestPapers(store, 3);
      await store.digests.subscribe(
        {
          email: "cli@example.org",
          schedule: { frequency: "daily", hour: 8, weekday: 1, timeZone: "UTC" },
          contents: { trending: 3, searches: [], categories: [], authors: [], recommendations: false },
          confirmed: true,
        },
        new Date("2026-11-25T00:00:00Z"),
      );
    } finally {
      await store.close();
    }
    env = {
      PAPERBOY_DB: db.url,
      PAPERBOY_DATA_DIR: dataDir,
      PAPERBOY_BASE_URL: "http://paperboy.test",
      PAPERBOY_SECRET: "cli-test-secret-0123456789-abcdefghijklmnopq",
      PAPERBOY_LOG_LEVEL: "warn",
    };
  });
  after(async () => {
    await db.drop();
    rmSync(dataDir, { recursive: true, force: true });
  });

  test("preview prints the text part; a dry run sends and records nothing; subscribers lists", async () => {
    const preview = await runCli(
      ["digest", "preview", "--user", "cli@example.org", "--period", "2026-11-26T09:00:00Z"],
      env,
    );
    assert.equal(preview.code, 0, preview.stderr);
    // The three seeded papers are from before the period (it starts 2026-11-25 08:00): the title names their days.
    assert.match(
      preview.stdout,
      /^Subject: Your Paperboy digest: papers from 22 November 2026 to 24 November 2026 \(3 papers\)/,
    );
    assert.match(preview.stdout, /Unsubscribe: http:\/\/paperboy\.test\/digests\/unsubscribe\?token=/);

    const dry = await runCli(["digest", "send", "--dry-run", "--period", "2026-11-26T09:00:00Z"], env);
    assert.equal(dry.code, 0, dry.stderr);
    assert.match(dry.stdout, /cli@example\.org\t2026-11-26\t/);
    assert.match(dry.stdout, /1 digest\(s\) due; nothing sent/);

    const list = await runCli(["subscribers", "--json"], env);
    assert.equal(list.code, 0, list.stderr);
    const body = JSON.parse(list.stdout) as {
      counts: { active: number };
      deliveries: { sent: number; pending: number };
    };
    assert.equal(body.counts.active, 1);
    assert.equal(body.deliveries.sent + body.deliveries.pending, 0, "the dry run recorded nothing");

    const unknown = await runCli(["digest", "preview", "--user", "nobody@example.org"], env);
    assert.equal(unknown.code, 1);
    assert.match(unknown.stderr, /no subscriber or member/);
    const bad = await runCli(["digest", "send", "--period", "yesterday-ish"], env);
    assert.equal(bad.code, 1);
    assert.match(bad.stderr, /--period must be an ISO 8601 date-time/);
  });
});
