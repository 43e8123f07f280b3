import { ValidationError } from "./errors.ts";

/** A calendar date `YYYY-MM-DD` (UTC). */
export type IsoDate = string & { readonly __brand: "IsoDate" };
/** A UTC instant in ISO 8601 form with milliseconds, e.g. `2024-05-27T07:54:25.329Z`. */
export type IsoTimestamp = string & { readonly __brand: "IsoTimestamp" };

const DATE = /^(\d{4})-(\d{2})-(\d{2})$/;

export function parseIsoDate(input: string): IsoDate {
  const m = DATE.exec(input.trim());
  if (m) {
    const [, y, mo, d] = m as unknown as [string, string, string, string];
    const date = new Date(Date.UTC(Number(y), Number(mo) - 1, Number(d)));
    if (
      date.getUTCFullYear() === Number(y) &&
      date.getUTCMonth() === Number(mo) - 1 &&
      date.getUTCDate() === Number(d) &&
      Number(y) >= 1900
    ) {
      return `${y}-${mo}-${d}` as IsoDate;
    }
  }
  throw new ValidationError("invalid_date", `not a date: "${input.slice(0, 40)}" (expected YYYY-MM-DD)`);
}

/**
 * Parses any date-time string that `Date` understands (ISO 8601, RFC 2822) into a UTC timestamp. Years outside
 * 0000-9999 are refused: ISO writes them with a sign and six digits, which would no longer sort as text.
 */
export function parseTimestamp(input: string): IsoTimestamp {
  const ms = Date.parse(input);
  const iso = Number.isNaN(ms) ? "" : new Date(ms).toISOString();
  if (!/^\d{4}-/.test(iso)) {
    throw new ValidationError("invalid_date", `not a date-time: "${input.slice(0, 60)}"`);
  }
  return iso as IsoTimestamp;
}

export function toTimestamp(date: Date): IsoTimestamp {
  return date.toISOString() as IsoTimestamp;
}

export function dateOf(timestamp: IsoTimestamp): IsoDate {
  return timestamp.slice(0, 10) as IsoDate;
}
