import { type IsoDate, parseIsoDate, ValidationError } from "../../core/index.ts";
import type { Period, PeriodKind, PeriodRange } from "./types.ts";

const DAY_MS = 86_400_000;
const WEEK = /^(\d{4})-W(\d{2})$/;
const MONTH = /^(\d{4})-(\d{2})$/;

function isoDate(ms: number): IsoDate {
  return new Date(ms).toISOString().slice(0, 10) as IsoDate;
}

/** Monday of ISO week 1: the week holding January 4th. */
function isoWeekOneMonday(year: number): number {
  const jan4 = Date.UTC(year, 0, 4);
  const weekday = (new Date(jan4).getUTCDay() + 6) % 7; // Monday 0 .. Sunday 6
  return jan4 - weekday * DAY_MS;
}

/** The ISO week (`2024-W22`) a day belongs to; early January days can belong to the previous year's last week. */
export function weekOf(date: IsoDate): string {
  const ms = Date.parse(`${date}T00:00:00Z`);
  const weekday = (new Date(ms).getUTCDay() + 6) % 7;
  // The Thursday of the same week decides the week's year.
  const thursday = ms + (3 - weekday) * DAY_MS;
  const year = new Date(thursday).getUTCFullYear();
  const week = Math.floor((thursday - isoWeekOneMonday(year)) / (7 * DAY_MS)) + 1;
  return `${year}-W${String(week).padStart(2, "0")}`;
}

export function monthOf(date: IsoDate): string {
  return date.slice(0, 7);
}

/** The key of the period of `kind` that holds `date`. */
export function keyOf(kind: PeriodKind, date: IsoDate): string {
  if (kind === "week") return weekOf(date);
  if (kind === "month") return monthOf(date);
  return date;
}

function invalid(kind: PeriodKind, key: string, expected: string): never {
  throw new ValidationError("invalid_date", `not a ${kind}: "${key.slice(0, 40)}" (expected ${expected})`);
}

/** Resolves a period to its first and last day; throws `invalid_date` for a malformed or impossible key. */
export function periodRange(period: Period): PeriodRange {
  if (period.kind === "day") {
    const date = parseIsoDate(period.date);
    return { kind: "day", key: date, start: date, end: date };
  }
  if (period.kind === "week") {
    const m = WEEK.exec(period.week.trim());
    if (!m) invalid("week", period.week, "YYYY-Www, e.g. 2024-W22");
    const year = Number(m[1]);
    const week = Number(m[2]);
    const monday = isoWeekOneMonday(year) + (week - 1) * 7 * DAY_MS;
    if (year < 1900 || week < 1 || weekOf(isoDate(monday)) !== `${m[1]}-W${m[2]}`) {
      invalid("week", period.week, "an ISO week that exists, 01..52 or 53");
    }
    return {
      kind: "week",
      key: `${m[1]}-W${m[2]}`,
      start: isoDate(monday),
      end: isoDate(monday + 6 * DAY_MS),
    };
  }
  const m = MONTH.exec(period.month.trim());
  if (!m) invalid("month", period.month, "YYYY-MM, e.g. 2024-05");
  const year = Number(m[1]);
  const month = Number(m[2]);
  if (year < 1900 || month < 1 || month > 12) invalid("month", period.month, "a month 01..12");
  const start = Date.UTC(year, month - 1, 1);
  const end = Date.UTC(year, month, 1) - DAY_MS;
  return { kind: "month", key: `${m[1]}-${m[2]}`, start: isoDate(start), end: isoDate(end) };
}

/** Builds a period from its kind and key (`day` + `2024-05-27`, `week` + `2024-W22`, `month` + `2024-05`). */
export function parsePeriodKey(kind: PeriodKind, key: string): Period {
  const period: Period =
    kind === "day"
      ? { kind, date: parseIsoDate(key) }
      : kind === "week"
        ? { kind, week: key }
        : { kind, month: key };
  periodRange(period);
  return period;
}

/** Adds whole days to a date. */
export function addDays(date: IsoDate, days: number): IsoDate {
  return isoDate(Date.parse(`${date}T00:00:00Z`) + days * DAY_MS);
}
