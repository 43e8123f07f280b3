/**
 * The memory of a full build's first two phases alone, at any size: the store's papers read into the build's
 * documents (`PackedDocuments`, as `service/build.ts` holds them) and the keyword index built from them
 * (`buildKeywordIndex`: the stem index with positions, then the exact-form index). Prints each phase's time
 * and RSS and the process's peak (VmHWM). At a million papers the full build's peak is in the keyword index,
 * so this measures a change there in minutes instead of the full build's half hour.
 *
 *   node --import tsx bench/search/keyword-build.ts --db /tmp/p1m/p.db
 */
import { readFileSync } from "node:fs";
import { parseArgs } from "node:util";
import { createAnalyzer } from "../../src/core/text/analyzer.ts";
import { PackedDocuments } from "../../src/search/documents.ts";
import { buildKeywordIndex } from "../../src/search/index/build.ts";
import { openStore } from "../../src/store/open.ts";

const { values } = parseArgs({ options: { db: { type: "string" } } });
if (!values.db) throw new Error("--db is required (a SQLite file or a postgres:// URL)");
const store = await openStore(
  values.db.startsWith("postgres")
    ? { kind: "postgres", url: values.db }
    : { kind: "sqlite", path: values.db },
);

const gib = (bytes: number) => `${(bytes / 2 ** 30).toFixed(2)} GiB`;
const peak = () => {
  const kib = /^VmHWM:\s+(\d+) kB/m.exec(readFileSync("/proc/self/status", "utf8"))?.[1];
  return kib === undefined ? "?" : gib(Number(kib) * 1024);
};

let started = performance.now();
const docs = new PackedDocuments();
for await (const paper of store.iteratePapers({ batchSize: 2_000 })) {
  if (paper.withdrawnAt !== null) continue;
  docs.push({ id: paper.id, title: paper.title, abstract: paper.abstract, authors: paper.authors });
}
await store.close();
console.log(
  `read ${docs.length} papers in ${((performance.now() - started) / 1000).toFixed(1)} s: ` +
    `RSS ${gib(process.memoryUsage().rss)}, peak ${peak()}`,
);
started = performance.now();
const index = buildKeywordIndex(docs, createAnalyzer());
console.log(
  `keyword index (${index.termCount} terms) built in ${((performance.now() - started) / 1000).toFixed(1)} s: ` +
    `RSS ${gib(process.memoryUsage().rss)}, peak ${peak()}`,
);
