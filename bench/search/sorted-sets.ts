/**
 * Whether the engine could answer a sort by date or upvotes by itself: does "the papers with all the words"
 * mean the same papers to the store (SQLite FTS5 `porter unicode61`, PostgreSQL `english` + `simple`
 * tsvectors) and to the engine (its own analyzer: tokenizer, stop words, Porter2)? Imports the given files
 * into a throwaway store, builds the engine's keyword index over the same papers, and for queries cut from
 * every paper's title (2-3 words) compares the store's all-words set (`match: "all"`) with the papers whose
 * engine postings hold every query stem. Prints how many sets agree and the words behind disagreements.
 *
 *   node --import tsx bench/search/sorted-sets.ts --db /tmp/sets.db \
 *     /path/to/shared/data/arxiv-abs/arxiv-metadata-snapshot.jsonl /path/to/shared/data/hf-daily/raw/2024-05-*.json
 *   (--db postgres://127.0.0.1:5432/test for PostgreSQL: the tables must be empty.)
 */
import { parseArgs } from "node:util";
import { parseSearchQuery } from "../../src/core/search-query.ts";
import { createAnalyzer } from "../../src/core/text/analyzer.ts";
import { importFiles } from "../../src/jobs/import-files.ts";
import { buildKeywordIndex } from "../../src/search/index/build.ts";
import { END } from "../../src/search/index/inverted-index.ts";
import type { SearchDocument } from "../../src/search/types.ts";
import { Random } from "../../src/search/vector/random.ts";
import { openStore } from "../../src/store/open.ts";

const { values, positionals } = parseArgs({
  allowPositionals: true,
  options: {
    db: { type: "string" },
    queries: { type: "string", default: "1000" },
    seed: { type: "string", default: "1" },
  },
});
if (!values.db || positionals.length === 0) throw new Error("--db and files to import are required");
const store = await openStore(
  values.db.startsWith("postgres")
    ? { kind: "postgres", url: values.db }
    : { kind: "sqlite", path: values.db },
);
await importFiles(store, positionals);
const docs: SearchDocument[] = [];
for await (const p of store.iteratePapers({ batchSize: 2000 })) {
  docs.push({ id: p.id, title: p.title, abstract: p.abstract, authors: p.authors });
}
const analyzer = createAnalyzer();
const index = buildKeywordIndex(docs, analyzer);
const ids = index.data.ids;

/** Documents whose postings hold every stem of the query's words (the engine's "all the words"). */
function engineSet(terms: readonly string[]): Set<string> {
  const stems = [...new Set(terms.flatMap((t) => analyzer.analyze(t).map((a) => a.term)))];
  if (stems.length === 0) return new Set();
  const lists = stems.map((s) => index.termId(s));
  if (lists.some((id) => id < 0)) return new Set();
  const cursors = lists.map((id) => index.cursor(id));
  const out = new Set<string>();
  let doc = 0;
  for (;;) {
    let agreed = true;
    for (const c of cursors) {
      const at = c.advance(doc);
      if (at === END) return out;
      if (at !== doc) {
        doc = at;
        agreed = false;
        break;
      }
    }
    if (agreed) out.add(ids[doc] as string);
    if (agreed) doc++;
  }
}

async function storeSet(text: string): Promise<{ ids: Set<string>; total: number }> {
  const parsed = parseSearchQuery(text);
  const out = new Set<string>();
  let total = 0;
  for (let offset = 0; offset < 1000; offset += 100) {
    const r = await store.search.search({ text, parsed, match: "all", sort: "date", offset, limit: 100 });
    total = r.total;
    for (const h of r.hits) out.add(h.paper.id);
    if (r.hits.length < 100) break;
  }
  return { ids: out, total };
}

const random = new Random(Number(values.seed));
const count = Math.min(Number(values.queries), docs.length);
let same = 0;
let compared = 0;
const culprits = new Map<string, number>();
const examples: string[] = [];
for (let i = 0; i < count; i++) {
  const doc = docs[Math.floor(random.next() * docs.length)] as SearchDocument;
  const words = doc.title.split(/\s+/).filter((w) => w !== "");
  const n = 2 + Math.floor(random.next() * 2);
  const from = Math.floor(random.next() * Math.max(1, words.length - n));
  const text = words.slice(from, from + n).join(" ");
  const parsed = parseSearchQuery(text);
  if (parsed.problem !== null || parsed.terms.length === 0) continue;
  const theirs = await storeSet(text);
  if (theirs.total > 1000) continue; // only sets the store lists whole
  compared++;
  const mine = engineSet(parsed.terms);
  const differs = mine.size !== theirs.ids.size || [...mine].some((id) => !theirs.ids.has(id));
  if (!differs) {
    same++;
    continue;
  }
  // Which word makes the difference: the one whose one-word sets differ.
  for (const t of parsed.terms) {
    const a = engineSet([t]);
    const b = await storeSet(t);
    if (b.total <= 1000 && (a.size !== b.ids.size || [...a].some((id) => !b.ids.has(id)))) {
      culprits.set(t, (culprits.get(t) ?? 0) + 1);
    }
  }
  if (examples.length < 15) examples.push(`"${text}": engine ${mine.size}, store ${theirs.ids.size}`);
}
console.log(
  `${docs.length} papers; ${compared} queries compared (store sets up to 1,000), ${same} identical (${((100 * same) / Math.max(1, compared)).toFixed(1)}%)`,
);
console.log("examples:", examples.join("; "));
console.log(
  "words whose sets differ (times):",
  [...culprits.entries()]
    .sort((a, b) => b[1] - a[1])
    .slice(0, 40)
    .map(([w, n]) => `${w} ${n}`)
    .join(", "),
);
await store.close();
