/**
 * Latency of pathological queries through the product's search service (`SearchService.search`): 10,000
 * characters, only operators, unbalanced quotes, 500 words, in each mode and sorted by relevance and by date.
 * Each must answer (no exception) with a note or a problem saying what was done with it; the p50 and p95 of
 * each case are printed, and any case whose p95 passes the 100 ms budget is marked.
 *
 * On the shared Hugging Face papers (../shared/data), in a throwaway directory:
 *
 *   PAPERBOY_DB=/tmp/pb/p.db PAPERBOY_DATA_DIR=/tmp/pb/data paperboy import ../shared/data/hf-daily/raw/*.json
 *   PAPERBOY_DB=/tmp/pb/p.db PAPERBOY_DATA_DIR=/tmp/pb/data paperboy embed --rebuild
 *   node --import tsx bench/search/pathological.ts --db /tmp/pb/p.db --data-dir /tmp/pb/data [--runs 40]
 *
 * The 500 words are distinct words of the library's own titles, so every one of them is searched for real.
 */
import { parseArgs } from "node:util";
import type { SearchMode } from "../../src/search/engine.ts";
import { createSearchService, type PaperQuery } from "../../src/search/service/index.ts";
import { openStore } from "../../src/store/open.ts";
import { percentile } from "./timing.ts";

const { values } = parseArgs({
  options: {
    db: { type: "string" },
    "data-dir": { type: "string" },
    runs: { type: "string", default: "40" },
  },
});
if (!values.db || !values["data-dir"]) throw new Error("--db and --data-dir are required");
const runs = Math.max(1, Number(values.runs));
const BUDGET_MS = 100;

const store = await openStore(
  values.db.startsWith("postgres")
    ? { kind: "postgres", url: values.db }
    : { kind: "sqlite", path: values.db },
);
const service = createSearchService({ store, dataDir: values["data-dir"] });
const status = await service.status();
if (status.engine === null) throw new Error("no search engine for this store: run paperboy embed --rebuild");

/** Distinct lower-case words of the newest papers' titles, as many as asked for. */
async function libraryWords(count: number): Promise<string[]> {
  const words = new Set<string>();
  for (let offset = 0; words.size < count && offset < 5_000; offset += 100) {
    const listed = await store.search.filter({ filters: {}, sort: "date", offset, limit: 100 });
    if (listed.hits.length === 0) break;
    for (const hit of listed.hits)
      for (const w of hit.paper.title.toLowerCase().split(/[^a-z]+/)) if (w.length > 3) words.add(w);
  }
  return [...words].slice(0, count);
}

const words = await libraryWords(500);
const CASES: Record<string, string> = {
  // Not pathological: the ordinary query the 10,000-character case repeats, for comparison.
  "(ordinary: diffusion models ...)": "diffusion models for image generation",
  "10,000 characters (one word)": "x".repeat(10_000),
  "10,000 characters (real words)": "diffusion models for image generation ".repeat(264).slice(0, 10_000),
  "only operators": "AND OR NOT ( ) * ^ : - + ~ || && \\ { } [ ] ".repeat(20),
  "unbalanced quotes": '"diffusion "models "for image" "generation "with "transformers',
  "500 words": words.join(" "),
};

await service.search({ q: "warm up", mode: "hybrid" });
console.log(
  `${status.storePapers} papers; engine of ${status.engine.papers}; ${runs} runs per case; budget p95 <= ${BUDGET_MS} ms`,
);
const modes: SearchMode[] = ["hybrid", "keyword", "vector"];
const sorts: NonNullable<PaperQuery["sort"]>[] = ["relevance", "date"];
for (const [name, q] of Object.entries(CASES)) {
  for (const mode of modes) {
    for (const sort of sorts) {
      const times: number[] = [];
      let said = "";
      for (let i = 0; i < runs + 3; i++) {
        const started = performance.now();
        const r = await service.search({ q, mode, sort });
        if (i >= 3) times.push(performance.now() - started);
        said = r.problem ?? r.notes[0] ?? "(no note)";
      }
      times.sort((a, b) => a - b);
      const p95 = percentile(times, 95);
      const label = `${name}, ${mode}, ${sort}`;
      console.log(
        `${label.padEnd(52)} p50 ${percentile(times, 50).toFixed(2).padStart(7)} ms  p95 ${p95
          .toFixed(2)
          .padStart(7)} ms${p95 > BUDGET_MS ? "  OVER BUDGET" : ""}  · ${said.slice(0, 70)}`,
      );
    }
  }
}
await store.close();
