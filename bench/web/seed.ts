import type {
  ArxivId,
  Category,
  DailyEntryRecord,
  IsoDate,
  IsoTimestamp,
  PaperRecord,
} from "../../src/core/index.ts";
import type { Store } from "../../src/store/store.ts";

/**
 * A synthetic library shaped like a busy Paperboy: `papers` arXiv papers over the last years, of which a third
 * were on a Hugging Face daily list (40 a day, like the real lists), with upvotes, comments, code links and
 * summaries. Deterministic (seeded), so runs compare.
 */
export interface SeedOptions {
  papers: number;
  /** Papers per daily list. */
  perDay?: number;
  /** Share of papers that were on a daily list. */
  featuredShare?: number;
  onProgress?: (done: number) => void;
}

const WORDS = (
  "learning model models language large vision transformer diffusion graph neural network networks data " +
  "training inference reasoning agents reinforcement policy robust efficient scaling attention tokens image " +
  "video audio speech retrieval generation benchmark evaluation alignment adaptation shift label test time " +
  "sparse dense mixture experts quantization pruning distillation contrastive self supervised multimodal " +
  "physics equations stochastic optimization convex gradient descent bayesian uncertainty causal inference"
).split(" ");
const NAMES =
  "Ada Bo Chen Dana Eli Fatima Gao Hana Ivan Jia Kofi Lena Ming Nora Omar Pia Quan Rosa Sven Tao".split(" ");
const FAMILY = "Ng Kim Li Smith Garcia Müller Rossi Sato Okafor Silva Ivanova Chen Patel Cohen Dubois".split(
  " ",
);
const CATEGORIES = ["cs.LG", "cs.CL", "cs.CV", "cs.AI", "stat.ML", "cs.RO", "math.OC", "quant-ph"];

/** A small, fast, seeded generator (mulberry32). */
function random(seed: number): () => number {
  let a = seed;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export async function seedLibrary(
  store: Store,
  options: SeedOptions,
): Promise<{ days: number; featured: number }> {
  const rand = random(42);
  const pick = <T>(list: readonly T[]): T => list[Math.floor(rand() * list.length)] as T;
  const words = (n: number) => Array.from({ length: n }, () => pick(WORDS)).join(" ");
  const perDay = options.perDay ?? 40;
  const featuredEvery = Math.max(1, Math.round(1 / (options.featuredShare ?? 1 / 3)));
  const firstDay = Date.UTC(2022, 0, 3);
  let featured = 0;
  let batch: PaperRecord[] = [];
  let daily: DailyEntryRecord[] = [];
  const flush = async () => {
    await store.ingest({ papers: batch, daily });
    batch = [];
    daily = [];
  };
  await store.bulkLoad(async () => {
    for (let i = 0; i < options.papers; i++) {
      const isFeatured = i % featuredEvery === 0;
      const dayIndex = isFeatured ? Math.floor(featured / perDay) : Math.floor(i / (perDay * featuredEvery));
      const dayMs = firstDay + dayIndex * 86_400_000;
      const date = new Date(dayMs).toISOString().slice(0, 10) as IsoDate;
      const yymm = date.slice(2, 4) + date.slice(5, 7);
      const id = `${yymm}.${String(10_000 + (i % 89_999)).padStart(5, "0")}` as ArxivId;
      const published = new Date(dayMs - 86_400_000).toISOString() as IsoTimestamp;
      batch.push({
        id,
        sources: isFeatured ? ["arxiv-snapshot", "hf-daily"] : ["arxiv-snapshot"],
        versions: [{ version: 1, date: published }],
        title: `${words(3)} for ${words(4)}`.replace(/^./, (c) => c.toUpperCase()),
        abstract: `${words(140)}. We show $O(n \\log n)$ ${words(20)}.`,
        authors: Array.from({ length: 2 + Math.floor(rand() * 8) }, () => `${pick(NAMES)} ${pick(FAMILY)}`),
        categories: [pick(CATEGORIES), pick(CATEGORIES)].filter(
          (c, k, all) => all.indexOf(c) === k,
        ) as Category[],
        comments: null,
        journalRef: null,
        doi: null,
        reportNo: null,
        license: null,
        publishedAt: published,
        ...(isFeatured
          ? {
              codeUrl:
                rand() < 0.4 ? `https://github.com/${pick(FAMILY).toLowerCase()}/${pick(WORDS)}` : null,
              githubStars: Math.floor(rand() * 2000),
              aiSummary: `This paper ${words(18)}.`,
              aiKeywords: [pick(WORDS), pick(WORDS)],
              observedAt: `${date}T12:00:00.000Z` as IsoTimestamp,
            }
          : {}),
      });
      if (isFeatured) {
        featured++;
        daily.push({
          date,
          paperId: id,
          source: "hf-daily",
          submitter: { name: pick(NAMES).toLowerCase(), fullname: null },
          organization: null,
          upvotes: Math.floor(rand() ** 3 * 200),
          numComments: Math.floor(rand() * 6),
        });
      }
      if (batch.length >= 1000) {
        await flush();
        options.onProgress?.(i + 1);
      }
    }
    if (batch.length > 0) await flush();
  });
  return { days: Math.ceil(featured / perDay), featured };
}
