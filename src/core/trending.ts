/**
 * Trending: what readers are paying attention to now. A paper's score is its attention divided by a power of
 * its age, so fresh papers with a little attention can pass old papers with a lot:
 *
 *     score = (upvotes + commentWeight · comments + starWeight · starsGained) / (ageHours + ageOffsetHours) ^ gravity
 *
 * - `upvotes`: Hugging Face upvotes of the paper's largest daily entry plus local votes;
 * - `comments`: Hugging Face comments plus local comments;
 * - `starsGained`: GitHub stars the paper's code repository gained during the window (newest observation minus
 *   the last observation at or before the window's start, else the first one inside it);
 * - `ageHours`: hours from the paper's first day on a daily list (00:00 UTC), or its publication when it was
 *   never featured, to the reference time; never negative.
 *
 * Only papers featured within the last `windowDays` days are candidates. The parameters and their defaults are
 * shown on the about page and in docs/ARCHITECTURE.md; change them there too.
 */
export interface TrendingParams {
  /** How many upvotes one comment is worth. */
  commentWeight: number;
  /** How many upvotes one newly gained GitHub star is worth. */
  starWeight: number;
  /** Added to the age so brand-new papers do not divide by zero and the first hours do not dominate. */
  ageOffsetHours: number;
  /** How fast age wears a score down; 0 ignores age entirely. */
  gravity: number;
  /** Candidates: papers featured on a day list within this many days before the reference time. */
  windowDays: number;
}

/** The formula as text, for the about page, the API and the docs. */
export const TRENDING_FORMULA =
  "score = (upvotes + commentWeight * comments + starWeight * starsGained) / (ageHours + ageOffsetHours) ^ gravity";

export const DEFAULT_TRENDING_PARAMS: Readonly<TrendingParams> = Object.freeze({
  commentWeight: 2,
  starWeight: 0.1,
  ageOffsetHours: 2,
  gravity: 1.5,
  windowDays: 7,
});

/** What the formula needs to know about one paper. */
export interface TrendingSignals {
  upvotes: number;
  comments: number;
  starsGained: number;
  /** When the paper's age starts (first featured day, or publication). */
  since: Date;
}

const HOUR_MS = 3_600_000;

/** The paper's trending score at `at`; larger is hotter. Negative star changes (unstars) count as zero. */
export function trendingScore(signals: TrendingSignals, at: Date, params: TrendingParams): number {
  const attention =
    Math.max(0, signals.upvotes) +
    params.commentWeight * Math.max(0, signals.comments) +
    params.starWeight * Math.max(0, signals.starsGained);
  const ageHours = Math.max(0, (at.getTime() - signals.since.getTime()) / HOUR_MS);
  return attention / (ageHours + params.ageOffsetHours) ** params.gravity;
}

/**
 * Stars gained over a window from a repository's history (ascending by time): the newest observation at or
 * before `at`, minus the baseline (the last observation at or before `from`, else the first after it).
 */
export function starsGained(
  history: readonly { observedAt: string; stars: number }[],
  from: Date,
  at: Date,
): number {
  let baseline: number | null = null;
  let latest: number | null = null;
  const fromMs = from.getTime();
  const atMs = at.getTime();
  for (const point of history) {
    const t = Date.parse(point.observedAt);
    if (t > atMs) break;
    if (t <= fromMs || baseline === null) baseline = point.stars;
    latest = point.stars;
  }
  if (baseline === null || latest === null) return 0;
  return Math.max(0, latest - baseline);
}

/** Validates overrides (finite, non-negative; window of at least one day) and fills in the defaults. */
export function trendingParams(overrides: Partial<TrendingParams> = {}): TrendingParams {
  const params = { ...DEFAULT_TRENDING_PARAMS, ...overrides };
  for (const [name, value] of Object.entries(params)) {
    if (!Number.isFinite(value) || value < 0) {
      throw new RangeError(`trending parameter ${name} must be a finite number >= 0 (got ${value})`);
    }
  }
  if (params.windowDays < 1) throw new RangeError("trending parameter windowDays must be at least 1");
  return params;
}
