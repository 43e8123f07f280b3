import assert from "node:assert/strict";
import { type ChildProcess, spawn } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { after, before, describe, test } from "node:test";
import { setTimeout as sleep } from "node:timers/promises";
import { runCli } from "../helpers/cli.ts";
import { seedDigestPapers } from "../helpers/digest-seed.ts";
import { type CrashSmtp, startCrashSmtp } from "../helpers/digest-smtp.ts";
import { repoRoot } from "../helpers/paths.ts";
import { createTestDatabase, type StoreKind, type TestDatabase } from "../helpers/stores.ts";

const T0 = new Date("2026-11-25T00:00:00Z");
const RUN_AT = "2026-11-26T23:00:00Z";
const LEASE_MS = 1_500;
const ZONES = [
  "UTC",
  "Europe/Paris",
  "America/New_York",
  "Asia/Tokyo",
  "Australia/Sydney",
  "America/Los_Angeles",
];

/** Runs `digest send` and kills it with SIGKILL when the `killAt`-th message of this run reaches DATA. */
function runAndKill(
  env: Record<string, string>,
  smtp: CrashSmtp,
  killAt: number,
): Promise<"killed" | number> {
  let seen = 0;
  let child: ChildProcess | null = null;
  smtp.beforeAccept = () => {
    seen++;
    if (seen < killAt) return true;
    child?.kill("SIGKILL");
    return false;
  };
  return new Promise((done, fail) => {
    child = spawn(
      process.execPath,
      [
        resolve(repoRoot, "bin", "paperboy.js"),
        "digest",
        "send",
        "--period",
        RUN_AT,
        "--lease-ms",
        String(LEASE_MS),
        "--concurrency",
        "1",
        "--quiet",
      ],
      { cwd: repoRoot, env: { ...process.env, ...env }, stdio: "ignore" },
    );
    child.on("error", fail);
    child.on("exit", (code, signal) => {
      smtp.beforeAccept = () => true;
      done(signal === "SIGKILL" ? "killed" : (code ?? -1));
    });
  });
}

for (const kind of ["sqlite", "postgres"] as StoreKind[]) {
  describe(`digest run killed with SIGKILL, on ${kind}`, () => {
    let smtp: CrashSmtp;
    let db: TestDatabase;
    let dataDir: string;
    const expected = new Map<string, string>();

    before(async () => {
      smtp = await startCrashSmtp();
      db = await createTestDatabase(kind);
      dataDir = mkdtempSync(join(tmpdir(), "paperboy-digest-crash-"));
      const store = await db.open();
      try {
        await seedDigestPapers(store, 4);
        for (let i = 0; i < 12; i++) {
          let userId: string | null = null;
          if (i % 6 === 0) {
            const user = await store.accounts.createUser({
              email: `member${i}@example.org`,
              name: `Member ${i}`,
              password: "correct horse battery",
              role: "member",
              verified: true,
            });
            userId = user.id;
            await store.community.setVote(user.id, "2611.10001" as never, true);
          }
          const sub = await store.digests.subscribe(
            {
              email: userId ? `member${i}@example.org` : `reader${i}@example.org`,
              userId,
              schedule: {
                frequency: "daily",
                hour: 8,
                weekday: 1,
                timeZone: ZONES[i % ZONES.length] as string,
              },
              contents: { trending: 5, searches: [], categories: [], authors: [], recommendations: true },
              confirmed: true,
            },
            T0,
          );
          expected.set(sub.id, sub.email);
        }
      } finally {
        await store.close();
      }
    });

    after(async () => {
      await smtp.close();
      await db.drop();
      rmSync(dataDir, { recursive: true, force: true });
    });

    test("every due digest reaches the receiver exactly once", async () => {
      const env = {
        PAPERBOY_DB: db.url,
        PAPERBOY_DATA_DIR: dataDir,
        PAPERBOY_SMTP_URL: smtp.url,
        PAPERBOY_BASE_URL: "http://paperboy.test",
        PAPERBOY_SECRET: "crash-test-secret-0123456789-abcdefghijklmnop",
      };
      let kills = 0;
      for (let round = 0; round < 4; round++) {
        // A killed run's claimed rows stay leased for LEASE_MS: wait them out, or on a fast machine the next
        // run starts before they are due again, finds nothing to send and is never killed.
        if (round > 0) await sleep(LEASE_MS + 200);
        const outcome = await runAndKill(env, smtp, 1 + (round % 3));
        if (outcome === "killed") kills++;
        else assert.equal(outcome, 0, "a run that was not killed finished cleanly");
      }
      assert.ok(kills >= 3, `the run was killed ${kills} times`);
      // Rows the killed runs left in `sending` wait for their lease to run out, then are sent again.
      await sleep(LEASE_MS + 200);
      const last = await runCli(["digest", "send", "--period", RUN_AT, "--json"], env);
      assert.equal(last.code, 0, last.stderr);

      const ids = smtp.messages.map((m) => m.messageId ?? "");
      assert.equal(new Set(ids).size, ids.length, `no digest twice: ${ids.join(" ")}`);
      const bySub = new Map<string, number>();
      for (const m of smtp.messages) {
        const sub = /^<digest\.([^.]+)\./.exec(m.messageId ?? "")?.[1] ?? "";
        bySub.set(sub, (bySub.get(sub) ?? 0) + 1);
        const to = Array.isArray(m.to) ? m.to[0] : m.to;
        assert.equal(to?.value[0]?.address, expected.get(sub), "sent to the subscriber");
      }
      assert.deepEqual(
        [...bySub.keys()].sort(),
        [...expected.keys()].sort(),
        "every subscription got its digest",
      );
      assert.ok(
        [...bySub.values()].every((n) => n === 1),
        "each exactly once",
      );

      const store = await db.open();
      try {
        const counts = await store.digests.deliveryCounts();
        assert.equal(counts.sent, expected.size);
        assert.equal(counts.pending + counts.sending + counts.failed, 0);
      } finally {
        await store.close();
      }
    });
  });
}
