/**
 * The query families of `families.ts` (and the tuning run `families-tune.ts`), made only from the shared
 * sample data: known-item keywords, title phrases, summary sentences, author names and typos from the Hugging
 * Face daily papers, and SciFact train claims. Everything is seeded, so a seed and a limit give the same queries.
 */
import { readdirSync, readFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { readBeirCorpus, readBeirQrels, readBeirQueries } from "../../src/search/eval/beir.ts";
import type { SearchDocument } from "../../src/search/types.ts";

export interface Query {
  id: string;
  query: string;
  relevant: string[];
}

export interface Family {
  name: string;
  corpus: "hf" | "scifact";
  queries: Query[];
}

export interface HfPaper {
  id: string;
  title: string;
  summary: string;
  authors: string[];
  aiSummary: string;
  aiKeywords: string[];
}

// --- deterministic randomness -------------------------------------------------------------------------------

function rng(s: number): () => number {
  let a = s >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function hash(text: string): number {
  let h = 2166136261;
  for (let i = 0; i < text.length; i++) h = Math.imul(h ^ text.charCodeAt(i), 16777619);
  return h >>> 0;
}

/** The run's seed (set by `loadFamilies`). */
let seed = 1;
/** A generator seeded by the run's seed and a key, so each query's choices do not depend on the others. */
const rngFor = (key: string) => rng(hash(`${seed}:${key}`));

function sample<T>(items: readonly T[], n: number, key: string): T[] {
  const out = [...items];
  const random = rngFor(key);
  for (let i = out.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    [out[i], out[j]] = [out[j] as T, out[i] as T];
  }
  return out.slice(0, n);
}

// --- Hugging Face daily papers ------------------------------------------------------------------------------

const str = (v: unknown) => (typeof v === "string" ? v.replace(/\s+/g, " ").trim() : "");

function loadHf(data: string): HfPaper[] {
  const dir = resolve(data, "hf-daily", "raw");
  const papers = new Map<string, HfPaper>();
  for (const file of readdirSync(dir)
    .filter((f) => f.endsWith(".json"))
    .sort()) {
    const entries = JSON.parse(readFileSync(join(dir, file), "utf8")) as unknown;
    if (!Array.isArray(entries)) continue;
    for (const entry of entries) {
      const p = (entry as { paper?: Record<string, unknown> })?.paper;
      const id = str(p?.id);
      if (!p || id === "" || papers.has(id)) continue;
      const authors = Array.isArray(p.authors)
        ? p.authors.map((a) => str((a as { name?: unknown })?.name)).filter((n) => n !== "")
        : [];
      const keywords = Array.isArray(p.ai_keywords) ? p.ai_keywords.map(str).filter((k) => k !== "") : [];
      papers.set(id, {
        id,
        title: str(p.title),
        summary: str(p.summary),
        authors,
        aiSummary: str(p.ai_summary),
        aiKeywords: keywords,
      });
    }
  }
  return [...papers.values()].filter((p) => p.title !== "" || p.summary !== "");
}

function knownItem(papers: readonly HfPaper[]): Query[] {
  const out: Query[] = [];
  for (const p of papers) {
    const title = p.title.toLowerCase();
    const unseen = [...new Set(p.aiKeywords)].filter((k) => !title.includes(k.toLowerCase()));
    if (unseen.length < 2) continue;
    const [a, b] = sample(unseen, 2, `known-item:${p.id}`);
    out.push({ id: `known-item:${p.id}`, query: `${a} ${b}`, relevant: [p.id] });
  }
  return out;
}

function titlePhrase(papers: readonly HfPaper[]): Query[] {
  const out: Query[] = [];
  for (const p of papers) {
    const words = p.title.split(" ").filter((w) => w !== "");
    if (words.length < 3) continue;
    const random = rngFor(`title-phrase:${p.id}`);
    const length = 3 + Math.floor(random() * (Math.min(5, words.length) - 2));
    const start = Math.floor(random() * (words.length - length + 1));
    out.push({
      id: `title-phrase:${p.id}`,
      query: words.slice(start, start + length).join(" "),
      relevant: [p.id],
    });
  }
  return out;
}

function summarySentence(papers: readonly HfPaper[]): Query[] {
  const out: Query[] = [];
  for (const p of papers) {
    const first = p.aiSummary.split(/(?<=[.!?])\s+(?=[A-Z0-9])/)[0]?.trim() ?? "";
    if (first !== "") out.push({ id: `summary:${p.id}`, query: first, relevant: [p.id] });
  }
  return out;
}

function authorNames(papers: readonly HfPaper[]): Query[] {
  const byAuthor = new Map<string, Set<string>>();
  for (const p of papers) {
    for (const name of p.authors) {
      let ids = byAuthor.get(name);
      if (!ids) {
        ids = new Set();
        byAuthor.set(name, ids);
      }
      ids.add(p.id);
    }
  }
  const out: Query[] = [];
  for (const [name, ids] of byAuthor) {
    if (ids.size >= 2 && ids.size <= 20) out.push({ id: `author:${name}`, query: name, relevant: [...ids] });
  }
  return out;
}

/** One swap of two adjacent, different letters inside a word of 5+ letters (not its first letter). */
function typo(q: Query): Query | null {
  const random = rngFor(`typo:${q.id}`);
  const words = q.query.split(" ");
  const eligible = words.flatMap((w, i) => (/^\p{L}{5,}$/u.test(w) ? [i] : []));
  for (const w of sample(eligible, eligible.length, `typo-words:${q.id}`)) {
    const word = words[w] as string;
    const positions = [];
    for (let i = 1; i + 1 < word.length; i++) if (word[i] !== word[i + 1]) positions.push(i);
    if (positions.length === 0) continue;
    const i = positions[Math.floor(random() * positions.length)] as number;
    words[w] = word.slice(0, i) + word[i + 1] + word[i] + word.slice(i + 2);
    return { id: q.id.replace(/^known-item:/, "typo:"), query: words.join(" "), relevant: q.relevant };
  }
  return null;
}

export const FAMILY_NAMES = ["known-item", "title-phrase", "summary", "author", "typo", "scifact"] as const;

export interface FamilySet {
  hfDocs: SearchDocument[];
  scifactDocs: SearchDocument[];
  families: Family[];
}

/** Every family, each sampled (seeded) to `limit` queries; `only` keeps the named ones (typo needs known-item's). */
export async function loadFamilies(
  data: string,
  options: { seed: number; limit: number; only?: readonly string[] },
): Promise<FamilySet> {
  seed = options.seed;
  const { limit } = options;
  const hf = loadHf(data);
  const hfDocs: SearchDocument[] = hf.map((p) => ({
    id: p.id,
    title: p.title,
    abstract: p.summary,
    authors: p.authors,
    categories: [],
    publishedAt: null,
  }));
  const known = sample(knownItem(hf), limit, "known-item");
  const families: Family[] = [
    { name: "known-item", corpus: "hf", queries: known },
    { name: "title-phrase", corpus: "hf", queries: sample(titlePhrase(hf), limit, "title-phrase") },
    { name: "summary", corpus: "hf", queries: sample(summarySentence(hf), limit, "summary") },
    { name: "author", corpus: "hf", queries: sample(authorNames(hf), limit, "author") },
    { name: "typo", corpus: "hf", queries: known.flatMap((q) => typo(q) ?? []) },
  ];
  const wanted = (name: string) => options.only === undefined || options.only.includes(name);
  let scifactDocs: SearchDocument[] = [];
  if (wanted("scifact")) {
    const scifactDir = resolve(data, "scifact");
    const [docs, scifactQueries, scifactQrels] = await Promise.all([
      readBeirCorpus(resolve(scifactDir, "corpus.jsonl.gz")),
      readBeirQueries(resolve(scifactDir, "queries.jsonl")),
      readBeirQrels(resolve(scifactDir, "qrels", "train.tsv")),
    ]);
    scifactDocs = docs;
    const claims: Query[] = scifactQueries.flatMap((q) => {
      const judged = scifactQrels.get(q.id);
      const relevant = judged ? [...judged].filter(([, g]) => g > 0).map(([d]) => d) : [];
      return relevant.length === 0 ? [] : [{ id: `scifact:${q.id}`, query: q.text, relevant }];
    });
    families.push({ name: "scifact", corpus: "scifact", queries: sample(claims, limit, "scifact") });
  }
  return { hfDocs, scifactDocs, families: families.filter((f) => wanted(f.name)) };
}
