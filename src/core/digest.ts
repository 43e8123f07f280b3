/**
 * Digests, pure: when a subscription's digest is due in the reader's own time zone, which period it covers, and
 * how its sections are assembled without repeating a paper. No clock, store or network here: every function
 * takes the instant it reasons about.
 *
 * A period is named by a key in the reader's calendar: `2026-11-26` for a daily digest (the local day it is
 * sent), `2026-W48` for a weekly one (the ISO week of the local day it is sent). A digest is due at the
 * subscription's local hour on that day; it covers everything since the previous period was due.
 */

import { PaperboyError } from "./errors.ts";

export const FREQUENCIES = ["daily", "weekly"] as const;
export type Frequency = (typeof FREQUENCIES)[number];

/** When a reader wants their digest. */
export interface DeliverySchedule {
  frequency: Frequency;
  /** Local hour, 0..23. */
  hour: number;
  /** ISO weekday of weekly digests: 1 Monday .. 7 Sunday (ignored for daily ones). */
  weekday: number;
  /** IANA time zone, e.g. `Europe/Paris`. */
  timeZone: string;
}

/** A search a reader saved: the search box's text (filters such as `cat:cs.CL` may be in it). */
export interface SavedSearch {
  q: string;
}

/** What goes into a digest, any mix. */
export interface DigestContents {
  /** Top N trending papers; 0 leaves the section out. */
  trending: number;
  searches: SavedSearch[];
  categories: string[];
  authors: string[];
  /** Papers recommended from the reader's own upvotes and library (members only). */
  recommendations: boolean;
}

export const DEFAULT_CONTENTS: Readonly<DigestContents> = Object.freeze({
  trending: 10,
  searches: [],
  categories: [],
  authors: [],
  recommendations: true,
});

/** Most papers per section, so a digest stays readable. */
export const MAX_SECTION_ITEMS = 25;

export interface DigestPeriod {
  /** `YYYY-MM-DD` (daily) or `YYYY-Www` (weekly), in the reader's calendar. */
  key: string;
  /** When it is due: the local hour on the local sending day, as a UTC instant. */
  dueAt: Date;
  /** When the previous period was due: the start of what this digest covers. */
  since: Date;
}

/** A delivery schedule that breaks a rule; always the code `invalid_schedule`, the message names the field. */
export class DigestScheduleError extends PaperboyError {
  declare readonly code: "invalid_schedule";
  constructor(message: string) {
    super("invalid_schedule", message);
    this.name = "DigestScheduleError";
  }
}

/** Whether `zone` is a time zone this runtime knows. */
export function isTimeZone(zone: string): boolean {
  if (zone.length === 0 || zone.length > 64) return false;
  try {
    new Intl.DateTimeFormat("en-US", { timeZone: zone });
    return true;
  } catch {
    return false;
  }
}

/** Checks a schedule; throws `DigestScheduleError` naming the bad field. */
export function checkSchedule(schedule: DeliverySchedule): DeliverySchedule {
  if (!FREQUENCIES.includes(schedule.frequency)) {
    throw new DigestScheduleError(`frequency must be daily or weekly`);
  }
  if (!Number.isInteger(schedule.hour) || schedule.hour < 0 || schedule.hour > 23) {
    throw new DigestScheduleError("hour must be a whole number from 0 to 23");
  }
  if (!Number.isInteger(schedule.weekday) || schedule.weekday < 1 || schedule.weekday > 7) {
    throw new DigestScheduleError("weekday must be 1 (Monday) to 7 (Sunday)");
  }
  if (!isTimeZone(schedule.timeZone))
    throw new DigestScheduleError(`unknown time zone "${schedule.timeZone}"`);
  return schedule;
}

/** A local calendar day, as numbers. */
interface LocalDay {
  year: number;
  month: number;
  day: number;
}

const formatters = new Map<string, Intl.DateTimeFormat>();

function formatter(zone: string): Intl.DateTimeFormat {
  let f = formatters.get(zone);
  if (!f) {
    f = new Intl.DateTimeFormat("en-US", {
      timeZone: zone,
      hourCycle: "h23",
      year: "numeric",
      month: "numeric",
      day: "numeric",
      hour: "numeric",
      minute: "numeric",
      second: "numeric",
    });
    formatters.set(zone, f);
  }
  return f;
}

/** The wall-clock reading of `instant` in `zone`. */
export function localTime(instant: Date, zone: string) {
  const parts: Record<string, number> = {};
  for (const p of formatter(zone).formatToParts(instant)) {
    if (p.type !== "literal") parts[p.type] = Number(p.value);
  }
  return {
    year: parts.year ?? 0,
    month: parts.month ?? 0,
    day: parts.day ?? 0,
    hour: parts.hour ?? 0,
    minute: parts.minute ?? 0,
    second: parts.second ?? 0,
  };
}

/** How far `zone`'s clock is ahead of UTC at `instant`, in ms. */
function offsetMs(instant: Date, zone: string): number {
  const t = localTime(instant, zone);
  const asUtc = Date.UTC(t.year, t.month - 1, t.day, t.hour, t.minute, t.second);
  return asUtc - Math.floor(instant.getTime() / 1000) * 1000;
}

/**
 * The instant a wall clock in `zone` shows `hour`:00 on `day`. An hour skipped by a daylight-saving jump maps
 * to the first instant after the jump; an hour that happens twice maps to its first occurrence.
 */
export function zonedInstant(day: LocalDay, hour: number, zone: string): Date {
  const wall = Date.UTC(day.year, day.month - 1, day.day, hour);
  // The offsets a day either side bracket any transition on this day; each gives one candidate instant.
  const before = wall - offsetMs(new Date(wall - 86_400_000), zone);
  const after = wall - offsetMs(new Date(wall + 86_400_000), zone);
  const shows = (ms: number) => {
    const t = localTime(new Date(ms), zone);
    return t.hour === hour && t.day === day.day;
  };
  const valid = [before, after].filter(shows).sort((a, b) => a - b);
  // None valid: the hour was skipped; the pre-jump offset lands just after the jump.
  return new Date(valid[0] ?? before);
}

function addDays(day: LocalDay, days: number): LocalDay {
  const d = new Date(Date.UTC(day.year, day.month - 1, day.day + days));
  return { year: d.getUTCFullYear(), month: d.getUTCMonth() + 1, day: d.getUTCDate() };
}

/** ISO weekday of a calendar day: 1 Monday .. 7 Sunday. */
function isoWeekday(day: LocalDay): number {
  const w = new Date(Date.UTC(day.year, day.month - 1, day.day)).getUTCDay();
  return w === 0 ? 7 : w;
}

/** ISO 8601 week key of a calendar day (`2026-W01` may start in December). */
export function isoWeekKey(day: LocalDay): string {
  const thursday = addDays(day, 4 - isoWeekday(day));
  const jan1 = Date.UTC(thursday.year, 0, 1);
  const week =
    Math.floor((Date.UTC(thursday.year, thursday.month - 1, thursday.day) - jan1) / 86_400_000 / 7) + 1;
  return `${thursday.year}-W${String(week).padStart(2, "0")}`;
}

function dayKey(day: LocalDay): string {
  return `${day.year}-${String(day.month).padStart(2, "0")}-${String(day.day).padStart(2, "0")}`;
}

function stepDays(schedule: DeliverySchedule): number {
  return schedule.frequency === "daily" ? 1 : 7;
}

function periodOn(schedule: DeliverySchedule, day: LocalDay): Omit<DigestPeriod, "since"> {
  return {
    key: schedule.frequency === "daily" ? dayKey(day) : isoWeekKey(day),
    dueAt: zonedInstant(day, schedule.hour, schedule.timeZone),
  };
}

function withSince(schedule: DeliverySchedule, day: LocalDay): DigestPeriod {
  const previous = periodOn(schedule, addDays(day, -stepDays(schedule)));
  return { ...periodOn(schedule, day), since: previous.dueAt };
}

/** The local sending day of the latest period due at or before `now`. */
function latestSendingDay(schedule: DeliverySchedule, now: Date): LocalDay {
  const t = localTime(now, schedule.timeZone);
  let day: LocalDay = { year: t.year, month: t.month, day: t.day };
  if (schedule.frequency === "weekly") {
    day = addDays(day, -((isoWeekday(day) - schedule.weekday + 7) % 7));
  }
  if (periodOn(schedule, day).dueAt.getTime() > now.getTime()) day = addDays(day, -stepDays(schedule));
  return day;
}

/** The latest period due at or before `now`. */
export function latestPeriod(schedule: DeliverySchedule, now: Date): DigestPeriod {
  return withSince(schedule, latestSendingDay(schedule, now));
}

/** The first period due strictly after `now` (what a new subscription gets first). */
export function nextPeriod(schedule: DeliverySchedule, now: Date): DigestPeriod {
  return withSince(schedule, addDays(latestSendingDay(schedule, now), stepDays(schedule)));
}

/**
 * Periods due in (after, now], oldest first: what a planner that last planned up to `after` owes now. At
 * most `limit` (the newest ones); the caller records older ones as skipped rather than send stale digests.
 */
export function periodsDue(
  schedule: DeliverySchedule,
  after: Date,
  now: Date,
  limit = 60,
): { due: DigestPeriod[]; missed: number } {
  const due: DigestPeriod[] = [];
  let missed = 0;
  let day = latestSendingDay(schedule, now);
  for (;;) {
    const period = withSince(schedule, day);
    if (period.dueAt.getTime() <= after.getTime()) break;
    if (due.length < limit) due.unshift(period);
    else missed++;
    if (missed > 10_000) break;
    day = addDays(day, -stepDays(schedule));
  }
  return { due, missed };
}

// ---- selection -------------------------------------------------------------------------------------------

export const SECTION_KINDS = ["trending", "search", "category", "author", "recommended"] as const;
export type SectionKind = (typeof SECTION_KINDS)[number];

export interface DigestItem {
  paperId: string;
  /** Why the paper is here, in words ("similar to X you saved"); null where the section title says it. */
  reason: string | null;
  /** Words that matched (recommendations). */
  terms: string[];
}

export interface DigestSection {
  kind: SectionKind;
  title: string;
  items: DigestItem[];
  /**
   * A section the reader asked for by name (a followed author or category, a saved search): the day
   * (`YYYY-MM-DD`) its papers are looked for from. Such a section is kept when empty, so the digest can say
   * "nothing new since" that day instead of leaving the reader to wonder whether the follow works.
   */
  since?: string;
}

/** What one digest holds; saved with its delivery so a retry sends exactly the same mail. */
export interface DigestContent {
  sections: DigestSection[];
  /** The first day (`YYYY-MM-DD`) of the period the digest covers (absent in digests saved before it was). */
  since?: string;
}

/** Sections a reader follows by name: shown even when empty (see `DigestSection.since`). */
export function isFollowSection(section: DigestSection): boolean {
  return section.since !== undefined && section.kind !== "trending" && section.kind !== "recommended";
}

/**
 * Assembles sections in the given order so that each paper appears once (the first section that has it keeps
 * it), recommendations never repeat a paper already suggested to the reader, and empty sections are dropped,
 * except those the reader follows by name (`isFollowSection`), which stay to say there was nothing new.
 */
export function assembleDigest(
  sections: readonly DigestSection[],
  alreadySuggested: ReadonlySet<string>,
  maxItems = MAX_SECTION_ITEMS,
): DigestContent {
  const seen = new Set<string>();
  const out: DigestSection[] = [];
  for (const section of sections) {
    const items: DigestItem[] = [];
    for (const item of section.items) {
      if (items.length >= maxItems) break;
      if (seen.has(item.paperId)) continue;
      if (section.kind === "recommended" && alreadySuggested.has(item.paperId)) continue;
      seen.add(item.paperId);
      items.push(item);
    }
    if (items.length > 0 || isFollowSection(section)) out.push({ ...section, items });
  }
  return { sections: out };
}

export function digestPaperIds(content: DigestContent): string[] {
  return content.sections.flatMap((s) => s.items.map((i) => i.paperId));
}

export function recommendedIds(content: DigestContent): string[] {
  return content.sections
    .filter((s) => s.kind === "recommended")
    .flatMap((s) => s.items.map((i) => i.paperId));
}

// ---- follows ---------------------------------------------------------------------------------------------

/** What a reader can follow in one click: an author, a category, a saved search ("Alert me"). */
export const FOLLOW_KINDS = ["author", "category", "search"] as const;
export type FollowKind = (typeof FOLLOW_KINDS)[number];

export interface Follow {
  kind: FollowKind;
  /** The author's name, the category (`cs.CL`) or the search box's text. */
  value: string;
}

/** Most follows of one kind a subscription keeps (the settings form's limit too). */
export const MAX_FOLLOWS = 20;
const MAX_FOLLOW_CHARS: Record<FollowKind, number> = { author: 100, category: 20, search: 200 };
const FOLLOW_PLURALS: Record<FollowKind, string> = {
  author: "authors",
  category: "categories",
  search: "saved searches",
};
const CATEGORY_SHAPE = /^[a-z-]+(\.[A-Za-z-]+)?$/;

/** A follow as typed, tidied (spaces collapsed) and checked; throws a `PaperboyError` `invalid_input`. */
export function checkFollow(kind: string, value: string): Follow {
  if (!(FOLLOW_KINDS as readonly string[]).includes(kind)) {
    throw new PaperboyError("invalid_input", "Follow an author, a category or a search.");
  }
  const k = kind as FollowKind;
  const v = value.trim().replace(/\s+/g, " ");
  if (v.length === 0) throw new PaperboyError("invalid_input", `Name the ${k} to follow.`);
  if (v.length > MAX_FOLLOW_CHARS[k]) {
    throw new PaperboyError(
      "invalid_input",
      `A ${k} to follow is at most ${MAX_FOLLOW_CHARS[k]} characters.`,
    );
  }
  if (k === "category" && !CATEGORY_SHAPE.test(v)) {
    throw new PaperboyError("invalid_input", "Categories look like cs.CL or math.");
  }
  return { kind: k, value: v };
}

function followValues(contents: DigestContents, kind: FollowKind): string[] {
  if (kind === "author") return contents.authors;
  if (kind === "category") return contents.categories;
  return contents.searches.map((s) => s.q);
}

function withValues(contents: DigestContents, kind: FollowKind, values: string[]): DigestContents {
  if (kind === "author") return { ...contents, authors: values };
  if (kind === "category") return { ...contents, categories: values };
  return { ...contents, searches: values.map((q) => ({ q })) };
}

/** Every follow of a subscription, authors first, then categories, then searches. */
export function followsOf(contents: DigestContents): Follow[] {
  return FOLLOW_KINDS.flatMap((kind) => followValues(contents, kind).map((value) => ({ kind, value })));
}

/** Whether `contents` already follows `follow` (authors and searches compared without case). */
export function follows(contents: DigestContents, follow: Follow): boolean {
  const key = (v: string) => (follow.kind === "category" ? v : v.toLowerCase());
  return followValues(contents, follow.kind).some((v) => key(v) === key(follow.value));
}

/** `contents` following `follow` too; unchanged when it already does. Throws past `MAX_FOLLOWS` of a kind. */
export function addFollow(contents: DigestContents, follow: Follow): DigestContents {
  if (follows(contents, follow)) return contents;
  const values = followValues(contents, follow.kind);
  if (values.length >= MAX_FOLLOWS) {
    throw new PaperboyError(
      "limit_reached",
      `A digest follows at most ${MAX_FOLLOWS} ${FOLLOW_PLURALS[follow.kind]}; remove one in your digest settings first.`,
    );
  }
  return withValues(contents, follow.kind, [...values, follow.value]);
}

/** `contents` without `follow` (compared as `follows` does). */
export function removeFollow(contents: DigestContents, follow: Follow): DigestContents {
  const key = (v: string) => (follow.kind === "category" ? v : v.toLowerCase());
  return withValues(
    contents,
    follow.kind,
    followValues(contents, follow.kind).filter((v) => key(v) !== key(follow.value)),
  );
}
