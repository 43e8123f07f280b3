import type { SearchDocument } from "../../src/search/types.ts";
import { type Embedder, normalize } from "../../src/search/vector/embedder.ts";
import { Random } from "../../src/search/vector/random.ts";

/** FNV-1a hash of a string, for seeding a word's vector. */
function hash(text: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return h >>> 0;
}

/**
 * A deterministic stand-in for a real embedding model: a text's vector is the normalised sum of its lower-cased
 * words' pseudo-random vectors (seeded by the word), so texts sharing words are close and the same text always
 * gets the same vector. A text without a word gets the zero vector.
 */
export function hashEmbedding(text: string, dimensions: number): Float32Array {
  const out = new Float32Array(dimensions);
  for (const word of text.toLowerCase().match(/[\p{L}\p{N}]+/gu) ?? []) {
    const random = new Random(hash(word));
    for (let i = 0; i < dimensions; i++) out[i] = (out[i] as number) + random.gaussian();
  }
  return normalize(out);
}

/** `hashEmbedding` behind the Embedder interface, for engines built without training. */
export class HashEmbedder implements Embedder {
  constructor(readonly dimensions: number) {}

  async embed(texts: string[]): Promise<Float32Array[]> {
    return texts.map((t) => hashEmbedding(t, this.dimensions));
  }
}

/**
 * `count` made-up papers on `topics` topics: each draws most of its words from its topic's vocabulary, so
 * papers on one topic are near each other in any bag-of-words embedding. Ids are `p0`, `p1`, ...
 */
export function syntheticPapers(count: number, topics: number, seed: number): SearchDocument[] {
  const random = new Random(seed);
  // Letters only (consonants, so the stemmer leaves them alone): "bw" + topic + "x" + number.
  const letters = (n: number) => [...String(n)].map((d) => "bcdfghjkmn"[Number(d)]).join("");
  const word = (topic: number, i: number) => `bw${letters(topic)}x${letters(i)}`;
  const pick = (topic: number) =>
    random.next() < 0.8
      ? word(topic, Math.floor(random.next() * 40))
      : word(topics, Math.floor(random.next() * 400));
  return Array.from({ length: count }, (_, i) => {
    const topic = Math.floor(random.next() * topics);
    const words = (n: number) => Array.from({ length: n }, () => pick(topic)).join(" ");
    return {
      id: `p${i}`,
      title: words(6),
      abstract: words(40),
      authors: [],
      categories: [],
      publishedAt: null,
    };
  });
}
