/**
 * Personal recommendations: a linear model per reader over TF-IDF vectors of papers' titles and abstracts.
 *
 *     weight(term) = mean over positives of tfidf(term) − negativeWeight · mean over negatives of tfidf(term)
 *     score(paper) = Σ_term weight(term) · tfidf(paper, term)          (paper vectors L2-normalised)
 *
 * Positives are the reader's upvotes and library items (tagged items count `tagBoost` times); negatives are
 * papers marked "not interested". The model is refit from the signals on every call (it is a few hundred
 * additions), so it is always current when signals change. Each recommendation carries its reason: the
 * positive paper it is most like ("similar to X you saved") and the terms that contributed most.
 *
 * A corpus (the candidates' vectors and document frequencies) is built once per digest run and shared by every
 * reader, so the per-reader cost is proportional to the model's terms' posting lists, not to the corpus.
 */
import type { Paper } from "../../core/index.ts";
import { stem } from "../../core/text/stem.ts";
import { ENGLISH_STOP_WORDS } from "../../core/text/stopwords.ts";
import { tokenize } from "../../core/text/tokenize.ts";

export interface RecommendParams {
  /** How much a "not interested" paper pulls its terms down, relative to a positive's pull up. */
  negativeWeight: number;
  /** How many times a library item with tags counts, against 1 for an upvote or untagged item. */
  tagBoost: number;
  /** Terms kept per paper vector (the heaviest), which bounds memory and scoring time. */
  termsPerPaper: number;
  /** Terms kept in a reader's model. */
  modelTerms: number;
  /** Scores below this are not recommended (no real overlap). */
  minScore: number;
}

export const DEFAULT_RECOMMEND_PARAMS: Readonly<RecommendParams> = Object.freeze({
  negativeWeight: 0.7,
  tagBoost: 2,
  termsPerPaper: 48,
  modelTerms: 80,
  minScore: 0.02,
});

/** A reader's signal about one paper. */
export interface Signal {
  paper: Paper;
  kind: "upvoted" | "saved" | "not-interested";
  /** Library tags, if any. */
  tags?: readonly string[];
}

export interface Recommendation {
  paper: Paper;
  score: number;
  /** "Similar to “Title” you saved", for the mail, page and API. */
  reason: string;
  /** The paper the reason names. */
  because: { id: string; title: string; kind: "upvoted" | "saved" };
  /** Words that matched most (surface forms). */
  terms: string[];
}

type Vector = Map<string, number>;

/** Stemmed terms of a text, and a readable word for each stem (the first form met). */
function terms(text: string, surface: Map<string, string>): string[] {
  const out: string[] = [];
  for (const token of tokenize(text)) {
    if (ENGLISH_STOP_WORDS.has(token.text) || token.text.length < 3 || /^\d+$/.test(token.text)) continue;
    const s = stem(token.text);
    if (!surface.has(s)) surface.set(s, token.text);
    out.push(s);
  }
  return out;
}

/** The candidates of one run: their vectors and an inverted index, shared by every reader. */
export class RecommendationCorpus {
  readonly params: RecommendParams;
  private readonly surface = new Map<string, string>();
  private readonly df = new Map<string, number>();
  private readonly docs: { paper: Paper; vector: Vector }[] = [];
  private readonly postings = new Map<string, { doc: number; w: number }[]>();
  private readonly byId = new Map<string, number>();
  /** Vectors of papers outside the candidates (readers' signals), computed once each. */
  private readonly extra = new Map<string, Vector>();
  private readonly n: number;

  constructor(candidates: readonly Paper[], params: Partial<RecommendParams> = {}) {
    this.params = { ...DEFAULT_RECOMMEND_PARAMS, ...params };
    const tokenized = candidates.map((p) => terms(`${p.title} ${p.title} ${p.abstract}`, this.surface));
    for (const list of tokenized) for (const t of new Set(list)) this.df.set(t, (this.df.get(t) ?? 0) + 1);
    this.n = candidates.length;
    candidates.forEach((paper, i) => {
      const vector = this.weigh(tokenized[i] ?? []);
      this.byId.set(paper.id, this.docs.length);
      this.docs.push({ paper, vector });
    });
    this.docs.forEach((d, doc) => {
      for (const [t, w] of d.vector) {
        const list = this.postings.get(t);
        if (list) list.push({ doc, w });
        else this.postings.set(t, [{ doc, w }]);
      }
    });
  }

  get size(): number {
    return this.docs.length;
  }

  private weigh(list: readonly string[]): Vector {
    const tf = new Map<string, number>();
    for (const t of list) tf.set(t, (tf.get(t) ?? 0) + 1);
    const weighted: [string, number][] = [];
    for (const [t, f] of tf) {
      const idf = Math.log(1 + (this.n + 1) / ((this.df.get(t) ?? 0) + 1));
      weighted.push([t, (1 + Math.log(f)) * idf]);
    }
    weighted.sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1));
    const kept = weighted.slice(0, this.params.termsPerPaper);
    const norm = Math.sqrt(kept.reduce((s, [, w]) => s + w * w, 0)) || 1;
    return new Map(kept.map(([t, w]) => [t, w / norm]));
  }

  /** A paper's vector (a candidate's, or computed once for a signal's paper). */
  vectorOf(paper: Paper): Vector {
    const doc = this.byId.get(paper.id);
    if (doc !== undefined) return (this.docs[doc] as { vector: Vector }).vector;
    let v = this.extra.get(paper.id);
    if (!v) {
      v = this.weigh(terms(`${paper.title} ${paper.title} ${paper.abstract}`, this.surface));
      // Bounded: signals beyond this many distinct papers are recomputed instead of cached.
      if (this.extra.size < 200_000) this.extra.set(paper.id, v);
    }
    return v;
  }

  word(stemmed: string): string {
    return this.surface.get(stemmed) ?? stemmed;
  }

  /**
   * The reader's top `limit` candidates, never one in `exclude` nor one of their signals. Empty without
   * positive signals: a reader who told us nothing gets no guesses.
   */
  recommend(signals: readonly Signal[], exclude: ReadonlySet<string>, limit: number): Recommendation[] {
    const positives = signals.filter((s) => s.kind !== "not-interested");
    if (positives.length === 0 || limit <= 0) return [];
    const negatives = signals.filter((s) => s.kind === "not-interested");
    const model = this.fit(positives, negatives);
    const scores = new Map<number, number>();
    for (const [t, w] of model) {
      for (const p of this.postings.get(t) ?? []) scores.set(p.doc, (scores.get(p.doc) ?? 0) + w * p.w);
    }
    const own = new Set(signals.map((s) => s.paper.id as string));
    const ranked = [...scores]
      .filter(([doc, score]) => {
        const id = (this.docs[doc] as { paper: Paper }).paper.id;
        return score >= this.params.minScore && !exclude.has(id) && !own.has(id);
      })
      .sort((a, b) => b[1] - a[1] || a[0] - b[0])
      .slice(0, limit);
    return ranked.map(([doc, score]) => this.explain(doc, score, model, positives));
  }

  private fit(positives: readonly Signal[], negatives: readonly Signal[]): Vector {
    const sum = new Map<string, number>();
    let weightTotal = 0;
    for (const s of positives) {
      const k = s.tags && s.tags.length > 0 ? this.params.tagBoost : 1;
      weightTotal += k;
      for (const [t, w] of this.vectorOf(s.paper)) sum.set(t, (sum.get(t) ?? 0) + k * w);
    }
    for (const [t, w] of sum) sum.set(t, w / weightTotal);
    if (negatives.length > 0) {
      const pull = this.params.negativeWeight / negatives.length;
      for (const s of negatives) {
        for (const [t, w] of this.vectorOf(s.paper)) sum.set(t, (sum.get(t) ?? 0) - pull * w);
      }
    }
    // Keep the strongest positive terms and every negative one (they only ever lower scores).
    const entries = [...sum].filter(([, w]) => w !== 0);
    const pos = entries.filter(([, w]) => w > 0).sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1));
    const neg = entries.filter(([, w]) => w < 0);
    return new Map([...pos.slice(0, this.params.modelTerms), ...neg]);
  }

  private explain(doc: number, score: number, model: Vector, positives: readonly Signal[]): Recommendation {
    const { paper, vector } = this.docs[doc] as { paper: Paper; vector: Vector };
    let best = positives[0] as Signal;
    let bestSim = -1;
    for (const s of positives) {
      let sim = 0;
      for (const [t, w] of this.vectorOf(s.paper)) sim += w * (vector.get(t) ?? 0);
      if (sim > bestSim) {
        bestSim = sim;
        best = s;
      }
    }
    const contributions = [...vector]
      .map(([t, w]) => [t, w * (model.get(t) ?? 0)] as const)
      .filter(([, c]) => c > 0)
      .sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1))
      .slice(0, 5)
      .map(([t]) => this.word(t));
    const kind = best.kind === "saved" ? "saved" : "upvoted";
    return {
      paper,
      score,
      reason: `Similar to “${best.paper.title}” you ${kind}`,
      because: { id: best.paper.id, title: best.paper.title, kind },
      terms: contributions,
    };
  }
}
