import { normalize } from "../vector/embedder.ts";

/**
 * Pseudo-relevance feedback in vector space (Rocchio 1971): the query vector moves toward the mean of the
 * first results' vectors, and the vector side is searched again.
 *
 *   q' = normalise(q + weight * mean(top `documents` result vectors))
 *
 * On SciFact it lifted hybrid nDCG@10 by ~0.007 with an embedder trained at temperature 0.05, but cost ~0.005
 * with the default embedder (temperature 0.2, two models), whose query vectors are already less noisy: so it
 * is off by default, kept for weaker (or outside) embedders.
 */
export interface FeedbackParams {
  /** How many first results feed back; 0 turns feedback off. Default 0 (off). */
  documents: number;
  /** Weight of their mean against the query vector. Default 2. */
  weight: number;
}

export const DEFAULT_FEEDBACK: FeedbackParams = { documents: 0, weight: 2 };

/** The moved query vector (a new array). `rows` are the feedback documents' vectors. */
export function rocchio(query: Float32Array, rows: readonly Float32Array[], weight: number): Float32Array {
  const out = Float32Array.from(query);
  if (rows.length === 0 || weight === 0) return out;
  const scale = weight / rows.length;
  for (const row of rows)
    for (let k = 0; k < out.length; k++) out[k] = (out[k] as number) + scale * (row[k] as number);
  return normalize(out);
}
