import assert from "node:assert/strict";
import { describe, test } from "node:test";
import {
  assembleDigest,
  checkSchedule,
  type DeliverySchedule,
  isoWeekKey,
  latestPeriod,
  nextPeriod,
  periodsDue,
  zonedInstant,
} from "../../src/core/digest.ts";

const daily = (hour: number, timeZone: string): DeliverySchedule => ({
  frequency: "daily",
  hour,
  weekday: 1,
  timeZone,
});
const weekly = (weekday: number, hour: number, timeZone: string): DeliverySchedule => ({
  frequency: "weekly",
  hour,
  weekday,
  timeZone,
});
const iso = (d: Date) => d.toISOString();

describe("digest periods in the reader's time zone", () => {
  test("a daily digest is due at the local hour, keyed by the local day", () => {
    const paris = daily(8, "Europe/Paris");
    // 06:59 UTC is 07:59 in Paris (winter, UTC+1): today's digest is not due yet, yesterday's is the latest.
    const p1 = latestPeriod(paris, new Date("2026-11-26T06:59:00Z"));
    assert.equal(p1.key, "2026-11-25");
    assert.equal(iso(p1.dueAt), "2026-11-25T07:00:00.000Z");
    assert.equal(iso(p1.since), "2026-11-24T07:00:00.000Z");
    const p2 = latestPeriod(paris, new Date("2026-11-26T07:00:00Z"));
    assert.equal(p2.key, "2026-11-26");
    // Tokyo at 08:00 on the 27th is 23:00 UTC on the 26th: the local day names the period.
    const tokyo = latestPeriod(daily(8, "Asia/Tokyo"), new Date("2026-11-26T23:30:00Z"));
    assert.equal(tokyo.key, "2026-11-27");
    assert.equal(iso(tokyo.dueAt), "2026-11-26T23:00:00.000Z");
  });

  test("daylight saving: a day is 23 or 25 hours long, and a skipped hour maps just past the jump", () => {
    // New York springs forward on 2026-03-08 at 02:00 (to 03:00).
    const ny = daily(8, "America/New_York");
    const spring = latestPeriod(ny, new Date("2026-03-08T13:00:00Z"));
    assert.equal(spring.key, "2026-03-08");
    assert.equal(iso(spring.dueAt), "2026-03-08T12:00:00.000Z"); // 08:00 EDT
    assert.equal(iso(spring.since), "2026-03-07T13:00:00.000Z"); // 08:00 EST: 23 hours earlier
    assert.equal(
      iso(zonedInstant({ year: 2026, month: 3, day: 8 }, 2, "America/New_York")),
      "2026-03-08T07:00:00.000Z",
    );
    // Paris falls back on 2026-10-25 at 03:00 (to 02:00): 02:00 happens twice, the first one counts.
    assert.equal(
      iso(zonedInstant({ year: 2026, month: 10, day: 25 }, 2, "Europe/Paris")),
      "2026-10-25T00:00:00.000Z",
    );
    const fall = latestPeriod(daily(8, "Europe/Paris"), new Date("2026-10-25T12:00:00Z"));
    assert.equal(iso(fall.dueAt), "2026-10-25T07:00:00.000Z");
    assert.equal(iso(fall.since), "2026-10-24T06:00:00.000Z"); // 25 hours earlier
  });

  test("weekly boundaries: ISO weeks, the reader's weekday, across a year end", () => {
    assert.equal(isoWeekKey({ year: 2026, month: 12, day: 31 }), "2026-W53");
    assert.equal(isoWeekKey({ year: 2027, month: 1, day: 3 }), "2026-W53");
    assert.equal(isoWeekKey({ year: 2027, month: 1, day: 4 }), "2027-W01");
    assert.equal(isoWeekKey({ year: 2024, month: 12, day: 30 }), "2025-W01");
    const monday9 = weekly(1, 9, "Europe/Berlin");
    // Sunday 2027-01-03 evening: the latest Monday digest is that of 2026-12-28 (week 53).
    const p = latestPeriod(monday9, new Date("2027-01-03T20:00:00Z"));
    assert.equal(p.key, "2026-W53");
    assert.equal(iso(p.dueAt), "2026-12-28T08:00:00.000Z");
    assert.equal(iso(p.since), "2026-12-21T08:00:00.000Z");
    const next = nextPeriod(monday9, new Date("2027-01-03T20:00:00Z"));
    assert.equal(next.key, "2027-W01");
    assert.equal(iso(next.dueAt), "2027-01-04T08:00:00.000Z");
    // Sunday 23:30 in Los Angeles is already Monday in UTC; the reader's Sunday is what counts.
    const sunday = weekly(7, 23, "America/Los_Angeles");
    const s = latestPeriod(sunday, new Date("2026-11-30T08:00:00Z"));
    assert.equal(iso(s.dueAt), "2026-11-30T07:00:00.000Z");
    assert.equal(s.key, "2026-W48");
  });

  test("periods owed after a gap, oldest first", () => {
    const utc = daily(8, "UTC");
    const { due } = periodsDue(utc, new Date("2026-11-23T08:00:00Z"), new Date("2026-11-26T09:00:00Z"));
    assert.deepEqual(
      due.map((p) => p.key),
      ["2026-11-24", "2026-11-25", "2026-11-26"],
    );
    assert.deepEqual(
      periodsDue(utc, new Date("2026-11-26T08:00:00Z"), new Date("2026-11-26T09:00:00Z")).due,
      [],
    );
  });

  test("bad schedules are refused with the field named", () => {
    assert.throws(() => checkSchedule(daily(24, "UTC")), /hour/);
    assert.throws(() => checkSchedule(daily(8, "Mars/Olympus")), /time zone/);
    assert.throws(() => checkSchedule(weekly(0, 8, "UTC")), /weekday/);
  });
});

describe("assembling a digest", () => {
  test("a paper appears once, the first section keeps it, and recommendations never repeat", () => {
    const item = (paperId: string) => ({ paperId, reason: null, terms: [] });
    const content = assembleDigest(
      [
        { kind: "recommended", title: "For you", items: [item("a"), item("old"), item("b")] },
        { kind: "trending", title: "Trending", items: [item("b"), item("c"), item("old")] },
        { kind: "category", title: "cs.LG", items: [item("a")] },
      ],
      new Set(["old"]),
    );
    assert.deepEqual(
      content.sections.map((s) => [s.kind, s.items.map((i) => i.paperId)]),
      [
        ["recommended", ["a", "b"]],
        ["trending", ["c", "old"]],
      ],
    );
  });
});
