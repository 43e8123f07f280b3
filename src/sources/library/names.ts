import type { Paper } from "../../core/index.ts";

/** "Given Family" split at the last word (a guess good enough for citations; names stay whole elsewhere). */
export function authorParts(name: string): { given: string; family: string } {
  const words = name.trim().split(/\s+/);
  const family = words.pop() ?? "";
  return { given: words.join(" "), family };
}

/** A four-digit year at the start of a date field, or null. */
export function entryYear(text: string | null | undefined): string | null {
  const m = /\b(\d{4})\b/.exec(text ?? "");
  return m?.[1] ?? null;
}

/** The year of a paper's first version. */
export function paperYear(paper: Paper): string | null {
  return entryYear(paper.publishedAt ?? paper.versions[0]?.date ?? null);
}
