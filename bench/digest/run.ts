/**
 * Digest throughput: render and hand to a local SMTP sink N personalised digests (trending plus
 * recommendations from each reader's upvotes and library), through the same code path as `paperboy digest
 * send` (plan, claim, compose, fix content, render, SMTP, mark sent), on a fresh SQLite store.
 *
 *     node --import tsx bench/digest/run.ts [--subscribers 100000] [--papers 2000] [--concurrency 8]
 *
 * Prints per-digest time, throughput, and resident memory sampled during the run (flat memory = no growth
 * with the number of digests sent).
 */
import { fork } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { parseArgs } from "node:util";
import { runDigests } from "../../src/jobs/digests.ts";
import { silentLogger } from "../../src/log.ts";
import { createSmtpMailer } from "../../src/mail/smtp.ts";
import { openSqliteStore } from "../../src/store/sqlite.ts";
import { seedBench } from "./seed.ts";

const { values } = parseArgs({
  options: {
    subscribers: { type: "string", default: "100000" },
    papers: { type: "string", default: "2000" },
    concurrency: { type: "string", default: "8" },
  },
});
const subscribers = Number(values.subscribers);
const papers = Number(values.papers);
const concurrency = Number(values.concurrency);
const out = (line: string) => process.stdout.write(`${line}\n`);

const dir = mkdtempSync(join(tmpdir(), "paperboy-digest-bench-"));
const path = join(dir, "bench.db");
const sink = fork(new URL("./sink.ts", import.meta.url).pathname, [], { execArgv: ["--import", "tsx"] });
try {
  const port = await new Promise<number>((resolve) =>
    sink.once("message", (m: { port: number }) => resolve(m.port)),
  );
  const migrated = openSqliteStore(path);
  await migrated.migrate();
  await migrated.close();
  let t = performance.now();
  seedBench(path, { papers, subscribers, dueAt: "2026-11-26T08:00:00.000Z" });
  out(
    `seeded ${papers} papers, ${subscribers} members with subscriptions in ${((performance.now() - t) / 1000).toFixed(1)} s`,
  );

  const store = openSqliteStore(path);
  const mailer = createSmtpMailer({
    url: `smtp://127.0.0.1:${port}?maxConnections=${concurrency}`,
    from: "bench@paperboy.test",
    logger: silentLogger,
  });
  const rss: number[] = [];
  let done = 0;
  const sampler = setInterval(() => {
    rss.push(process.memoryUsage().rss);
    out(`  ${done} digests, rss ${(process.memoryUsage().rss / 2 ** 20).toFixed(0)} MiB`);
  }, 10_000);
  t = performance.now();
  const result = await runDigests(
    {
      store,
      mailer,
      secret: "b".repeat(40),
      baseUrl: "http://paperboy.test",
      outbound: { allowHosts: [] },
      logger: silentLogger,
    },
    { at: new Date("2026-11-26T09:00:00Z"), concurrency, batch: 200, onDelivered: () => done++ },
  );
  const seconds = (performance.now() - t) / 1000;
  clearInterval(sampler);
  const stats = await new Promise<{ messages: number; bytes: number }>((resolve) => {
    sink.once("message", (m: { messages: number; bytes: number }) => resolve(m));
    sink.send({ type: "stats" });
  });
  await mailer.close();
  await store.close();
  out(`result: ${JSON.stringify(result)}`);
  out(`sink received ${stats.messages} messages, ${(stats.bytes / 2 ** 20).toFixed(1)} MiB`);
  out(
    `${result.sent} digests in ${seconds.toFixed(1)} s: ${(result.sent / seconds).toFixed(1)} digests/s, ${((seconds * 1000) / result.sent).toFixed(2)} ms per digest`,
  );
  out(`projected for 100,000: ${(100_000 / (result.sent / seconds) / 60).toFixed(1)} min`);
  if (rss.length > 0) {
    out(
      `rss MiB over the run: first ${((rss[0] as number) / 2 ** 20).toFixed(0)}, max ${(Math.max(...rss) / 2 ** 20).toFixed(0)}, last ${((rss.at(-1) as number) / 2 ** 20).toFixed(0)}`,
    );
  }
} finally {
  sink.send({ type: "stop" });
  rmSync(dir, { recursive: true, force: true });
}
