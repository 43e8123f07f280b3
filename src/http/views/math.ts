import temml from "temml";
import { escapeHtml } from "../../core/text/html.ts";

/**
 * LaTeX math in titles and abstracts, rendered on the server to MathML with temml, so readers need no script.
 *
 * Safety: text outside math is escaped here; math goes to temml with `trust: false` (no \href, \url,
 * \includegraphics, \style, \class, ...), `throwOnError: true` (a formula temml cannot parse is shown as the
 * escaped TeX the authors wrote) and expansion and size limits (no macro bombs). temml escapes the text it
 * puts into MathML itself; we only ever place its output, never anything of ours unescaped.
 */

/** A formula longer than this is shown as TeX: no real abstract needs more, and parsing cost grows with it. */
const MAX_FORMULA_CHARS = 1_000;
/** Past this many formulas in one text, the rest are shown as TeX (bounds the work per abstract). */
const MAX_FORMULAS = 60;

const TEMML_OPTIONS = {
  trust: false,
  throwOnError: true,
  strict: false,
  maxExpand: 300,
  maxSize: [20, 20] as [number, number],
};

/** Rendered formulas by source; titles repeat across every list page, so this saves most of the work. */
const cache = new Map<string, string | null>();
const CACHE_LIMIT = 20_000;

function renderFormula(tex: string, display: boolean): string | null {
  const key = `${display ? "D" : "I"}${tex}`;
  const hit = cache.get(key);
  if (hit !== undefined) return hit;
  let html: string | null;
  try {
    html = temml.renderToString(tex, { ...TEMML_OPTIONS, displayMode: display });
  } catch {
    html = null;
  }
  if (cache.size >= CACHE_LIMIT) cache.clear();
  cache.set(key, html);
  return html;
}

/** A piece of text: plain prose, or a formula with its delimiters. */
export interface TexSegment {
  kind: "text" | "math";
  /** For math, the TeX without delimiters; for text, the prose (with `\$` already turned into `$`). */
  value: string;
  /** The source as written (delimiters included), shown when a formula cannot be rendered. */
  source: string;
  display: boolean;
}

const OPENERS: { open: string; close: string; display: boolean }[] = [
  { open: "$$", close: "$$", display: true },
  { open: "\\[", close: "\\]", display: true },
  { open: "\\(", close: "\\)", display: false },
  { open: "$", close: "$", display: false },
];

/** Finds the closing delimiter, skipping backslash-escaped characters (`\$` inside math is a dollar sign). */
function findClose(text: string, from: number, close: string): number {
  for (let i = from; i < text.length; i++) {
    if (text[i] === "\\" && close === "$") {
      i++;
      continue;
    }
    if (text.startsWith(close, i)) return i;
  }
  return -1;
}

/** Splits text into prose and math at `$...$`, `$$...$$`, `\(...\)` and `\[...\]`; `\$` is a literal dollar. */
export function splitTex(text: string): TexSegment[] {
  const out: TexSegment[] = [];
  let prose = "";
  let i = 0;
  while (i < text.length) {
    if (text.startsWith("\\$", i)) {
      prose += "$";
      i += 2;
      continue;
    }
    const opener = OPENERS.find((o) => text.startsWith(o.open, i));
    if (opener) {
      const start = i + opener.open.length;
      const end = findClose(text, start, opener.close);
      const body = end === -1 ? "" : text.slice(start, end);
      if (end !== -1 && body.trim() !== "") {
        if (prose) out.push({ kind: "text", value: prose, source: prose, display: false });
        prose = "";
        const source = text.slice(i, end + opener.close.length);
        out.push({ kind: "math", value: body, source, display: opener.display });
        i = end + opener.close.length;
        continue;
      }
      prose += opener.open;
      i += opener.open.length;
      continue;
    }
    prose += text[i];
    i++;
  }
  if (prose) out.push({ kind: "text", value: prose, source: prose, display: false });
  return out;
}

/** An http(s) URL in prose; trailing punctuation is the sentence's, not the URL's. */
const BARE_URL = /\bhttps?:\/\/[^\s<>"'`{}|\\^]+/g;

/** Prose escaped, with bare http(s) URLs as links (`rel="nofollow noopener"`). */
function linkify(prose: string): string {
  let html = "";
  let last = 0;
  for (const match of prose.matchAll(BARE_URL)) {
    const url = match[0].replace(/[.,;:!?)\]]+$/, "");
    const at = match.index ?? 0;
    html += escapeHtml(prose.slice(last, at));
    html += `<a href="${escapeHtml(url)}" rel="nofollow noopener">${escapeHtml(url)}</a>`;
    last = at + url.length;
  }
  return html + escapeHtml(prose.slice(last));
}

/**
 * HTML for text that may hold LaTeX math: prose escaped, formulas as MathML, unrenderable ones as TeX. With
 * `links`, bare URLs in the prose become links (abstracts name their code and project pages this way).
 */
export function texToHtml(text: string, options: { links?: boolean } = {}): string {
  let html = "";
  let formulas = 0;
  for (const segment of splitTex(text)) {
    if (segment.kind === "text") {
      html += options.links ? linkify(segment.value) : escapeHtml(segment.value);
      continue;
    }
    formulas++;
    const rendered =
      formulas <= MAX_FORMULAS && segment.value.length <= MAX_FORMULA_CHARS
        ? renderFormula(segment.value, segment.display)
        : null;
    html += rendered ?? `<code class="tex">${escapeHtml(segment.source)}</code>`;
  }
  return html;
}

/** Text with math for places that cannot hold markup (<title>, meta tags, feeds): delimiters dropped. */
export function texToPlain(text: string): string {
  return splitTex(text)
    .map((s) => s.value)
    .join("")
    .replace(/\s+/g, " ")
    .trim();
}

/**
 * A formula renderer for one comment's Markdown (`renderMarkdown(body, { math: commentMath() })`): the same
 * temml settings and limits as abstracts; a formula it cannot render stays as the text that was typed.
 */
export function commentMath(): (tex: string, display: boolean) => string | null {
  let formulas = 0;
  return (tex, display) => {
    formulas++;
    if (formulas > MAX_FORMULAS || tex.length > MAX_FORMULA_CHARS) return null;
    return renderFormula(tex, display);
  };
}
