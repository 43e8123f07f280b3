/**
 * Turns texts into unit-length vectors whose dot product says how close in meaning they are. The default is
 * `CorpusEmbedder`, learned from the library's own papers; a model served elsewhere (an ONNX model, an
 * OpenAI-compatible /v1/embeddings server) plugs in behind the same interface.
 */
export interface Embedder {
  /** Length of every vector `embed` returns. */
  readonly dimensions: number;
  /** One vector per text, in order; each has unit length (or is all zeros for a text with no known word). */
  embed(texts: string[]): Promise<Float32Array[]>;
}

/** Scales a vector to unit length in place; an all-zero vector stays zero. Returns it. */
export function normalize(v: Float32Array): Float32Array {
  let sum = 0;
  for (let i = 0; i < v.length; i++) sum += (v[i] as number) * (v[i] as number);
  if (sum > 0) {
    const scale = 1 / Math.sqrt(sum);
    for (let i = 0; i < v.length; i++) v[i] = (v[i] as number) * scale;
  }
  return v;
}

export function dot(a: Float32Array, b: Float32Array, bOffset = 0): number {
  let sum = 0;
  for (let i = 0; i < a.length; i++) sum += (a[i] as number) * (b[bOffset + i] as number);
  return sum;
}
