/**
 * Marks a query's words in a text and picks the abstract window shown under a result. Words match by the
 * search's own folding and stemming (tokenize + Porter2), so "adaptation" marks "adapting" and "Éléonore"
 * marks "eleonore"; a phrase is marked whole, from its first word to its last. Pure: the store's keyword
 * search and the in-process engine both use it, so a hit reads the same whichever found it.
 */
import { stem } from "./stem.ts";
import { tokenize } from "./tokenize.ts";

/** A piece of highlighted text: renderers escape `text` and mark the pieces with `match`. */
export interface TextPiece {
  text: string;
  match: boolean;
}

/** What is highlighted: the words searched and the phrases (words in order, stop words included). */
export interface HighlightQuery {
  terms: readonly string[];
  phrases: readonly { words: readonly string[] }[];
}

export interface SnippetOptions {
  /** Longest snippet, in characters (without the ellipses). Default 240. */
  maxChars?: number;
  /** Characters of context kept before the first match of the chosen window. Default 40. */
  lead?: number;
}

/** A span of the text that matched, and what it matched (a term's stem or a phrase), to count distinct ones. */
interface Match {
  start: number;
  end: number;
  key: string;
}

/** A token of the text with the character span of the word it came from. */
interface Token {
  stem: string;
  start: number;
  end: number;
}

// A word of the original text: letters, digits and combining marks, with inner apostrophes ("Hawking's").
const WORD = /[\p{L}\p{N}\p{M}]+(?:['’][\p{L}\p{N}\p{M}]+)*/gu;

/** Stems of each word of the original text as written; abstracts repeat their words, and folding is not free. */
const wordStems = new Map<string, string[]>();
const ASCII_WORD = /^[a-z0-9]+$/;
/** The tokenizer's default longest token. */
const MAX_TOKEN_LENGTH = 40;
function stemsOf(word: string): string[] {
  let s = wordStems.get(word);
  if (s === undefined) {
    const lower = word.toLowerCase();
    // A plain ASCII word folds to its lower case (skipped when too long, as the tokenizer skips it); only the
    // others need the tokenizer's folding.
    if (ASCII_WORD.test(lower)) s = lower.length <= MAX_TOKEN_LENGTH ? [stem(lower)] : [];
    else s = tokenize(word).map((t) => stem(t.text));
    if (wordStems.size > 100_000) wordStems.clear();
    wordStems.set(word, s);
  }
  return s;
}

/** The text's tokens, folded and stemmed as the search folds them, each tied to its place in the original. */
function tokensOf(text: string): Token[] {
  const out: Token[] = [];
  for (const m of text.matchAll(WORD)) {
    const start = m.index ?? 0;
    const end = start + m[0].length;
    for (const s of stemsOf(m[0])) out.push({ stem: s, start, end });
  }
  return out;
}

function stemWords(words: readonly string[]): string[] {
  return words.flatMap(stemsOf);
}

/** Every match of the query in `text`, in order, phrases first where they overlap words. */
function findMatches(text: string, query: HighlightQuery): Match[] {
  const tokens = tokensOf(text);
  const matches: Match[] = [];
  for (const phrase of query.phrases) {
    const want = stemWords(phrase.words);
    if (want.length === 0) continue;
    const key = `"${want.join(" ")}"`;
    for (let i = 0; i + want.length <= tokens.length; i++) {
      if (want.every((s, k) => tokens[i + k]?.stem === s)) {
        const first = tokens[i] as Token;
        const last = tokens[i + want.length - 1] as Token;
        matches.push({ start: first.start, end: last.end, key });
        i += want.length - 1;
      }
    }
  }
  const terms = new Set(stemWords(query.terms));
  for (const t of tokens) if (terms.has(t.stem)) matches.push({ start: t.start, end: t.end, key: t.stem });
  return mergeOverlaps(matches);
}

/** Sorts matches and folds overlapping ones into the first (a phrase swallows the words inside it). */
function mergeOverlaps(matches: Match[]): Match[] {
  matches.sort((a, b) => a.start - b.start || b.end - a.end);
  const out: Match[] = [];
  for (const m of matches) {
    const last = out[out.length - 1];
    if (last && m.start < last.end) last.end = Math.max(last.end, m.end);
    else out.push({ ...m });
  }
  return out;
}

/** Pieces of `text` between `from` and `to`, the matches marked. */
function piecesOf(text: string, matches: readonly Match[], from: number, to: number): TextPiece[] {
  const pieces: TextPiece[] = [];
  let at = from;
  for (const m of matches) {
    if (m.end <= from || m.start >= to) continue;
    const start = Math.max(m.start, from);
    const end = Math.min(m.end, to);
    if (start > at) pieces.push({ text: text.slice(at, start), match: false });
    pieces.push({ text: text.slice(start, end), match: true });
    at = end;
  }
  if (at < to) pieces.push({ text: text.slice(at, to), match: false });
  return pieces;
}

/** The whole text, with the query's words and phrases marked. */
export function highlight(text: string, query: HighlightQuery): TextPiece[] {
  return piecesOf(text, findMatches(text, query), 0, text.length);
}

/** Inline LaTeX spans (`$...$`, unescaped dollars), which a snippet must not cut in half. */
function mathSpans(text: string): { start: number; end: number }[] {
  const spans: { start: number; end: number }[] = [];
  let open = -1;
  for (let i = 0; i < text.length; i++) {
    if (text[i] !== "$" || (i > 0 && text[i - 1] === "\\")) continue;
    if (open === -1) open = i;
    else {
      spans.push({ start: open, end: i + 1 });
      open = -1;
    }
  }
  return spans;
}

/** Moves a window boundary that falls inside a math span to the span's start (a start takes it in, an end leaves it out). */
function outsideMath(at: number, spans: readonly { start: number; end: number }[]): number {
  return spans.find((s) => at > s.start && at < s.end)?.start ?? at;
}

/** The start of the word `at` falls in (so a window never opens mid-word). */
function wordStart(text: string, at: number): number {
  if (at <= 0) return 0;
  let i = at;
  while (i > 0 && !/\s/.test(text[i - 1] as string)) i--;
  return i;
}

/** The end of the last whole word before `at`. */
function wordEnd(text: string, at: number, min: number): number {
  if (at >= text.length) return text.length;
  let i = at;
  while (i > min && !/\s/.test(text[i] as string)) i--;
  const end = i > min ? i : at;
  return text.slice(min, end).trimEnd().length + min;
}

/**
 * The best window of about `maxChars` characters of `text` (an abstract) for the query: the one with the most
 * distinct matched words, then the most matches, earliest on ties; cut at word boundaries and outside inline
 * math, with "…" where text was left out. The text's start when nothing matches.
 */
export function snippet(text: string, query: HighlightQuery, options: SnippetOptions = {}): TextPiece[] {
  const maxChars = options.maxChars ?? 240;
  const lead = options.lead ?? 40;
  const matches = findMatches(text, query);
  if (text.length <= maxChars) return piecesOf(text, matches, 0, text.length);

  const math = mathSpans(text);
  const windowAt = (anchor: number) => {
    const start = outsideMath(wordStart(text, Math.max(0, anchor - lead)), math);
    const end = outsideMath(wordEnd(text, start + maxChars, start), math);
    return { start, end: end > start ? end : Math.min(text.length, start + maxChars) };
  };
  let best = windowAt(0);
  let bestScore = -1;
  for (const anchor of matches) {
    const w = windowAt(anchor.start);
    const inside = matches.filter((m) => m.start >= w.start && m.end <= w.end);
    const score = new Set(inside.map((m) => m.key)).size * 10_000 + inside.length;
    if (score > bestScore) {
      best = w;
      bestScore = score;
    }
  }
  const pieces = piecesOf(text, matches, best.start, best.end);
  if (best.start > 0) pieces.unshift({ text: "…", match: false });
  if (best.end < text.length) pieces.push({ text: "…", match: false });
  return joinPlain(pieces);
}

/** Joins neighbouring unmarked pieces (the ellipses and the text next to them). */
function joinPlain(pieces: TextPiece[]): TextPiece[] {
  const out: TextPiece[] = [];
  for (const p of pieces) {
    const last = out[out.length - 1];
    if (last && !last.match && !p.match) last.text += p.text;
    else out.push({ ...p });
  }
  return out;
}
