import { ValidationError } from "./errors.ts";

/** An arXiv category such as `cs.LG`, `hep-th`, `cond-mat.stat-mech` or `physics.acc-ph`. */
export type Category = string & { readonly __brand: "Category" };

const CATEGORY = /^[a-z]+(?:-[a-z]+)*(?:\.[A-Za-z]+(?:-[a-z]+)*)?$/;

export function parseCategory(input: string): Category {
  const s = input.trim();
  if (!CATEGORY.test(s) || s.length > 40) {
    throw new ValidationError(
      "invalid_category",
      `not an arXiv category: "${s.slice(0, 60)}" (expected forms like cs.LG, hep-th, cond-mat.stat-mech)`,
    );
  }
  return s as Category;
}

/** Parses a space- or comma-separated category list, primary first, dropping duplicates. */
export function parseCategoryList(input: string | readonly string[]): Category[] {
  const parts = typeof input === "string" ? input.split(/[\s,]+/) : input;
  const seen = new Set<string>();
  const out: Category[] = [];
  for (const part of parts) {
    if (part.trim() === "") continue;
    const c = parseCategory(part);
    if (!seen.has(c)) {
      seen.add(c);
      out.push(c);
    }
  }
  return out;
}

/** The archive a category belongs to: `cs.LG` → `cs`, `hep-th` → `hep-th`. */
export function archiveOf(category: Category): string {
  const dot = category.indexOf(".");
  return dot === -1 ? category : category.slice(0, dot);
}
