/**
 * A small Markdown renderer for comments, safe by construction: it never passes input through as HTML.
 * Every character of the input either becomes escaped text or one of the few tags this file writes itself:
 * paragraphs, line breaks (`<br>`), `<strong>`, `<em>`, `<code>`, fenced code (`<pre><code>`), `<blockquote>`,
 * `<ul>`/`<ol>` lists and `<a>` links to http(s) URLs only, marked `rel="nofollow ugc noopener"`.
 * Headings, images, tables and raw HTML are not part of the subset: they show as the text that was typed.
 * Work is linear in the input (no backtracking regular expressions, bounded nesting), so a hostile 100 KB
 * comment renders as fast as a friendly one.
 */
import { escapeHtml } from "./text/html.ts";

/** How deep blockquotes and lists may nest; deeper markers are shown as text. */
export const MAX_BLOCK_DEPTH = 8;
/** Longest link text and URL looked for after `[`; beyond that the brackets are plain text. */
const MAX_LINK_TEXT = 500;
const MAX_URL = 2_000;
/** Open emphasis markers remembered per paragraph; older ones become plain text. */
const MAX_OPENERS = 64;

/**
 * Renders a formula (`$...$` inline, `$$...$$` display) to safe markup, or null to leave it as typed. The web
 * layer passes temml's MathML renderer (http/views/math.ts); the core itself renders no math.
 */
export type MathRenderer = (tex: string, display: boolean) => string | null;

/** The renderer of the call in progress (rendering is synchronous, so one at a time). */
let mathRenderer: MathRenderer | null = null;

/** Longest formula looked for after a `$`; beyond that the dollar is plain text. */
const MAX_FORMULA = 1_000;

/** Renders `markdown` to an HTML fragment that is safe to insert into a page as is. */
export function renderMarkdown(markdown: string, options: { math?: MathRenderer } = {}): string {
  const text = markdown
    .replace(/\r\n?/g, "\n")
    .replace(/\t/g, "    ")
    // NUL and other control characters have no business in a comment; U+FFFD shows where they were.
    .replace(/[^\P{Cc}\n]/gu, "\ufffd");
  mathRenderer = options.math ?? null;
  try {
    return renderBlocks(text.split("\n"), 0);
  } finally {
    mathRenderer = null;
  }
}

/**
 * The formula starting at `open` (a `$`): its TeX, whether it is display math, and where it ends; or null. An
 * inline formula neither starts nor ends with a space, so "$5 and $10" stays prose.
 */
function formulaAt(text: string, open: number): { tex: string; display: boolean; end: number } | null {
  const display = text.startsWith("$$", open);
  const delimiter = display ? "$$" : "$";
  const start = open + delimiter.length;
  const limit = Math.min(text.length, start + MAX_FORMULA);
  for (let j = start; j < limit; j++) {
    if (text[j] === "\\") {
      j++;
      continue;
    }
    if (text.startsWith(delimiter, j)) {
      const tex = text.slice(start, j);
      if (tex.trim() === "") return null;
      if (!display && (isSpace(tex[0] ?? " ") || isSpace(tex[tex.length - 1] ?? " "))) return null;
      return { tex, display, end: j + delimiter.length };
    }
  }
  return null;
}

// ---------------------------------------------------------------------------------------------------------
// Blocks

const FENCE = /^ {0,3}(`{3,}|~{3,})(.*)$/;
const QUOTE = /^ {0,3}> ?/;
const BULLET = /^( {0,3})([-*+])( +)(?=\S)/;
const ORDERED = /^( {0,3})(\d{1,9})([.)])( +)(?=\S)/;
const BLANK = /^\s*$/;

interface ListMarker {
  ordered: boolean;
  /** The bullet character or the ordered delimiter; a different one starts a new list. */
  kind: string;
  start: number;
  /** Columns the item's content is indented by. */
  width: number;
}

function listMarker(line: string): ListMarker | null {
  const bullet = BULLET.exec(line);
  if (bullet) {
    const [all, , kind = "-"] = bullet;
    return { ordered: false, kind, start: 1, width: all.length };
  }
  const ordered = ORDERED.exec(line);
  if (ordered) {
    const [all, , digits = "1", kind = "."] = ordered;
    return { ordered: true, kind, start: Number(digits), width: all.length };
  }
  return null;
}

function startsBlock(line: string, depth: number): boolean {
  if (FENCE.test(line)) return true;
  if (depth >= MAX_BLOCK_DEPTH) return false;
  return QUOTE.test(line) || listMarker(line) !== null;
}

function renderBlocks(lines: readonly string[], depth: number): string {
  const out: string[] = [];
  let i = 0;
  while (i < lines.length) {
    const line = lines[i] ?? "";
    if (BLANK.test(line)) {
      i++;
      continue;
    }
    const fence = FENCE.exec(line);
    if (fence) {
      i = renderFence(lines, i, fence[1] ?? "```", out);
      continue;
    }
    if (depth < MAX_BLOCK_DEPTH && QUOTE.test(line)) {
      const quoted: string[] = [];
      while (i < lines.length && QUOTE.test(lines[i] ?? ""))
        quoted.push((lines[i++] ?? "").replace(QUOTE, ""));
      out.push(`<blockquote>${renderBlocks(quoted, depth + 1)}</blockquote>`);
      continue;
    }
    const marker = depth < MAX_BLOCK_DEPTH ? listMarker(line) : null;
    if (marker) {
      i = renderList(lines, i, marker, depth, out);
      continue;
    }
    const paragraph: string[] = [];
    while (i < lines.length) {
      const next = lines[i] ?? "";
      if (BLANK.test(next) || (paragraph.length > 0 && startsBlock(next, depth))) break;
      paragraph.push(next.trim());
      i++;
    }
    out.push(`<p>${renderInline(paragraph.join("\n"), true)}</p>`);
  }
  return out.join("\n");
}

/** A fenced code block from `lines[start]` to its closing fence (or the end); returns the next line. */
function renderFence(lines: readonly string[], start: number, open: string, out: string[]): number {
  const body: string[] = [];
  let i = start + 1;
  for (; i < lines.length; i++) {
    const close = FENCE.exec(lines[i] ?? "");
    const run = close?.[1] ?? "";
    if (close && run[0] === open[0] && run.length >= open.length && (close[2] ?? "").trim() === "") {
      i++;
      break;
    }
    body.push(lines[i] ?? "");
  }
  out.push(`<pre><code>${escapeHtml(body.join("\n"))}</code></pre>`);
  return i;
}

/** A list of items of the same kind starting at `lines[start]`; returns the next line. */
function renderList(
  lines: readonly string[],
  start: number,
  first: ListMarker,
  depth: number,
  out: string[],
): number {
  const items: string[] = [];
  let loose = false;
  let i = start;
  while (i < lines.length) {
    const marker = listMarker(lines[i] ?? "");
    if (!marker || marker.ordered !== first.ordered || marker.kind !== first.kind) break;
    const content = [(lines[i] ?? "").slice(marker.width)];
    i++;
    let blankBefore = false;
    while (i < lines.length) {
      const next = lines[i] ?? "";
      if (BLANK.test(next)) {
        blankBefore = true;
        content.push("");
        i++;
        continue;
      }
      const indented = next.length - next.trimStart().length >= marker.width;
      if (indented) content.push(next.slice(marker.width));
      else if (!blankBefore && !startsBlock(next, depth)) content.push(next);
      else break;
      i++;
    }
    while (content.length > 0 && BLANK.test(content[content.length - 1] ?? "")) content.pop();
    if (blankBefore && i < lines.length && listMarker(lines[i] ?? "")) loose = true;
    items.push(renderItem(content, depth + 1, loose));
  }
  const tag = first.ordered ? "ol" : "ul";
  const startAttr = first.ordered && first.start !== 1 ? ` start="${first.start}"` : "";
  out.push(`<${tag}${startAttr}>${items.map((item) => `<li>${item}</li>`).join("")}</${tag}>`);
  return i;
}

/** An item that is one paragraph renders without `<p>` (tight list), else as blocks. */
function renderItem(content: readonly string[], depth: number, loose: boolean): string {
  const html = renderBlocks(content, depth);
  if (!loose && html.startsWith("<p>") && html.indexOf("<p>", 3) === -1 && html.endsWith("</p>")) {
    return html.slice(3, -4);
  }
  return html;
}

// ---------------------------------------------------------------------------------------------------------
// Inline

/** A piece of a paragraph: finished HTML, or a run of `*` that may become emphasis. */
type Piece =
  | { kind: "html"; html: string }
  | { kind: "stars"; count: number; canOpen: boolean; canClose: boolean; before: string[]; after: string[] };

const PUNCTUATION = /[!-/:-@[-`{-~]/;
const URL_START = /https?:\/\//iy;
/** Characters that may start markup: `\\`, newline, backtick, `*`, `[` and `h`/`H` (bare URLs). */
const SPECIAL = new Set([..."\\\n`*[hH$"].map((c) => c.charCodeAt(0)));

function isSpace(c: string): boolean {
  return c === " " || c === "\n" || c.trim() === "";
}

/**
 * Characters the link scanners may still look at in this paragraph. Each `[` may scan ahead for its `]` and
 * URL; on hostile input (thousands of unclosed brackets) the budget runs out and the rest is plain text, so the
 * work stays linear in the paragraph's length.
 */
interface ScanBudget {
  left: number;
}

/** The `(url)` after a link's `]` at `at`, if it is one; returns the URL and the index after `)`. */
function linkTarget(text: string, at: number, budget: ScanBudget): { url: string; end: number } | null {
  if (text[at] !== "(") return null;
  const limit = Math.min(text.length, at + 1 + MAX_URL);
  let depth = 0;
  for (let j = at + 1; j < limit && budget.left-- > 0; j++) {
    const c = text[j];
    if (c === " " || c === "\n" || c === "<" || c === ">") return null;
    if (c === "(") depth++;
    else if (c === ")") {
      if (depth === 0) return { url: text.slice(at + 1, j), end: j + 1 };
      depth--;
    }
  }
  return null;
}

/** A URL as it may appear in a link: absolute http(s) and nothing else, normalised by the URL parser. */
export function safeHttpUrl(raw: string): string | null {
  if (!/^https?:\/\//i.test(raw)) return null;
  try {
    const url = new URL(raw);
    if (url.protocol !== "http:" && url.protocol !== "https:") return null;
    return url.href;
  } catch {
    return null;
  }
}

function anchor(href: string, inner: string): string {
  return `<a href="${escapeHtml(href)}" rel="nofollow ugc noopener">${inner}</a>`;
}

/** The end of a bare URL starting at `at`: up to whitespace, minus trailing punctuation and unmatched `)`. */
function bareUrlEnd(text: string, at: number): number {
  let end = at;
  let open = 0;
  let close = 0;
  while (end < text.length && end - at < MAX_URL && !/[\s<>"`]/.test(text[end] ?? " ")) {
    if (text[end] === "(") open++;
    else if (text[end] === ")") close++;
    end++;
  }
  for (;;) {
    const last = text[end - 1] ?? "";
    if (/[.,;:!?'*_]/.test(last)) end--;
    else if (last === ")" && close > open) {
      end--;
      close--;
    } else return end;
  }
}

/** Start index of the next backtick run of each length after each run, so code spans match in linear time. */
function backtickRuns(text: string): Map<number, { length: number; next: number }> {
  const runs: { at: number; length: number }[] = [];
  for (let i = 0; i < text.length; i++) {
    if (text[i] !== "`" || text[i - 1] === "`") continue;
    let j = i;
    while (text[j] === "`") j++;
    runs.push({ at: i, length: j - i });
  }
  const byStart = new Map<number, { length: number; next: number }>();
  const nextOfLength = new Map<number, number>();
  for (let k = runs.length - 1; k >= 0; k--) {
    const run = runs[k];
    if (!run) continue;
    byStart.set(run.at, { length: run.length, next: nextOfLength.get(run.length) ?? -1 });
    nextOfLength.set(run.length, run.at);
  }
  return byStart;
}

/** Renders a paragraph's text. `allowLinks` is false inside link text (links do not nest). */
function renderInline(text: string, allowLinks: boolean): string {
  const pieces: Piece[] = [];
  const runs = backtickRuns(text);
  let buffer = "";
  const flush = () => {
    if (buffer !== "") pieces.push({ kind: "html", html: escapeHtml(buffer) });
    buffer = "";
  };
  const html = (h: string) => {
    flush();
    pieces.push({ kind: "html", html: h });
  };

  const budget: ScanBudget = { left: 4 * text.length + 4 * MAX_URL };
  let i = 0;
  while (i < text.length) {
    // Plain text up to the next character that may start markup is copied in one go.
    let stop = i;
    while (stop < text.length && !SPECIAL.has(text.charCodeAt(stop))) stop++;
    if (stop > i) {
      buffer += text.slice(i, stop);
      i = stop;
      continue;
    }
    const c = text[i] ?? "";
    if (c === "\\" && i + 1 < text.length && PUNCTUATION.test(text[i + 1] ?? "")) {
      buffer += text[i + 1];
      i += 2;
    } else if (c === "\n") {
      html("<br>\n");
      i++;
    } else if (c === "`") {
      const run = runs.get(i);
      if (run && run.next !== -1) {
        let code = text.slice(i + run.length, run.next).replace(/\n/g, " ");
        if (code.length > 1 && code.startsWith(" ") && code.endsWith(" ") && code.trim() !== "") {
          code = code.slice(1, -1);
        }
        html(`<code>${escapeHtml(code)}</code>`);
        i = run.next + run.length;
      } else {
        const length = run?.length ?? 1;
        buffer += text.slice(i, i + length);
        i += length;
      }
    } else if (c === "$" && mathRenderer) {
      const formula = formulaAt(text, i);
      const rendered = formula ? mathRenderer(formula.tex, formula.display) : null;
      if (formula && rendered !== null) {
        html(rendered);
        i = formula.end;
      } else {
        buffer += c;
        i++;
      }
    } else if (c === "*") {
      let j = i;
      while (text[j] === "*") j++;
      const prev = text[i - 1] ?? " ";
      const next = text[j] ?? " ";
      flush();
      pieces.push({
        kind: "stars",
        count: j - i,
        canOpen: !isSpace(next),
        canClose: !isSpace(prev),
        before: [],
        after: [],
      });
      i = j;
    } else if (c === "[" && allowLinks) {
      const close = findLinkTextEnd(text, i, budget);
      const target = close === -1 ? null : linkTarget(text, close + 1, budget);
      const href = target ? safeHttpUrl(target.url) : null;
      if (target && href) {
        html(anchor(href, renderInline(text.slice(i + 1, close), false)));
        i = target.end;
      } else {
        buffer += c;
        i++;
      }
    } else if ((c === "h" || c === "H") && allowLinks && /[^\p{L}\p{N}]|^$/u.test(text[i - 1] ?? "")) {
      URL_START.lastIndex = i;
      const end = URL_START.test(text) ? bareUrlEnd(text, i) : i;
      const href = end > i ? safeHttpUrl(text.slice(i, end)) : null;
      if (href && end > URL_START.lastIndex) {
        html(anchor(href, escapeHtml(text.slice(i, end))));
        i = end;
      } else {
        buffer += c;
        i++;
      }
    } else {
      buffer += c;
      i++;
    }
  }
  flush();
  matchEmphasis(pieces);
  return pieces.map(pieceHtml).join("");
}

/** The `]` closing the link text that opens at `open`, or -1; brackets inside must balance. */
function findLinkTextEnd(text: string, open: number, budget: ScanBudget): number {
  const limit = Math.min(text.length, open + 1 + MAX_LINK_TEXT);
  let depth = 0;
  for (let j = open + 1; j < limit && budget.left-- > 0; j++) {
    const c = text[j];
    if (c === "\\") j++;
    else if (c === "[") depth++;
    else if (c === "]") {
      if (depth === 0) return j;
      depth--;
    }
  }
  return -1;
}

/**
 * Pairs runs of `*` into `<em>` (one) and `<strong>` (two), innermost first, the way readers expect
 * `***both***` and `*a **b** c*` to come out. Pairs always nest properly; unpaired stars stay text.
 */
function matchEmphasis(pieces: Piece[]): void {
  const openers: Extract<Piece, { kind: "stars" }>[] = [];
  for (const piece of pieces) {
    if (piece.kind !== "stars") continue;
    while (piece.canClose && piece.count > 0 && openers.length > 0) {
      const opener = openers[openers.length - 1];
      if (!opener) break;
      const use = opener.count >= 2 && piece.count >= 2 ? 2 : 1;
      const tag = use === 2 ? "strong" : "em";
      opener.count -= use;
      piece.count -= use;
      opener.after.unshift(`<${tag}>`);
      piece.before.push(`</${tag}>`);
      if (opener.count === 0) openers.pop();
    }
    if (piece.canOpen && piece.count > 0) {
      openers.push(piece);
      // Forgotten openers stay text; this bounds the work on a paragraph made of stars.
      if (openers.length > MAX_OPENERS) openers.shift();
    }
  }
}

function pieceHtml(piece: Piece): string {
  if (piece.kind === "html") return piece.html;
  return `${piece.before.join("")}${"*".repeat(piece.count)}${piece.after.join("")}`;
}
