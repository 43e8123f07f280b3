/**
 * Personal recommendations: a reader profile of several TF-IDF centroids over papers' titles and abstracts.
 *
 *     profiles   = one centroid per library tag (its papers), plus the reader's other positives (untagged
 *                  library items, upvotes, thumbs up) split into at most `maxClusters` clusters (k-means on
 *                  cosine, seeded farthest-first from the newest, so it is deterministic)
 *     score(p)   = max over profiles of  size(profile)^sizePrior · cos(centroid, p)
 *                  − negativeWeight · Σ_term mean over negatives of tfidf(term) · tfidf(p, term)
 *     the list   = filled greedily by score × profileDecay^(papers its profile already has in the list)
 *
 * Paper vectors hold the heaviest `termsPerPaper` words of title (twice) and abstract and, beside them, the
 * paper's authors as terms (`@name`, idf-weighted, times `authorWeight`), so a library's authors count too.
 * Negatives are papers marked "not interested" or thumbed down. Centroids keep their `modelTerms` heaviest
 * terms. The profile is refit whenever the signals change (a few thousand additions for a 500-paper library)
 * and reused while they do not. Each
 * recommendation names the profile that chose it: "In your tag “rl”, like “X”" for a tag, "Like “X” and “Y”
 * in your library" for a cluster (the two members nearest the paper), with the words that matched most.
 *
 * A corpus (the candidates' vectors, document frequencies and an inverted index) is built once per digest
 * run and reused by the web, and shared by every reader: a reader's cost is their profiles' posting lists.
 */
import type { Paper } from "../../core/index.ts";
import { stem } from "../../core/text/stem.ts";
import { ENGLISH_STOP_WORDS } from "../../core/text/stopwords.ts";
import { tokenize } from "../../core/text/tokenize.ts";

export interface RecommendParams {
  /** How much the negatives pull a paper's score down, relative to a profile's pull up. */
  negativeWeight: number;
  /** Terms kept per paper vector (the heaviest), which bounds memory and scoring time. */
  termsPerPaper: number;
  /** Terms kept in each profile's centroid. */
  modelTerms: number;
  /** Clusters the untagged positives are split into, at most. */
  maxClusters: number;
  /** Positives per cluster aimed at: k = ceil(positives / clusterSize), capped by maxClusters. */
  clusterSize: number;
  /** k-means rounds (assignment and update). */
  clusterRounds: number;
  /** A profile's weight is (its papers / the largest profile's papers)^sizePrior: 0 treats all alike. */
  sizePrior: number;
  /**
   * Variety: a profile's n-th pick (from 0) counts its score × profileDecay^n when the list is filled, so a
   * small tag still gets its papers in beside a large one. 1 ranks by score alone.
   */
  profileDecay: number;
  /**
   * Authors count as terms of a paper (`@name`, idf-weighted like words, times this; 0 leaves them out), kept
   * beside the paper's `termsPerPaper` words rather than in their place, so papers sharing authors are alike.
   */
  authorWeight: number;
  /** Scores below this are not recommended (no real overlap). */
  minScore: number;
}

export const DEFAULT_RECOMMEND_PARAMS: Readonly<RecommendParams> = Object.freeze({
  negativeWeight: 0.7,
  termsPerPaper: 48,
  modelTerms: 80,
  maxClusters: 8,
  clusterSize: 12,
  clusterRounds: 4,
  sizePrior: 0.25,
  profileDecay: 0.8,
  authorWeight: 1,
  minScore: 0.02,
});

export type PositiveKind = "saved" | "upvoted" | "liked";

/** A reader's signal about one paper. */
export interface Signal {
  paper: Paper;
  /** Library item, upvote, thumb up; or "not interested" / thumb down. */
  kind: PositiveKind | "not-interested";
  /** Library tags, if any. */
  tags?: readonly string[];
}

export interface Liked {
  id: string;
  title: string;
  kind: PositiveKind;
}

export interface Recommendation {
  paper: Paper;
  score: number;
  /** "In your tag “rl”, like “X”" or "Like “X” and “Y” in your library", for the mail, page and API. */
  reason: string;
  /** The first paper the reason names. */
  because: Liked;
  /** The papers the reason names (one or two), nearest first. */
  like: Liked[];
  /** The library tag whose profile chose the paper, if it was a tag's. */
  tag: string | null;
  /** Words that matched most (surface forms). */
  terms: string[];
}

type Vector = Map<string, number>;

/** A part of the reader's profile: a tag's papers or a cluster of their other positives. */
interface Profile {
  tag: string | null;
  members: Signal[];
  centroid: Vector;
  weight: number;
}

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

function dot(a: Vector, b: Vector): number {
  const [small, large] = a.size <= b.size ? [a, b] : [b, a];
  let s = 0;
  for (const [t, w] of small) s += w * (large.get(t) ?? 0);
  return s;
}

/** The normalised mean of `vectors`, keeping its `keep` heaviest terms. */
function centroidOf(vectors: readonly Vector[], keep: number): Vector {
  const sum = new Map<string, number>();
  for (const v of vectors) for (const [t, w] of v) sum.set(t, (sum.get(t) ?? 0) + w);
  const kept = [...sum].sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1)).slice(0, keep);
  const norm = Math.sqrt(kept.reduce((s, [, w]) => s + w * w, 0)) || 1;
  return new Map(kept.map(([t, w]) => [t, w / norm]));
}

const quote = (title: string) => `“${title.replace(/\s+/g, " ").trim()}”`;

const PLACE: Record<PositiveKind, string> = {
  saved: "in your library",
  upvoted: "you upvoted",
  liked: "you liked",
};

/** "Like “X” and “Y” in your library", "Like “X” in your library and “Y” you upvoted". */
function likeSentence(like: readonly Liked[]): string {
  const [a, b] = like as [Liked, Liked | undefined];
  if (!b) return `Like ${quote(a.title)} ${PLACE[a.kind]}`;
  if (a.kind === b.kind) return `Like ${quote(a.title)} and ${quote(b.title)} ${PLACE[a.kind]}`;
  return `Like ${quote(a.title)} ${PLACE[a.kind]} and ${quote(b.title)} ${PLACE[b.kind]}`;
}

/** The candidates of one run: their vectors and an inverted index, shared by every reader. */
export class RecommendationCorpus {
  readonly params: RecommendParams;
  private readonly surface = new Map<string, string>();
  private readonly df = new Map<string, number>();
  private readonly docs: { paper: Paper; vector: Vector }[] = [];
  /** Per term: the candidates that have it and their weights, as parallel typed arrays. */
  private readonly postings = new Map<string, { docs: Int32Array; ws: Float64Array }>();
  private readonly byId = new Map<string, number>();
  /** Vectors of papers outside the candidates (readers' signals), computed once each. */
  private readonly extra = new Map<string, Vector>();
  /** Signal papers read for readers, so a reload does not read a 500-paper library again (bounded). */
  private readonly known = new Map<string, Paper>();
  /** Readers' profiles by their signals, most recently used last (bounded). */
  private readonly profileCache = new Map<string, Profile[]>();
  private readonly n: number;

  constructor(candidates: readonly Paper[], params: Partial<RecommendParams> = {}) {
    this.params = { ...DEFAULT_RECOMMEND_PARAMS, ...params };
    const tokenized = candidates.map((p) => this.termsOf(p));
    for (const list of tokenized) for (const t of new Set(list)) this.df.set(t, (this.df.get(t) ?? 0) + 1);
    this.n = candidates.length;
    candidates.forEach((paper, i) => {
      if (this.byId.has(paper.id)) return;
      const vector = this.weigh(tokenized[i] ?? []);
      this.byId.set(paper.id, this.docs.length);
      this.docs.push({ paper, vector });
    });
    const lists = new Map<string, { docs: number[]; ws: number[] }>();
    this.docs.forEach((d, doc) => {
      for (const [t, w] of d.vector) {
        const list = lists.get(t);
        if (list) {
          list.docs.push(doc);
          list.ws.push(w);
        } else {
          lists.set(t, { docs: [doc], ws: [w] });
        }
      }
    });
    for (const [t, list] of lists) {
      this.postings.set(t, { docs: Int32Array.from(list.docs), ws: Float64Array.from(list.ws) });
    }
  }

  get size(): number {
    return this.docs.length;
  }

  /** Whether `id` is one of the candidates. */
  has(id: string): boolean {
    return this.byId.has(id);
  }

  /** A paper's terms: its title twice and abstract, stemmed; and its authors (see authorWeight). */
  private termsOf(paper: Paper): string[] {
    const list = terms(`${paper.title} ${paper.title} ${paper.abstract}`, this.surface);
    if (this.params.authorWeight > 0) {
      for (const a of paper.authors) {
        const key = `@${a.toLowerCase().replace(/\s+/g, " ").trim()}`;
        if (key.length > 1) list.push(key);
      }
    }
    return list;
  }

  private weigh(list: readonly string[]): Vector {
    const tf = new Map<string, number>();
    for (const t of list) tf.set(t, (tf.get(t) ?? 0) + 1);
    const words: [string, number][] = [];
    const authors: [string, number][] = [];
    for (const [t, f] of tf) {
      const idf = Math.log(1 + (this.n + 1) / ((this.df.get(t) ?? 0) + 1));
      if (t.startsWith("@")) authors.push([t, idf * this.params.authorWeight]);
      else words.push([t, (1 + Math.log(f)) * idf]);
    }
    words.sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1));
    const kept = [...words.slice(0, this.params.termsPerPaper), ...authors.slice(0, 50)];
    const norm = Math.sqrt(kept.reduce((s, [, w]) => s + w * w, 0)) || 1;
    return new Map(kept.map(([t, w]) => [t, w / norm]));
  }

  /** A paper's vector (a candidate's, or computed once for a signal's paper). */
  vectorOf(paper: Paper): Vector {
    const doc = this.byId.get(paper.id);
    if (doc !== undefined) return (this.docs[doc] as { vector: Vector }).vector;
    let v = this.extra.get(paper.id);
    if (!v) {
      v = this.weigh(this.termsOf(paper));
      // Bounded: signals beyond this many distinct papers are recomputed instead of cached.
      if (this.extra.size < 200_000) this.extra.set(paper.id, v);
    }
    return v;
  }

  /** Signal papers this corpus has already been given (see `remember`), by id. */
  knownPapers(ids: readonly string[]): Map<string, Paper> {
    const out = new Map<string, Paper>();
    for (const id of ids) {
      const doc = this.byId.get(id);
      const paper = doc === undefined ? this.known.get(id) : this.docs[doc]?.paper;
      if (paper) out.set(id, paper);
    }
    return out;
  }

  /** Keeps signal papers for later readers' calls (up to 20,000; the corpus lives minutes, not days). */
  remember(papers: Iterable<Paper>): void {
    for (const p of papers) {
      if (this.known.size >= 20_000) break;
      if (!this.byId.has(p.id)) this.known.set(p.id, p);
    }
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
    if (positives.length === 0 || limit <= 0 || this.docs.length === 0) return [];
    const negatives = signals.filter((s) => s.kind === "not-interested");
    const profiles = this.cachedProfiles(positives);
    const best = new Float64Array(this.docs.length).fill(Number.NEGATIVE_INFINITY);
    const chosen = new Int32Array(this.docs.length).fill(-1);
    const acc = new Float64Array(this.docs.length);
    const touched: number[] = [];
    profiles.forEach((profile, index) => {
      for (const [t, w] of profile.centroid) {
        const list = this.postings.get(t);
        if (!list) continue;
        const { docs, ws } = list;
        for (let i = 0; i < docs.length; i++) {
          const doc = docs[i] as number;
          if (acc[doc] === 0) touched.push(doc);
          acc[doc] = (acc[doc] as number) + w * (ws[i] as number);
        }
      }
      for (const doc of touched) {
        const s = (acc[doc] as number) * profile.weight;
        if (s > (best[doc] as number)) {
          best[doc] = s;
          chosen[doc] = index;
        }
        acc[doc] = 0;
      }
      touched.length = 0;
    });
    if (negatives.length > 0) {
      // One pass per term of the negatives' mean, not one per negative paper.
      const pull = new Map<string, number>();
      for (const s of negatives) {
        for (const [t, w] of this.vectorOf(s.paper)) pull.set(t, (pull.get(t) ?? 0) + w / negatives.length);
      }
      for (const [t, w] of pull) {
        const list = this.postings.get(t);
        if (!list) continue;
        const { docs, ws } = list;
        const k = this.params.negativeWeight * w;
        for (let i = 0; i < docs.length; i++) {
          const doc = docs[i] as number;
          if (chosen[doc] !== -1) best[doc] = (best[doc] as number) - k * (ws[i] as number);
        }
      }
    }
    const own = new Set(signals.map((s) => s.paper.id as string));
    const ranked: number[] = [];
    for (let doc = 0; doc < this.docs.length; doc++) {
      if (chosen[doc] === -1 || (best[doc] as number) < this.params.minScore) continue;
      const id = (this.docs[doc] as { paper: Paper }).paper.id;
      if (!exclude.has(id) && !own.has(id)) ranked.push(doc);
    }
    ranked.sort((a, b) => (best[b] as number) - (best[a] as number) || a - b);
    return this.vary(ranked, best, chosen, limit).map((doc) =>
      this.explain(doc, best[doc] as number, profiles[chosen[doc] as number] as Profile),
    );
  }

  /** The first `limit` of `ranked` (best first), each profile's n-th pick discounted by profileDecay^n. */
  private vary(ranked: readonly number[], best: Float64Array, chosen: Int32Array, limit: number): number[] {
    const decay = this.params.profileDecay;
    if (decay >= 1) return ranked.slice(0, limit);
    // Each profile's candidates stay in score order, so the next pick is the best head of these queues.
    const queues = new Map<number, number[]>();
    for (const doc of ranked) {
      const p = chosen[doc] as number;
      const q = queues.get(p);
      if (q) q.push(doc);
      else queues.set(p, [doc]);
    }
    const taken = new Map<number, number>();
    const heads = new Map<number, number>();
    const out: number[] = [];
    while (out.length < limit) {
      let pick = -1;
      let pickProfile = -1;
      let pickScore = Number.NEGATIVE_INFINITY;
      for (const [p, q] of queues) {
        const doc = q[heads.get(p) ?? 0];
        if (doc === undefined) continue;
        const s = (best[doc] as number) * decay ** (taken.get(p) ?? 0);
        if (s > pickScore || (s === pickScore && doc < pick)) {
          pick = doc;
          pickProfile = p;
          pickScore = s;
        }
      }
      if (pick === -1) break;
      out.push(pick);
      taken.set(pickProfile, (taken.get(pickProfile) ?? 0) + 1);
      heads.set(pickProfile, (heads.get(pickProfile) ?? 0) + 1);
    }
    return out;
  }

  /** The profiles of these positives: refit when they change, else the ones fitted last time (bounded). */
  private cachedProfiles(positives: readonly Signal[]): Profile[] {
    const key = positives
      .map((s) => `${s.paper.id}\u0001${s.kind}\u0001${(s.tags ?? []).join("\u0002")}`)
      .join("\u0003");
    let profiles = this.profileCache.get(key);
    if (profiles) {
      this.profileCache.delete(key);
    } else {
      profiles = this.profiles(positives);
      if (this.profileCache.size >= 2_000) {
        const oldest = this.profileCache.keys().next().value;
        if (oldest !== undefined) this.profileCache.delete(oldest);
      }
    }
    this.profileCache.set(key, profiles);
    return profiles;
  }

  /** One profile per tag, then the other positives clustered. */
  private profiles(positives: readonly Signal[]): Profile[] {
    const byTag = new Map<string, Signal[]>();
    const rest: Signal[] = [];
    for (const s of positives) {
      if (s.kind === "saved" && s.tags && s.tags.length > 0) {
        for (const tag of s.tags) {
          const list = byTag.get(tag);
          if (list) list.push(s);
          else byTag.set(tag, [s]);
        }
      } else {
        rest.push(s);
      }
    }
    const keep = this.params.modelTerms;
    const groups: { tag: string | null; members: Signal[]; centroid: Vector }[] = [];
    for (const [tag, members] of [...byTag].sort((a, b) => (a[0] < b[0] ? -1 : 1))) {
      groups.push({
        tag,
        members,
        centroid: centroidOf(
          members.map((m) => this.vectorOf(m.paper)),
          keep,
        ),
      });
    }
    for (const members of this.clusters(rest)) {
      groups.push({
        tag: null,
        members,
        centroid: centroidOf(
          members.map((m) => this.vectorOf(m.paper)),
          keep,
        ),
      });
    }
    const largest = Math.max(...groups.map((g) => g.members.length));
    return groups.map((g) => ({ ...g, weight: (g.members.length / largest) ** this.params.sizePrior }));
  }

  /** Spherical k-means, seeded farthest-first from the first signal (the newest), so runs agree. */
  private clusters(signals: readonly Signal[]): Signal[][] {
    if (signals.length === 0) return [];
    const k = Math.min(this.params.maxClusters, Math.ceil(signals.length / this.params.clusterSize));
    const vectors = signals.map((s) => this.vectorOf(s.paper));
    if (k <= 1) return [[...signals]];
    const seeds = [0];
    const nearest = vectors.map((v) => dot(v, vectors[0] as Vector));
    while (seeds.length < k) {
      let far = -1;
      for (let i = 0; i < vectors.length; i++) {
        if (!seeds.includes(i) && (far === -1 || (nearest[i] as number) < (nearest[far] as number))) far = i;
      }
      if (far === -1) break;
      seeds.push(far);
      vectors.forEach((v, i) => {
        nearest[i] = Math.max(nearest[i] as number, dot(v, vectors[far] as Vector));
      });
    }
    let centroids = seeds.map((i) => vectors[i] as Vector);
    let assignment = new Int32Array(vectors.length);
    for (let round = 0; round < this.params.clusterRounds; round++) {
      const next = new Int32Array(vectors.length);
      vectors.forEach((v, i) => {
        let bestC = 0;
        let bestSim = Number.NEGATIVE_INFINITY;
        centroids.forEach((c, ci) => {
          const sim = dot(v, c);
          if (sim > bestSim) {
            bestSim = sim;
            bestC = ci;
          }
        });
        next[i] = bestC;
      });
      const same = round > 0 && next.every((c, i) => c === assignment[i]);
      assignment = next;
      if (same) break;
      centroids = centroids.map((c, ci) => {
        const members = vectors.filter((_, i) => assignment[i] === ci);
        return members.length > 0 ? centroidOf(members, this.params.modelTerms * 2) : c;
      });
    }
    const out: Signal[][] = centroids.map(() => []);
    signals.forEach((s, i) => {
      out[assignment[i] as number]?.push(s);
    });
    return out.filter((members) => members.length > 0);
  }

  private explain(doc: number, score: number, profile: Profile): Recommendation {
    const { paper, vector } = this.docs[doc] as { paper: Paper; vector: Vector };
    const near = profile.members
      .map((s, i) => ({ s, i, sim: dot(this.vectorOf(s.paper), vector) }))
      .sort((a, b) => b.sim - a.sim || a.i - b.i)
      .slice(0, profile.tag === null ? 2 : 1)
      .filter((x, i) => i === 0 || x.sim > 0);
    const like: Liked[] = near.map(({ s }) => ({
      id: s.paper.id,
      title: s.paper.title,
      kind: s.kind as PositiveKind,
    }));
    const ranked = [...vector]
      .map(([t, w]) => [t, w * (profile.centroid.get(t) ?? 0)] as const)
      .filter(([t, c]) => c > 0 && !t.startsWith("@"))
      .sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1));
    // The words that carry the match: a word far behind the strongest one ("additionally", "task") explains
    // nothing to a reader, so only those within a third of it are named.
    const strongest = ranked[0]?.[1] ?? 0;
    const contributions = ranked
      .filter(([, c]) => c >= strongest / 3)
      .slice(0, 4)
      .map(([t]) => this.word(t));
    const first = like[0] as Liked;
    const reason =
      profile.tag === null ? likeSentence(like) : `In your tag “${profile.tag}”, like ${quote(first.title)}`;
    return { paper, score, reason, because: first, like, tag: profile.tag, terms: contributions };
  }
}
