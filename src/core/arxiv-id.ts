import { ValidationError } from "./errors.ts";

/** An arXiv identifier without its version, e.g. `2405.15738` or `hep-th/9901001`. */
export type ArxivId = string & { readonly __brand: "ArxivId" };

export interface ParsedArxivId {
  id: ArxivId;
  /** The version the input named (`v2` → 2), or null when it named none. */
  version: number | null;
}

// New style (April 2007 on): YYMM.NNNN (to 2014) or YYMM.NNNNN (2015 on).
const NEW_STYLE = /^(\d{2})(\d{2})\.(\d{4,5})(?:v(\d+))?$/;
// Old style: archive[.SUBJECT-CLASS]/YYMMNNN, e.g. hep-th/9901001, math.AG/0101001, acc-phys/9411001.
const OLD_STYLE = /^([a-z]+(?:-[a-z]+)*)(?:\.[A-Za-z]+(?:-[a-z]+)*)?\/(\d{2})(\d{2})(\d{3})(?:v(\d+))?$/;
// Prefixes that people paste: arXiv:ID, abs/pdf/html URLs on arxiv.org or its mirrors, Hugging Face paper URLs.
const URL_PREFIX =
  /^(?:https?:\/\/)?(?:[a-z0-9-]+\.)*(?:arxiv\.org|huggingface\.co)\/(?:abs|pdf|html|papers|format)\//i;

function fail(input: string, why: string): never {
  const shown = input.length > 80 ? `${input.slice(0, 77)}...` : input;
  throw new ValidationError("invalid_arxiv_id", `not an arXiv id: "${shown}" (${why})`);
}

function checkMonth(input: string, month: string): void {
  const m = Number(month);
  if (m < 1 || m > 12) fail(input, `month ${month} is not 01-12`);
}

/**
 * Parses an arXiv id in any form people write it: `2405.15738`, `2405.15738v2`, `arXiv:2405.15738`,
 * `hep-th/9901001v1`, `math.GT/0309136`, `https://arxiv.org/abs/2405.15738v2`, `https://arxiv.org/pdf/2405.15738.pdf`.
 * The returned id is canonical: no version, no prefix, old-style subject class dropped.
 */
export function parseArxivId(input: string): ParsedArxivId {
  let s = input.trim();
  if (s.length === 0) fail(input, "empty");
  if (s.length > 200) fail(input, "too long");
  s = s.replace(URL_PREFIX, "").replace(/^arxiv:/i, "");
  s = s
    .replace(/[?#].*$/, "")
    .replace(/\.pdf$/i, "")
    .replace(/\/+$/, "");

  const modern = NEW_STYLE.exec(s);
  if (modern) {
    const [, yy, mm, num, v] = modern as unknown as [string, string, string, string, string | undefined];
    checkMonth(input, mm);
    const yymm = Number(yy + mm);
    if (yymm < 704) fail(input, "new-style ids start in 0704");
    if (num.length === 4 && yymm >= 1501) fail(input, "ids from 1501 on have five digits after the dot");
    if (num.length === 5 && yymm < 1501) fail(input, "ids before 1501 have four digits after the dot");
    return { id: `${yy}${mm}.${num}` as ArxivId, version: parseVersion(input, v) };
  }
  const old = OLD_STYLE.exec(s);
  if (old) {
    const [, archive, yy, mm, num, v] = old as unknown as [
      string,
      string,
      string,
      string,
      string,
      string | undefined,
    ];
    checkMonth(input, mm);
    return { id: `${archive}/${yy}${mm}${num}` as ArxivId, version: parseVersion(input, v) };
  }
  return fail(input, "expected YYMM.NNNNN or archive/YYMMNNN, optionally with vN");
}

function parseVersion(input: string, v: string | undefined): number | null {
  if (v === undefined) return null;
  const n = Number(v);
  if (!Number.isSafeInteger(n) || n < 1) fail(input, `version v${v} is not a positive number`);
  return n;
}

/** Validates an id that must already be canonical (as stored); throws otherwise. */
export function toArxivId(input: string): ArxivId {
  const parsed = parseArxivId(input);
  if (parsed.id !== input || parsed.version !== null) fail(input, `the canonical form is "${parsed.id}"`);
  return parsed.id;
}

export function isArxivId(input: string): boolean {
  try {
    parseArxivId(input);
    return true;
  } catch {
    return false;
  }
}

export function absUrl(id: ArxivId, version?: number | null): string {
  return `https://arxiv.org/abs/${id}${version ? `v${version}` : ""}`;
}

export function pdfUrl(id: ArxivId, version?: number | null): string {
  return `https://arxiv.org/pdf/${id}${version ? `v${version}` : ""}`;
}
