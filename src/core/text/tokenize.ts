/**
 * Splits text into lower-case word tokens with their positions. Letters are folded (NFKC, accents removed,
 * Greek letters spelled out, so "α-synuclein" and "alpha-synuclein" meet); every run of letters or digits is a
 * token, so hyphenated words, LaTeX commands (`\alpha` -> "alpha"), chemical names and numbers split into
 * parts, while emoji, punctuation and query syntax separate tokens and are otherwise ignored.
 */

export interface TokenizeOptions {
  /** Tokens longer than this are skipped (base64, DNA strings, URLs run together). Default 40. */
  maxTokenLength?: number;
  /** Text beyond this many characters is ignored. Default 200,000. */
  maxChars?: number;
}

export interface Token {
  text: string;
  /** Index of the token in the text, counting every token (also those later dropped as stop words). */
  position: number;
}

const GREEK: Record<string, string> = {
  α: "alpha",
  β: "beta",
  γ: "gamma",
  δ: "delta",
  ε: "epsilon",
  ζ: "zeta",
  η: "eta",
  θ: "theta",
  ι: "iota",
  κ: "kappa",
  λ: "lambda",
  μ: "mu",
  ν: "nu",
  ξ: "xi",
  ο: "omicron",
  π: "pi",
  ρ: "rho",
  σ: "sigma",
  ς: "sigma",
  τ: "tau",
  υ: "upsilon",
  φ: "phi",
  χ: "chi",
  ψ: "psi",
  ω: "omega",
};
const GREEK_LETTER = /[α-ω]/g;
const COMBINING_MARKS = /[\u0300-\u036f]/g;
const APOSTROPHE_S = /['’]s\b/g;
const APOSTROPHE = /['’]/g;
const TOKEN = /[\p{L}\p{N}]+/gu;

/** Lower-cases and folds text the same way for documents and queries. */
export function foldText(input: string): string {
  return input
    .normalize("NFKD")
    .replace(COMBINING_MARKS, "")
    .toLowerCase()
    .replace(GREEK_LETTER, (c) => ` ${GREEK[c] ?? c} `)
    .replace(APOSTROPHE_S, "")
    .replace(APOSTROPHE, "");
}

/** The tokens of `input`, in order, with positions. */
export function tokenize(input: string, options: TokenizeOptions = {}): Token[] {
  const maxTokenLength = options.maxTokenLength ?? 40;
  const maxChars = options.maxChars ?? 200_000;
  const text = foldText(input.length > maxChars ? input.slice(0, maxChars) : input);
  const tokens: Token[] = [];
  let position = 0;
  for (const match of text.matchAll(TOKEN)) {
    const word = match[0];
    if (word.length <= maxTokenLength) tokens.push({ text: word, position });
    position++;
  }
  return tokens;
}
