/**
 * Recommendation quality on real papers: libraries sampled from the shared Hugging Face daily lists (about
 * 9,500 papers with authors and AI key phrases), 20% of each held out; how many held-out papers come back in
 * the top 20 (recall@20, nDCG@20) from the whole collection minus the kept library.
 *
 *     node --import tsx bench/recs/quality.ts [--libraries 40] [--seed 7] [--params '{"sizePrior":0}']
 *
 * Libraries: an author's papers ("author"), the papers carrying one key phrase ("phrase"), and readers with
 * three such interests, each a library tag ("mixed, tagged"; and the same without tags). Methods: this
 * model (a profile per tag and clusters of the rest), the same model as one centroid (what recommendations
 * were before per-tag profiles), a key-phrase profile (the library's AI key phrases weighted by idf, scoring
 * a candidate by the phrases it shares) and trending (most upvoted, the same for everyone).
 */
import { mkdtempSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { parseArgs } from "node:util";
import { sharedData } from "../../scripts/paths.ts";
import type { ArxivId, Paper } from "../../src/core/index.ts";
import { ndcgAt, recallAt } from "../../src/search/eval/metrics.ts";
import { RecommendationCorpus, type RecommendParams, type Signal } from "../../src/search/recommend/index.ts";
import { parseHfDailyEntry } from "../../src/sources/hf/entry.ts";
import { openSqliteStore } from "../../src/store/sqlite.ts";

const { values } = parseArgs({
  options: {
    libraries: { type: "string", default: "40" },
    seed: { type: "string", default: "7" },
    /** Overrides of the model's parameters (JSON), to try a change before making it the default. */
    params: { type: "string", default: "{}" },
  },
});
const perKind = Number(values.libraries);
const K = 20;
const out = (line: string) => process.stdout.write(`${line}\n`);

function random(seed: number): () => number {
  let a = seed;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
const rand = random(Number(values.seed));
function shuffle<T>(list: T[]): T[] {
  for (let i = list.length - 1; i > 0; i--) {
    const j = Math.floor(rand() * (i + 1));
    [list[i], list[j]] = [list[j] as T, list[i] as T];
  }
  return list;
}

// 1. The shared daily lists, into a throwaway store (so papers are what the store gives back).
const dir = mkdtempSync(join(tmpdir(), "paperboy-recs-bench-"));
const store = openSqliteStore(join(dir, "recs.db"));
await store.migrate();
const rawDir = sharedData("hf-daily", "raw");
const upvotes = new Map<string, number>();
for (const file of readdirSync(rawDir)
  .filter((f) => f.endsWith(".json"))
  .sort()) {
  const entries = JSON.parse(readFileSync(join(rawDir, file), "utf8")) as unknown[];
  const items = [];
  for (const e of entries) {
    try {
      items.push(parseHfDailyEntry(e, file.slice(0, 10) as never));
    } catch {
      // A malformed entry is left out, as the importer does.
    }
  }
  for (const it of items) {
    upvotes.set(it.paper.id, Math.max(upvotes.get(it.paper.id) ?? 0, it.daily.upvotes));
  }
  await store.ingest({ papers: items.map((i) => i.paper), daily: items.map((i) => i.daily) });
}
const ids = [...upvotes.keys()].sort() as ArxivId[];
const papers: Paper[] = [];
for (let i = 0; i < ids.length; i += 500) papers.push(...(await store.getPapers(ids.slice(i, i + 500))));
await store.close();
rmSync(dir, { recursive: true, force: true });
const byId = new Map(papers.map((p) => [p.id as string, p]));
out(`${papers.length} papers from ${rawDir.split("/").slice(-2).join("/")}`);

// 2. Groups: an author's papers, or the papers sharing a key phrase (15 to 60 each).
const groups = new Map<string, string[]>();
const add = (key: string, id: string) => {
  const list = groups.get(key);
  if (list) list.push(id);
  else groups.set(key, [id]);
};
for (const p of papers) {
  for (const a of new Set(p.authors)) add(`author:${a}`, p.id);
  for (const k of new Set(p.aiKeywords.map((k) => k.toLowerCase()))) add(`phrase:${k}`, p.id);
}
const eligible = (prefix: string) =>
  shuffle(
    [...groups].filter(([key, list]) => key.startsWith(prefix) && list.length >= 15 && list.length <= 60),
  );
const authorGroups = eligible("author:").slice(0, perKind);
const phraseGroups = eligible("phrase:").slice(0, perKind);

interface Library {
  kind: string;
  kept: Signal[];
  held: Set<string>;
  /** The key phrases that made the library (a key-phrase profile that knows them has seen the answer). */
  defining: Set<string>;
}

/** Holds out 20% of each group (at least one), keeping the rest as library items with `tag`. */
function split(members: readonly string[], tag: string | null, taken: Set<string>) {
  const list = shuffle(members.filter((id) => !taken.has(id)));
  for (const id of list) taken.add(id);
  const nHeld = Math.max(1, Math.round(list.length * 0.2));
  const held = list.slice(0, nHeld);
  const kept: Signal[] = list.slice(nHeld).map((id) => ({
    paper: byId.get(id) as Paper,
    kind: "saved",
    ...(tag ? { tags: [tag] } : {}),
  }));
  return { held, kept };
}

const definingOf = (keys: readonly string[]) =>
  new Set(keys.filter((k) => k.startsWith("phrase:")).map((k) => k.slice(7)));
const libraries: Library[] = [];
for (const [kind, chosen] of [
  ["author", authorGroups],
  ["phrase", phraseGroups],
] as const) {
  for (const [key, members] of chosen) {
    const { held, kept } = split(members, null, new Set());
    libraries.push({ kind, kept, held: new Set(held), defining: definingOf([key]) });
  }
}
const pool = shuffle([...authorGroups, ...phraseGroups]);
for (
  let i = 0;
  i + 2 < pool.length && libraries.filter((l) => l.kind === "mixed, tagged").length < perKind;
  i += 3
) {
  const taken = new Set<string>();
  const kept: Signal[] = [];
  const held = new Set<string>();
  const defining = definingOf(pool.slice(i, i + 3).map(([key]) => key));
  for (const [key, members] of pool.slice(i, i + 3)) {
    const part = split(members, key.replace(/^[a-z]+:/, "").slice(0, 40), taken);
    kept.push(...part.kept);
    for (const id of part.held) held.add(id);
  }
  libraries.push({ kind: "mixed, tagged", kept, held, defining });
  libraries.push({
    kind: "mixed, untagged",
    kept: kept.map(({ paper, kind }) => ({ paper, kind })),
    held,
    defining,
  });
}

// 3. Methods.
const idf = new Map<string, number>();
for (const [key, list] of groups) {
  if (key.startsWith("phrase:")) idf.set(key.slice(7), Math.log(1 + papers.length / list.length));
}
const trending = [...papers].sort(
  (a, b) => (upvotes.get(b.id) ?? 0) - (upvotes.get(a.id) ?? 0) || (a.id < b.id ? -1 : 1),
);

function keywordProfile(lib: Library, fair: boolean): string[] {
  const weight = new Map<string, number>();
  for (const s of lib.kept) {
    for (const k of new Set(s.paper.aiKeywords.map((k) => k.toLowerCase()))) {
      if (fair && lib.defining.has(k)) continue;
      weight.set(k, (weight.get(k) ?? 0) + (idf.get(k) ?? 0));
    }
  }
  const own = new Set(lib.kept.map((s) => s.paper.id as string));
  return papers
    .filter((p) => !own.has(p.id))
    .map((p) => ({
      id: p.id as string,
      score: [...new Set(p.aiKeywords.map((k) => k.toLowerCase()))].reduce(
        (s, k) => s + (weight.get(k) ?? 0),
        0,
      ),
    }))
    .filter((x) => x.score > 0)
    .sort((a, b) => b.score - a.score || (upvotes.get(b.id) ?? 0) - (upvotes.get(a.id) ?? 0))
    .slice(0, K)
    .map((x) => x.id);
}

const corpus = new RecommendationCorpus(papers, JSON.parse(values.params) as Partial<RecommendParams>);
const single: Partial<RecommendParams> = { maxClusters: 1, profileDecay: 1, sizePrior: 0, authorWeight: 0 };
const singleCorpus = new RecommendationCorpus(papers, single);
const methods: Record<string, (lib: Library) => string[]> = {
  "profiles (this model)": (lib) => corpus.recommend(lib.kept, new Set(), K).map((r) => r.paper.id),
  "one centroid": (lib) =>
    singleCorpus
      .recommend(
        lib.kept.map(({ paper, kind }) => ({ paper, kind })),
        new Set(),
        K,
      )
      .map((r) => r.paper.id),
  "key-phrase profile, without the defining phrase": (lib) => keywordProfile(lib, true),
  "key-phrase profile, defining phrase included (leaks the answer)": (lib) => keywordProfile(lib, false),
  trending: (lib) => {
    const own = new Set(lib.kept.map((s) => s.paper.id as string));
    return trending
      .filter((p) => !own.has(p.id))
      .slice(0, K)
      .map((p) => p.id);
  },
};

// 4. Scores per kind of library.
const kinds = [...new Set(libraries.map((l) => l.kind))];
out(
  `${libraries.length} libraries (${kinds.map((k) => `${libraries.filter((l) => l.kind === k).length} ${k}`).join(", ")}), 20% held out, top ${K}`,
);
out("");
out(`| method | ${kinds.map((k) => `${k} R@${K} | ${k} nDCG@${K}`).join(" | ")} |`);
out(`| --- | ${kinds.map(() => "--- | ---").join(" | ")} |`);
for (const [name, run] of Object.entries(methods)) {
  const cells: string[] = [];
  const started = performance.now();
  for (const kind of kinds) {
    const libs = libraries.filter((l) => l.kind === kind);
    let r = 0;
    let n = 0;
    for (const lib of libs) {
      const ranked = run(lib);
      const judgments = new Map([...lib.held].map((id) => [id, 1]));
      r += recallAt(ranked, judgments, K);
      n += ndcgAt(ranked, judgments, K);
    }
    cells.push((r / libs.length).toFixed(3), (n / libs.length).toFixed(3));
  }
  out(`| ${name} | ${cells.join(" | ")} |  <!-- ${((performance.now() - started) / 1000).toFixed(1)} s -->`);
}
