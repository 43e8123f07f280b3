/**
 * For-you latency: a member with a 500-paper library (five tags and untagged items), upvotes and thumbs, over
 * a large generated store (bench/web/seed.ts), through the same call the page and `/api/for-you` make
 * (`forYou`: read the reader's signals and ledger, score against the shared corpus, record what is shown).
 *
 *     node --import tsx bench/recs/latency.ts [--papers 200000] [--library 500] [--requests 200] [--db FILE]
 *
 * `--db` keeps (and on a later run reuses) the generated store. Prints the store's size and seeding time, the
 * corpus build (once per app per 10 minutes, not per request), then p50/p95/p99 of For-you requests, half
 * on the same day (a reload: the day's list again) and half on later days (new lists).
 */
import { existsSync, mkdtempSync, rmSync } from "node:fs";
import { cpus, loadavg, tmpdir } from "node:os";
import { join } from "node:path";
import { parseArgs } from "node:util";
import type { ArxivId } from "../../src/core/index.ts";
import { buildCorpus, forYou } from "../../src/search/recommend/index.ts";
import { openSqliteStore } from "../../src/store/sqlite.ts";
import { seedLibrary } from "../web/seed.ts";

const { values } = parseArgs({
  options: {
    papers: { type: "string", default: "200000" },
    library: { type: "string", default: "500" },
    requests: { type: "string", default: "200" },
    db: { type: "string" },
  },
});
const papers = Number(values.papers);
const librarySize = Number(values.library);
const requests = Number(values.requests);
const out = (line: string) => process.stdout.write(`${line}\n`);

const dir = values.db ? null : mkdtempSync(join(tmpdir(), "paperboy-recs-latency-"));
const path = values.db ?? join(dir as string, "recs.db");
const fresh = !existsSync(path);
const store = openSqliteStore(path);
try {
  await store.migrate();
  if (fresh) {
    const t = performance.now();
    await seedLibrary(store, {
      papers,
      onProgress: (done) => {
        if (done % 50_000 === 0) out(`  seeded ${done} papers`);
      },
    });
    out(`seeded ${papers} papers in ${((performance.now() - t) / 1000).toFixed(1)} s`);
  }
  const stored = await store.search.filter({ filters: {}, sort: "date", limit: 1 });
  out(
    `store: ${stored.total}${stored.total >= 10_000 ? "+" : ""} papers, newest ${stored.hits[0]?.paper.publishedAt}`,
  );

  // The member: a library of `librarySize` papers spread over the store, a tenth of them in each of five tags.
  const now = new Date();
  let user = await store.accounts.getUserByEmail("reader@bench.test");
  if (!user) {
    user = await store.accounts.createUser({
      email: "reader@bench.test",
      name: "Reader",
      password: "correct horse battery",
      role: "member",
      verified: true,
    });
    const sample: ArxivId[] = [];
    for (let offset = 0; sample.length < librarySize; offset += 100) {
      const page = await store.search.filter({ filters: {}, sort: "date", offset: offset * 7, limit: 100 });
      if (page.hits.length === 0) break;
      sample.push(...page.hits.filter((_, i) => i % 3 === 0).map((h) => h.paper.id));
    }
    const tags = ["rl", "diffusion", "graphs", "speech", "theory"];
    for (const [i, id] of sample.slice(0, librarySize).entries()) {
      const tag = i % 2 === 0 ? [tags[(i / 2) % tags.length] as string] : [];
      await store.community.saveToLibrary(user.id, id, { tags: tag });
    }
    for (const id of sample.slice(librarySize, librarySize + 50))
      await store.community.setVote(user.id, id, true);
    const extra = sample.slice(librarySize + 50, librarySize + 70);
    for (const [i, id] of extra.entries()) await store.recommend.setThumb(user.id, id, i % 2 ? "up" : "down");
  }
  const library = await store.community.library(user.id, { limit: 1 });
  out(`member: ${library.total} library papers, 50 upvotes, 20 thumbs`);

  let t = performance.now();
  const corpus = await buildCorpus(store, now);
  out(
    `corpus: ${corpus.size} candidates built in ${(performance.now() - t).toFixed(0)} ms (once per 10 min)`,
  );

  const times: number[] = [];
  // CPU time of the request's thread (better-sqlite3 runs in it): what the request costs on an idle machine.
  const cpu: number[] = [];
  let shown = 0;
  for (let i = 0; i < requests; i++) {
    // Half reloads on one day, half on successive days (each a new list, the ledger growing).
    const day = i < requests / 2 ? 0 : i - requests / 2 + 1;
    const at = new Date(now.getTime() + day * 86_400_000);
    t = performance.now();
    const c0 = process.cpuUsage();
    const recs = await forYou(store, corpus, user.id, 20, at);
    const c1 = process.cpuUsage(c0);
    times.push(performance.now() - t);
    cpu.push((c1.user + c1.system) / 1000);
    shown += recs.length;
  }
  const quantiles = (list: number[]) => {
    const sorted = [...list].sort((a, b) => a - b);
    const q = (p: number) =>
      (sorted[Math.min(sorted.length - 1, Math.floor(p * sorted.length))] as number).toFixed(1);
    return `p50 ${q(0.5)} ms, p95 ${q(0.95)} ms, p99 ${q(0.99)} ms, max ${q(1)} ms`;
  };
  out(`for-you (20 papers, ${requests} requests, ${(shown / requests).toFixed(1)} papers each)`);
  out(`  wall: ${quantiles(times)}`);
  out(`  cpu:  ${quantiles(cpu)}`);
  out(`  load average while measuring: ${loadavg()[0]?.toFixed(1)} on ${cpus().length} cores`);
} finally {
  await store.close();
  if (dir) rmSync(dir, { recursive: true, force: true });
}
