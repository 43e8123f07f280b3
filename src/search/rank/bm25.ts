/**
 * BM25F (Robertson, Zaragoza & Taylor 2004): the fields' term frequencies are length-normalised each with its
 * own `b`, weighted and summed into one pseudo-frequency, which then saturates once:
 *
 *   tf~(t, d)  = sum over fields f of  weight_f * tf_f / (1 - b_f + b_f * len_f / avgLen_f)
 *   score(q,d) = sum over query terms t of  queryWeight_t * idf(t) * tf~ / (k1 + tf~)
 *   idf(t)     = ln(1 + (N - df + 0.5) / (df + 0.5))
 *
 * The saturated part `tf~ / (k1 + tf~)`, in [0, 1), is computed when indexing and kept as an 8-bit impact;
 * idf and the query weight multiply it at query time.
 */

export const FIELDS = ["title", "authors", "abstract"] as const;
export type Field = (typeof FIELDS)[number];

export interface FieldParams {
  /** How much one occurrence in this field counts against one in the abstract. */
  weight: number;
  /** Length normalisation in [0, 1]: 0 ignores the field's length, 1 divides fully by it. */
  b: number;
}

export interface Bm25Params {
  /** Term-frequency saturation: how fast repeated occurrences stop adding. */
  k1: number;
  fields: Record<Field, FieldParams>;
  /**
   * Weight of a word's exact (unstemmed) form on top of its stem, at query time (`exact-forms.ts`); 0 scores
   * stems only. Default DEFAULT_EXACT_WEIGHT.
   */
  exactWeight?: number;
  /**
   * Weight of successive query words kept together in a document, at query time (`proximity.ts`); 0 turns
   * it off. Default DEFAULT_PROXIMITY.pairWeight.
   */
  pairWeight?: number;
}

/**
 * Defaults: a title word counts twice an abstract word, author names in between, mild length normalisation,
 * k1 0.9. SciFact's nDCG@10 is flat (0.692-0.703) over k1 0.9-1.6, title weight 1-3 and abstract b 0.4-0.9; on
 * the Hugging Face known-item queries k1 0.9 beat 1.2 by 2 points, and a lighter title (1.2-1.6) helped them
 * but cost the title-phrase and author families more (bench/search/README.md, "query families").
 */
export const DEFAULT_BM25: Bm25Params = {
  k1: 0.9,
  fields: {
    title: { weight: 2, b: 0.6 },
    authors: { weight: 1.5, b: 0.5 },
    abstract: { weight: 1, b: 0.75 },
  },
};

/** Inverse document frequency of a term found in `df` of `n` documents (never negative). */
export function idf(df: number, n: number): number {
  return Math.log(1 + (n - df + 0.5) / (df + 0.5));
}

/** The field-weighted, length-normalised pseudo term frequency tf~ of one term in one document. */
export function pseudoFrequency(
  tf: Readonly<Record<Field, number>>,
  length: Readonly<Record<Field, number>>,
  averageLength: Readonly<Record<Field, number>>,
  params: Bm25Params,
): number {
  let sum = 0;
  for (const field of FIELDS) {
    const f = tf[field];
    if (f === 0) continue;
    const { weight, b } = params.fields[field];
    const avg = averageLength[field] || 1;
    sum += (weight * f) / (1 - b + (b * length[field]) / avg);
  }
  return sum;
}

/** The saturated term frequency tf~ / (k1 + tf~), in [0, 1). */
export function saturate(pseudoTf: number, k1: number): number {
  return pseudoTf / (k1 + pseudoTf);
}

/** A saturation in [0, 1) as an 8-bit impact, at least 1 for any occurrence. */
export function quantizeImpact(saturation: number): number {
  return Math.min(255, Math.max(1, Math.round(saturation * 255)));
}
