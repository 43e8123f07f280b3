import { stem } from "./stem.ts";
import { ENGLISH_STOP_WORDS } from "./stopwords.ts";
import { type TokenizeOptions, tokenize } from "./tokenize.ts";

/** One indexable term and where it stands in the text. */
export interface Term {
  term: string;
  position: number;
  /** The word as written, folded but not stemmed ("models" where `term` is "model"). */
  token: string;
}

/** Turns text into index terms: tokenize, drop stop words, stem. Documents and queries share one analyzer. */
export interface Analyzer {
  analyze(text: string): Term[];
  /** Whether a folded token is a stop word (the query parser explains stop-word-only queries with it). */
  isStopWord(token: string): boolean;
}

export interface AnalyzerOptions extends TokenizeOptions {
  stopWords?: ReadonlySet<string>;
  /** Stemmer applied to each token; default Porter2 (`stem`). Pass `(t) => t` to index surface forms. */
  stemmer?: (token: string) => string;
}

export function createAnalyzer(options: AnalyzerOptions = {}): Analyzer {
  const stopWords = options.stopWords ?? ENGLISH_STOP_WORDS;
  const stemmer = options.stemmer ?? stem;
  const cache = new Map<string, string>();
  const stemCached = (token: string): string => {
    let s = cache.get(token);
    if (s === undefined) {
      s = stemmer(token);
      if (cache.size > 1_000_000) cache.clear();
      cache.set(token, s);
    }
    return s;
  };
  return {
    analyze(text) {
      const terms: Term[] = [];
      for (const token of tokenize(text, options)) {
        if (stopWords.has(token.text)) continue;
        terms.push({ term: stemCached(token.text), position: token.position, token: token.text });
      }
      return terms;
    },
    isStopWord: (token) => stopWords.has(token),
  };
}
