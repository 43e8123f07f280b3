import assert from "node:assert/strict";
import { mkdtempSync, readdirSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { PaperRecord } from "../../src/core/index.ts";
import { importFiles } from "../../src/jobs/import-files.ts";
import { silentLogger } from "../../src/log.ts";
import type { EngineOptions } from "../../src/search/engine.ts";
import { buildSearchEngine } from "../../src/search/service/build.ts";
import { EngineFiles } from "../../src/search/service/engine-files.ts";
import type { Store } from "../../src/store/store.ts";
import { buildArxivRecord, cats, id, ts } from "./factories.ts";
import { shared } from "./paths.ts";
import { createTestDatabase, type StoreKind, type TestDatabase } from "./stores.ts";

/** Small embedder training for tests: a few seconds at most on a few dozen papers. */
export const TEST_ENGINE: Omit<EngineOptions, "embedder" | "logger"> = {
  train: { dimensions: 64, models: 1, epochs: 4, seed: 1 },
};

interface Topic {
  category: string;
  author: string;
  titles: string[];
  body: string;
}

/** Builds the search engine from the store's papers under `dataDir`, as the worker would, with `TEST_ENGINE`. */
export async function buildTestEngine(store: Store, dataDir: string): Promise<void> {
  await buildSearchEngine({
    store,
    files: new EngineFiles(dataDir),
    embedderName: "corpus",
    engine: TEST_ENGINE,
    logger: silentLogger,
  });
}

/**
 * The shared data the service's fast paths are compared with the store on: arXiv's metadata snapshot (physics,
 * many archives, TeX-accented names, withdrawn papers) and the first two months of Hugging Face daily papers
 * (accented names, cs.*, upvotes).
 */
export function sharedSearchFiles(): { snapshot: string; hfFiles: string[] } {
  const hfDir = shared("hf-daily", "raw");
  const hfFiles = readdirSync(hfDir)
    .filter((f) => f.endsWith(".json"))
    .sort()
    .slice(0, 60)
    .map((f) => join(hfDir, f));
  return { snapshot: shared("arxiv-abs", "arxiv-metadata-snapshot.jsonl"), hfFiles };
}

export interface SharedSearchStore {
  db: TestDatabase;
  store: Store;
  dataDir: string;
  close(): Promise<void>;
}

/** A `kind` store holding `sharedSearchFiles()`, with the engine built under a fresh data directory. */
export async function sharedSearchStore(kind: StoreKind): Promise<SharedSearchStore> {
  const { snapshot, hfFiles } = sharedSearchFiles();
  const db = await createTestDatabase(kind);
  const store = await db.open();
  const dataDir = mkdtempSync(join(tmpdir(), "paperboy-shared-search-"));
  const imported = await importFiles(store, [snapshot, ...hfFiles]);
  assert.equal(imported.rejected, 0);
  await buildTestEngine(store, dataDir);
  return {
    db,
    store,
    dataDir,
    async close() {
      await store.close();
      await db.drop();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

/** Four topics, six papers each, with words of their own so rankings are easy to tell apart. */
const TOPICS: Topic[] = [
  {
    category: "cs.LG",
    author: "Ada Lovelace",
    titles: [
      "Test-time adaptation under distribution shift",
      "Entropy minimization for test-time adaptation",
      "Continual test-time adaptation without forgetting",
      "Label shift estimation for adapting classifiers",
      "Source-free domain adaptation with pseudo labels",
      "Robust batch normalization statistics at test time",
    ],
    body:
      "We adapt a trained model at test time to a shifted target distribution without labels, updating " +
      "normalization statistics and minimizing prediction entropy on unlabeled target batches.",
  },
  {
    category: "cs.CL",
    author: "Grace Hopper",
    titles: [
      "Model merging for multi-task language models",
      "Task arithmetic with fine-tuned weights",
      "Merging adapters trained on different tasks",
      "Resolving interference when merging models",
      "Weight averaging of fine-tuned checkpoints",
      "Evolutionary search over merged language models",
    ],
    body:
      "Merging the weights of several fine-tuned language models yields one multi-task model; we study task " +
      "vectors, interference between parameters and averaging of checkpoints.",
  },
  {
    category: "q-bio.BM",
    author: "Rosalind Franklin",
    titles: [
      "Protein structure prediction with deep networks",
      "Folding proteins from sequence alone",
      "Contact maps for protein folding",
      "Protein language models predict structure",
      "Docking small molecules to predicted protein structures",
      "Sequence families and protein structure accuracy",
    ],
    body:
      "Deep networks predict the three-dimensional structure of proteins from amino acid sequences, using " +
      "residue contact maps, multiple sequence alignments and folding simulations.",
  },
  {
    category: "cs.CV",
    author: "Alan Turing",
    titles: [
      "Denoising diffusion models for image synthesis",
      "Faster sampling of diffusion models",
      "Latent diffusion for high-resolution images",
      "Guidance without a classifier in diffusion models",
      "Video generation with diffusion transformers",
      "Score matching and diffusion image generation",
    ],
    body:
      "Diffusion models generate images by reversing a gradual noising process; we improve sampling speed, " +
      "guidance and image quality of latent denoising models.",
  },
];

/** 24 papers (`2401.00001` ... `2401.00024`), published one a day from 2024-01-01, four topics. */
export function searchPapers(): PaperRecord[] {
  const out: PaperRecord[] = [];
  TOPICS.forEach((topic, t) => {
    topic.titles.forEach((title, i) => {
      const n = t * 6 + i + 1;
      const date = ts(`2024-01-${String(n).padStart(2, "0")}T12:00:00Z`);
      out.push(
        buildArxivRecord({
          id: id(`2401.${String(n).padStart(5, "0")}`),
          title,
          abstract: `${title}. ${topic.body} Variant ${n} of this study.`,
          authors: [topic.author, `Coauthor ${n}`],
          categories: cats(topic.category),
          versions: [{ version: 1, date }],
          publishedAt: date,
        }),
      );
    });
  });
  return out;
}

/** One more paper, on a topic no other paper has. */
export function newerPaper(n = 25): PaperRecord {
  const date = ts("2024-02-01T12:00:00Z");
  return buildArxivRecord({
    id: id(`2402.${String(n).padStart(5, "0")}`),
    title: "Zebrafish regeneration atlas",
    abstract: "A single-cell atlas of zebrafish fin regeneration after amputation.",
    authors: ["Barbara McClintock"],
    categories: cats("q-bio.CB"),
    versions: [{ version: 1, date }],
    publishedAt: date,
  });
}

/** Counts calls of the store's own keyword search (left working) until `restore()`. */
export function countStoreSearches(store: Store): { count: number; restore(): void } {
  const original = store.search.search;
  const counter = {
    count: 0,
    restore() {
      store.search.search = original;
    },
  };
  store.search.search = (query) => {
    counter.count++;
    return original.call(store.search, query);
  };
  return counter;
}
