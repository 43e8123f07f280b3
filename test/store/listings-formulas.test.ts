import assert from "node:assert/strict";
import { describe, test } from "node:test";
import type { ArxivId } from "../../src/core/index.ts";
import {
  DEFAULT_TRENDING_PARAMS,
  starsGained,
  trendingParams,
  trendingScore,
} from "../../src/core/trending.ts";
import { periodRange, weekOf } from "../../src/store/listings/periods.ts";
import { foldActivity } from "../../src/store/listings/rank.ts";
import { day, id, ts } from "../helpers/factories.ts";

const at = new Date("2024-06-10T00:00:00Z");
const hoursAgo = (h: number) => new Date(at.getTime() - h * 3_600_000);

describe("trending formula", () => {
  test("attention over age to the power of gravity, with the documented defaults", () => {
    const p = DEFAULT_TRENDING_PARAMS;
    const score = trendingScore({ upvotes: 10, comments: 2, starsGained: 50, since: hoursAgo(22) }, at, p);
    assert.equal(score, (10 + 2 * 2 + 0.1 * 50) / (22 + 2) ** 1.5);
  });

  test("fresh papers pass old ones with more upvotes; gravity 0 ranks by attention alone", () => {
    const fresh = { upvotes: 10, comments: 0, starsGained: 0, since: hoursAgo(5) };
    const old = { upvotes: 60, comments: 0, starsGained: 0, since: hoursAgo(100) };
    const p = trendingParams();
    assert.ok(trendingScore(fresh, at, p) > trendingScore(old, at, p));
    const flat = trendingParams({ gravity: 0 });
    assert.ok(trendingScore(fresh, at, flat) < trendingScore(old, at, flat));
  });

  test("a paper from the future counts as brand new; lost stars and negative counts add nothing", () => {
    const p = trendingParams();
    const future = trendingScore({ upvotes: 4, comments: 0, starsGained: -30, since: hoursAgo(-10) }, at, p);
    assert.equal(future, 4 / 2 ** 1.5);
  });

  test("stars gained: latest in the window minus the baseline before it", () => {
    const history = [
      { observedAt: "2024-05-01T00:00:00Z", stars: 10 },
      { observedAt: "2024-06-02T00:00:00Z", stars: 40 },
      { observedAt: "2024-06-09T00:00:00Z", stars: 100 },
      { observedAt: "2024-06-11T00:00:00Z", stars: 900 },
    ];
    const from = new Date("2024-06-03T00:00:00Z");
    assert.equal(starsGained(history, from, at), 60);
    // No observation before the window: the first inside it is the baseline.
    assert.equal(starsGained(history.slice(2), from, at), 0);
    assert.equal(starsGained([], from, at), 0);
  });

  test("parameters are validated", () => {
    assert.throws(() => trendingParams({ gravity: -1 }), RangeError);
    assert.throws(() => trendingParams({ starWeight: Number.NaN }), RangeError);
    assert.throws(() => trendingParams({ windowDays: 0 }), RangeError);
    assert.equal(trendingParams({ windowDays: 3 }).windowDays, 3);
  });
});

describe("periods", () => {
  test("ISO weeks across year boundaries", () => {
    assert.equal(weekOf(day("2021-01-01")), "2020-W53");
    assert.equal(weekOf(day("2024-12-30")), "2025-W01");
    assert.equal(weekOf(day("2024-05-27")), "2024-W22");
    assert.deepEqual(periodRange({ kind: "week", week: "2020-W53" }), {
      kind: "week",
      key: "2020-W53",
      start: "2020-12-28",
      end: "2021-01-03",
    });
    assert.throws(() => periodRange({ kind: "week", week: "2021-W53" }), /not a week/);
    assert.throws(() => periodRange({ kind: "week", week: "2021-W00" }), /not a week/);
  });

  test("months end on their last day, leap years included", () => {
    assert.equal(periodRange({ kind: "month", month: "2024-02" }).end, "2024-02-29");
    assert.equal(periodRange({ kind: "month", month: "2023-02" }).end, "2023-02-28");
    assert.equal(periodRange({ kind: "month", month: "2024-12" }).end, "2024-12-31");
    assert.throws(() => periodRange({ kind: "month", month: "2024-1" }), /not a month/);
  });
});

describe("activity", () => {
  test("largest entry plus local votes and comments", async () => {
    const a = id("2405.00001");
    const b = id("2405.00002");
    const entry = (date: string, upvotes: number, numComments: number) => ({
      date: day(date),
      paperId: a,
      source: "hf-daily" as const,
      submitter: null,
      organization: null,
      upvotes,
      numComments,
      firstSeenAt: ts("2024-05-27T00:00:00Z"),
      lastUpdatedAt: ts("2024-05-27T00:00:00Z"),
    });
    const local = async (ids: readonly ArxivId[]) =>
      new Map(ids.filter((x) => x === a || x === b).map((x) => [x, { votes: 3, comments: 1 }]));
    const folded = await foldActivity([a, b], [entry("2024-05-28", 7, 1), entry("2024-05-27", 7, 0)], local);
    assert.deepEqual(
      {
        upvotes: folded.get(a)?.upvotes,
        comments: folded.get(a)?.numComments,
        day: folded.get(a)?.entry?.date,
      },
      { upvotes: 10, comments: 2, day: "2024-05-28" },
    );
    assert.deepEqual(folded.get(a)?.featuredOn, ["2024-05-27", "2024-05-28"]);
    assert.deepEqual({ ...folded.get(b) }, { upvotes: 3, numComments: 1, entry: null, featuredOn: [] });
  });
});
