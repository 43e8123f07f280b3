import type { SearchDocument } from "../../src/search/types.ts";

/** A search document with defaults for what a test does not care about. */
export function buildDoc(overrides: Partial<SearchDocument> & { id: string }): SearchDocument {
  return { title: "", abstract: "", authors: [], ...overrides };
}

/** A small fixed corpus whose BM25 order is worked out in the ranking tests. */
export const SMALL_CORPUS: SearchDocument[] = [
  buildDoc({
    id: "tta",
    title: "Test-time adaptation under distribution shift",
    abstract: "We adapt a model at test time to a shifted target distribution without labels.",
    authors: ["Ada Lovelace"],
  }),
  buildDoc({
    id: "label-shift",
    title: "Correcting label shift",
    abstract: "Label shift changes class priors between training and test; we estimate and correct it.",
    authors: ["Grace Hopper"],
  }),
  buildDoc({
    id: "domain",
    title: "Domain generalization benchmarks",
    abstract:
      "Models trained on source domains are evaluated on unseen target domains under domain shift, " +
      "a form of distribution shift.",
    authors: ["Alan Turing"],
  }),
  buildDoc({
    id: "merging",
    title: "Model merging for multi-task learning",
    abstract: "Merging the weights of fine-tuned models yields one model for many tasks.",
    authors: ["Ada Lovelace", "Barbara Liskov"],
  }),
  buildDoc({
    id: "proteins",
    title: "Protein folding with deep networks",
    abstract: "Deep networks predict protein structure; shifts in sequence families hurt accuracy.",
    authors: ["Rosalind Franklin"],
  }),
];
