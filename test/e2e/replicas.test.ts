/**
 * The topology of compose.yaml as processes on this machine: one PostgreSQL database, `paperboy migrate` run
 * once, two web replicas (`paperboy serve` with PAPERBOY_WORKER=off, as compose runs them) and one
 * `paperboy worker`, all sharing the data folder as the containers share their volume, every outside source a
 * loopback fake. The reverse proxy is left out: each replica is asked directly.
 */
import assert from "node:assert/strict";
import { type ChildProcessByStdio, spawn } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import type { Readable } from "node:stream";
import { after, before, describe, test } from "node:test";
import type { JobState } from "../../src/core/index.ts";
import type { Store } from "../../src/store/store.ts";
import { type FakeHf, forDay, recordedDay, recordedEntries, startFakeHf } from "../fakes/hf.ts";
import { runCli } from "../helpers/cli.ts";
import { makeUser, signIn } from "../helpers/community.ts";
import { repoRoot } from "../helpers/paths.ts";
import { createTestDatabase, type TestDatabase } from "../helpers/stores.ts";
import { testEnv } from "../helpers/sync.ts";

type Child = ChildProcessByStdio<null, Readable, Readable>;

interface Proc {
  child: Child;
  log(): string;
}

function spawnPaperboy(args: readonly string[], env: Record<string, string>): Proc {
  const child = spawn(process.execPath, [resolve(repoRoot, "bin", "paperboy.js"), ...args], {
    cwd: repoRoot,
    env: { ...process.env, ...env },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let stderr = "";
  child.stdout.resume();
  child.stderr.setEncoding("utf8").on("data", (d: string) => {
    stderr += d;
  });
  return { child, log: () => stderr };
}

/** A web replica on a free port; resolves with its URL once it says it is serving. */
async function startReplica(env: Record<string, string>): Promise<Proc & { url: string }> {
  const proc = spawnPaperboy(["serve", "--port", "0", "--host", "127.0.0.1"], env);
  const url = await new Promise<string>((done, fail) => {
    const check = () => {
      const found = /serving .* at (http:\/\/127\.0\.0\.1:\d+)/.exec(proc.log())?.[1];
      if (found) {
        proc.child.stderr.off("data", check);
        proc.child.off("exit", onExit);
        done(found);
      }
    };
    const onExit = (code: number | null) =>
      fail(new Error(`serve exited early with ${code}:\n${proc.log()}`));
    proc.child.stderr.on("data", check);
    proc.child.once("exit", onExit);
    proc.child.once("error", fail);
  });
  return { ...proc, url };
}

function exited(child: Child): Promise<void> {
  return new Promise((done) => {
    if (child.exitCode !== null || child.signalCode !== null) done();
    else child.once("exit", () => done());
  });
}

async function stop(proc: Proc | null, signal: NodeJS.Signals = "SIGTERM"): Promise<void> {
  if (!proc) return;
  proc.child.kill(signal);
  await exited(proc.child);
}

/** Polls `check` until it returns a value, or fails with `what` after `ms`. */
async function eventually<T>(what: string, ms: number, check: () => Promise<T | null>): Promise<T> {
  const deadline = Date.now() + ms;
  for (;;) {
    const value = await check();
    if (value !== null) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 200));
  }
}

async function jobState(store: Store, id: string): Promise<JobState | null> {
  return (await store.getJob(id))?.state ?? null;
}

async function dailyIds(url: string, date: string): Promise<string[]> {
  const res = await fetch(`${url}/api/daily_papers?date=${date}&limit=100`);
  assert.equal(res.status, 200, `${url} /api/daily_papers?date=${date}`);
  return ((await res.json()) as { paper: { id: string } }[]).map((e) => e.paper.id).sort();
}

/** The paper ids of a recorded day, sorted; none for a day without a recording (the fake answers `[]`). */
const recordedIds = (date: string): string[] =>
  recordedDay(date) === null
    ? []
    : recordedEntries(date)
        .map((e) => (e.paper as { id: string }).id)
        .sort();

describe("two web replicas and a worker on one PostgreSQL database", () => {
  let db: TestDatabase;
  let store: Store;
  let hf: FakeHf;
  let dir: string;
  let env: Record<string, string>;
  let a: (Proc & { url: string }) | null = null;
  let b: (Proc & { url: string }) | null = null;
  let worker: Proc | null = null;

  before(async () => {
    db = await createTestDatabase("postgres");
    hf = await startFakeHf();
    dir = mkdtempSync(join(tmpdir(), "paperboy-replicas-"));
    env = {
      ...testEnv({ hf: hf.url }),
      // A hung request must outlast the moment the test kills the worker.
      PAPERBOY_HTTP_TIMEOUT: "60s",
      PAPERBOY_DB: db.url,
      PAPERBOY_DATA_DIR: dir,
      PAPERBOY_SECRET: "replicas-share-this-secret-0123456789abcdef",
      PAPERBOY_LOG_LEVEL: "info",
      PAPERBOY_SMTP_URL: "",
      PAPERBOY_BASE_URL: "",
      PAPERBOY_DEV_OUTBOX: "false",
    };
    // Migrations run once, before any replica starts (docs/DEPLOY.md).
    const migrated = await runCli(["migrate"], env);
    assert.equal(migrated.code, 0, migrated.stderr);
    assert.match(migrated.stdout, /applied 0001_papers/);
    store = await db.open();
    [a, b] = await Promise.all([
      startReplica({ ...env, PAPERBOY_WORKER: "off" }),
      startReplica({ ...env, PAPERBOY_WORKER: "off" }),
    ]);
    worker = spawnPaperboy(["worker", "--no-schedule"], env);
  });

  after(async () => {
    await Promise.all([stop(a), stop(b), stop(worker)]);
    await store?.close();
    assert.deepEqual(hf?.unplanned ?? [], []);
    await hf?.close();
    await db?.drop();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  test("each replica serves pages", async () => {
    for (const replica of [a, b]) {
      assert.ok(replica);
      const home = await fetch(`${replica.url}/`);
      assert.equal(home.status, 200, replica.log());
      assert.match(await home.text(), /<html/);
      const health = await fetch(`${replica.url}/health`);
      assert.equal(health.status, 200);
      assert.deepEqual(((await health.json()) as { store: unknown }).store, {
        dialect: "postgres",
        reachable: true,
      });
    }
  });

  test("a sync run by the worker is visible on both replicas", async () => {
    assert.ok(a && b && worker);
    const { id } = await store.enqueueJob({
      kind: "sync-hf",
      payload: { from: "2024-05-27", to: "2024-05-28" },
    });
    await eventually("the worker to finish the sync", 60_000, async () =>
      (await jobState(store, id)) === "succeeded" ? true : null,
    );
    for (const date of ["2024-05-27", "2024-05-28"]) {
      assert.deepEqual(await dailyIds(a.url, date), recordedIds(date), `${date} on replica A`);
      assert.deepEqual(await dailyIds(b.url, date), recordedIds(date), `${date} on replica B`);
    }
    const paper = recordedIds("2024-05-27")[0] ?? "";
    assert.equal((await fetch(`${a.url}/papers/${paper}`)).status, 200);
    assert.equal((await fetch(`${b.url}/papers/${paper}`)).status, 200);
  });

  test("a vote on one replica is visible on the other", async () => {
    assert.ok(a && b);
    const member = await signIn(store, await makeUser(store), new Date());
    const paper = recordedIds("2024-05-27")[0] ?? "";
    const upvotes = async (url: string) =>
      ((await (await fetch(`${url}/api/papers/${paper}`)).json()) as { upvotes: number }).upvotes;
    const before = await upvotes(b.url);
    const voted = await fetch(`${a.url}/papers/${paper}/vote`, {
      method: "POST",
      headers: { cookie: member.cookie, "x-csrf-token": member.csrf, accept: "application/json" },
    });
    assert.equal(voted.status, 200, a.log());
    assert.deepEqual(await voted.json(), { active: true, count: before + 1, localVotes: 1 });
    assert.equal(await upvotes(b.url), before + 1);
    // The member's session, kept in the database, is good on the other replica too.
    const settings = await fetch(`${b.url}/settings`, { headers: { cookie: member.cookie } });
    assert.equal(settings.status, 200);
  });

  test("with one replica killed (SIGKILL), the other keeps serving", async () => {
    assert.ok(a && b);
    await stop(a, "SIGKILL");
    a = null;
    const home = await fetch(`${b.url}/`);
    assert.equal(home.status, 200);
    assert.deepEqual(await dailyIds(b.url, "2024-05-27"), recordedIds("2024-05-27"));
    assert.equal((await fetch(`${b.url}/health`)).status, 200);
  });

  test("the worker killed mid-sync and restarted finishes the job, nothing doubled", async () => {
    assert.ok(b && worker);
    const days = ["2024-05-29", "2024-05-30", "2024-05-31", "2024-06-01", "2024-06-02", "2024-06-03"];
    const hangOn = "2024-05-31";
    hf.inject(forDay(hangOn), { hang: true });
    const asked = () => hf.datesRequested().filter((d) => d === hangOn).length;
    const { id } = await store.enqueueJob({
      kind: "sync-hf",
      payload: { from: days[0], to: days.at(-1) },
    });
    // The worker stored the days before the hung one, then waits on it: kill it there.
    await eventually("the worker to reach the hung day", 60_000, async () => (asked() > 0 ? true : null));
    await stop(worker, "SIGKILL");
    worker = null;
    assert.equal(await jobState(store, id), "running", "the killed worker's lease still holds the job");
    assert.deepEqual(
      await dailyIds(b.url, "2024-05-29"),
      recordedIds("2024-05-29"),
      "stored before the kill",
    );
    assert.deepEqual(await dailyIds(b.url, hangOn), [], "nothing of the day it died in");

    worker = spawnPaperboy(["worker", "--no-schedule"], env);
    // The restarted worker takes the job over once the dead one's lease (60 s) has run out.
    await eventually("the restarted worker to finish the job", 120_000, async () =>
      (await jobState(store, id)) === "succeeded" ? true : null,
    );
    for (const date of days) {
      assert.deepEqual(await dailyIds(b.url, date), recordedIds(date), `${date}: each entry once`);
    }
    const distinct = new Set(["2024-05-27", "2024-05-28", ...days].flatMap(recordedIds));
    assert.equal((await store.stats()).papers, distinct.size, "no paper doubled or lost");
    const job = await store.getJob(id);
    assert.equal(job?.attempts, 2, "the second attempt finished what the first began");
  });
});
