/**
 * Cost of the "did you mean" vocabulary scans, the part of a suggestion that grows with the library: one pass
 * over the engine's terms per unknown query word (`closestTerm`), and a second (`closestPrefixTerm`) when no
 * stem is close.
 *
 *   node --import tsx bench/search/suggest-latency.ts [--terms 1000000] [--queries 200]
 *
 * The vocabulary is generated: pseudo-words with the length spread of English stems (3-14 letters), document
 * frequencies from a Zipf law; queries are vocabulary words with one or two random edits.
 */
import { parseArgs } from "node:util";
import { closestPrefixTerm, closestTerm } from "../../src/search/service/suggest.ts";
import { Random } from "../../src/search/vector/random.ts";
import { timeEach } from "./timing.ts";

const { values } = parseArgs({
  options: { terms: { type: "string", default: "1000000" }, queries: { type: "string", default: "200" } },
});
const random = new Random(7);
const letters = "etaoinshrdlcumwfgypbvkjxqz";
const letter = () => letters[Math.floor(random.next() ** 1.6 * letters.length)] as string;
const size = Number(values.terms);
const seen = new Set<string>();
while (seen.size < size) {
  const length = 3 + Math.floor(random.next() * random.next() * 12);
  let w = "";
  for (let i = 0; i < length; i++) w += letter();
  seen.add(w);
}
const terms = [...seen];
const df = Uint32Array.from(terms, (_, i) => Math.max(1, Math.floor(1_000_000 / (i + 1))));
const edit = (w: string): string => {
  const i = Math.floor(random.next() * w.length);
  const kind = Math.floor(random.next() * 3);
  if (kind === 0) return w.slice(0, i) + w.slice(i + 1);
  if (kind === 1) return w.slice(0, i) + letter() + w.slice(i);
  return w.slice(0, i) + letter() + w.slice(i + 1);
};
const queries = Array.from({ length: Number(values.queries) }, () => {
  const w = terms[Math.floor(random.next() * Math.min(terms.length, 50_000))] as string;
  return w.length > 5 ? edit(edit(w)) : edit(w);
});
console.log(`${terms.length.toLocaleString("en")} terms, ${queries.length} misspelt words`);
await timeEach("closestTerm (one unknown word)", queries, (q) =>
  closestTerm(terms, df, q, q.length <= 5 ? 1 : 2),
);
// When no stem is close (a typo in a suffix), a second pass looks for the term that begins the word.
await timeEach("closestPrefixTerm (the fallback pass)", queries, (q) =>
  closestPrefixTerm(terms, df, `${q}aion`),
);
