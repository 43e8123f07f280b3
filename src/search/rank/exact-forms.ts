import type { Analyzer } from "../../core/text/analyzer.ts";
import type { InvertedIndex } from "../index/inverted-index.ts";
import type { WeightedTerm } from "../index/retrieve.ts";
import { idf } from "./bm25.ts";

/**
 * Exact word forms on top of stems. Stemming joins "generative", "generation" and "generator" into one term,
 * which finds papers whatever form they use but cannot tell the paper that uses the reader's very word from
 * one that uses a cousin. So every word is indexed twice: its stem in the main index (with positions, for
 * phrases) and its exact form (folded, unstemmed) in a companion index without positions (`InvertedIndex.exact`),
 * both scored by the same BM25F. A query word contributes its stem's score plus, where the document has the
 * word exactly as typed,
 *
 *   exactWeight * idf(exact form) * tf~_exact / (k1 + tf~_exact)
 *
 * so the exact match ranks first and a stemmed match still counts. On the Hugging Face known-item queries
 * (a paper's own key phrases) this is what lifted the keyword mode past a plain, unstemmed BM25
 * (bench/search/README.md, "query families").
 */

/** Weight of an exact-form match against a stem match; 0 turns exact forms off. */
export const DEFAULT_EXACT_WEIGHT = 0.5;

/** The analyzer of the exact-form index: the same words (stop words dropped), not stemmed. */
export function exactFormAnalyzer(analyzer: Analyzer): Analyzer {
  return {
    analyze: (text) =>
      analyzer.analyze(text).map((t) => ({ term: t.token, position: t.position, token: t.token })),
    isStopWord: (token) => analyzer.isStopWord(token),
  };
}

/** The query's exact forms as weighted terms of `index.exact` (none when the index has no exact forms). */
export function exactTerms(
  index: InvertedIndex,
  forms: readonly string[],
  exactWeight: number,
): WeightedTerm[] {
  const exact = index.exact;
  if (exact === null || exactWeight <= 0) return [];
  const n = exact.documentCount;
  const out: WeightedTerm[] = [];
  for (const form of new Set(forms)) {
    const termId = exact.termId(form);
    if (termId < 0) continue;
    out.push({ termId, weight: (exactWeight * idf(exact.documentFrequency(termId), n)) / 255, index: exact });
  }
  return out;
}
