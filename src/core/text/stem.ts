/**
 * The Snowball English ("Porter2") stemmer, written from the published algorithm
 * (snowballstem.org/algorithms/english/stemmer.html). It maps inflected and derived forms to one stem:
 * "adaptation", "adaptive" and "adapting" all become "adapt". Input is one lower-case word of ASCII letters
 * (and apostrophes); anything else is returned unchanged by `stem`.
 */

/** A Map, not an object: a word like "constructor" must not find Object.prototype's members. */
const EXCEPTIONS: ReadonlyMap<string, string> = new Map(
  Object.entries({
    skis: "ski",
    skies: "sky",
    dying: "die",
    lying: "lie",
    tying: "tie",
    idly: "idl",
    gently: "gentl",
    ugly: "ugli",
    early: "earli",
    only: "onli",
    singly: "singl",
    sky: "sky",
    news: "news",
    howe: "howe",
    atlas: "atlas",
    cosmos: "cosmos",
    bias: "bias",
    andes: "andes",
  }),
);

const AFTER_STEP_1A = new Set([
  "inning",
  "outing",
  "canning",
  "herring",
  "earring",
  "proceed",
  "exceed",
  "succeed",
]);

const DOUBLES = new Set(["bb", "dd", "ff", "gg", "mm", "nn", "pp", "rr", "tt"]);
const LI_ENDINGS = new Set(["c", "d", "e", "g", "h", "k", "m", "n", "r", "t"]);

const STEP_2: ReadonlyArray<readonly [string, string]> = [
  ["ization", "ize"],
  ["ational", "ate"],
  ["fulness", "ful"],
  ["ousness", "ous"],
  ["iveness", "ive"],
  ["tional", "tion"],
  ["biliti", "ble"],
  ["lessli", "less"],
  ["entli", "ent"],
  ["ation", "ate"],
  ["alism", "al"],
  ["aliti", "al"],
  ["ousli", "ous"],
  ["iviti", "ive"],
  ["fulli", "ful"],
  ["enci", "ence"],
  ["anci", "ance"],
  ["abli", "able"],
  ["izer", "ize"],
  ["ator", "ate"],
  ["alli", "al"],
  ["bli", "ble"],
  ["ogi", "og"],
  ["li", ""],
];

const STEP_3: ReadonlyArray<readonly [string, string]> = [
  ["ational", "ate"],
  ["tional", "tion"],
  ["alize", "al"],
  ["icate", "ic"],
  ["iciti", "ic"],
  ["ative", ""],
  ["ical", "ic"],
  ["ness", ""],
  ["ful", ""],
];

const STEP_4 = [
  "ement",
  "ance",
  "ence",
  "able",
  "ible",
  "ment",
  "ant",
  "ent",
  "ism",
  "ate",
  "iti",
  "ous",
  "ive",
  "ize",
  "ion",
  "al",
  "er",
  "ic",
];

function isVowel(c: string | undefined): boolean {
  return c === "a" || c === "e" || c === "i" || c === "o" || c === "u" || c === "y";
}

/** Start of the region after the first non-vowel that follows a vowel, searching from `from`. */
function regionAfter(word: string, from: number): number {
  for (let i = from + 1; i < word.length; i++) {
    if (!isVowel(word[i]) && isVowel(word[i - 1])) return i + 1;
  }
  return word.length;
}

function r1Start(word: string): number {
  for (const prefix of ["gener", "commun", "arsen"]) {
    if (word.startsWith(prefix)) return prefix.length;
  }
  return regionAfter(word, 0);
}

/** Does `word` (up to `end`) end in a short syllable? */
function endsShortSyllable(word: string, end: number = word.length): boolean {
  if (end === 2) return isVowel(word[0]) && !isVowel(word[1]);
  if (end < 3) return false;
  const a = word[end - 3];
  const b = word[end - 2];
  const c = word[end - 1];
  return !isVowel(a) && isVowel(b) && !isVowel(c) && c !== "w" && c !== "x" && c !== "Y";
}

function longestSuffix<T extends readonly [string, string] | string>(
  word: string,
  list: ReadonlyArray<T>,
): T | undefined {
  let best: T | undefined;
  let bestLength = 0;
  for (const entry of list) {
    const suffix = typeof entry === "string" ? entry : (entry[0] as string);
    if (suffix.length > bestLength && word.endsWith(suffix)) {
      best = entry;
      bestLength = suffix.length;
    }
  }
  return best;
}

function step1a(word: string): string {
  if (word.endsWith("sses")) return `${word.slice(0, -4)}ss`;
  if (word.endsWith("ied") || word.endsWith("ies")) {
    return word.length > 4 ? `${word.slice(0, -3)}i` : `${word.slice(0, -3)}ie`;
  }
  if (word.endsWith("us") || word.endsWith("ss")) return word;
  if (word.endsWith("s")) {
    for (let i = 0; i < word.length - 2; i++) if (isVowel(word[i])) return word.slice(0, -1);
  }
  return word;
}

function step1b(word: string, r1: number): string {
  const suffix = longestSuffix(word, ["eed", "eedly", "ed", "edly", "ing", "ingly"]);
  if (suffix === undefined) return word;
  if (suffix === "eed" || suffix === "eedly") {
    return word.length - suffix.length >= r1 ? `${word.slice(0, -suffix.length)}ee` : word;
  }
  const stem = word.slice(0, -suffix.length);
  let hasVowel = false;
  for (const c of stem) if (isVowel(c)) hasVowel = true;
  if (!hasVowel) return word;
  if (stem.endsWith("at") || stem.endsWith("bl") || stem.endsWith("iz")) return `${stem}e`;
  if (DOUBLES.has(stem.slice(-2))) return stem.slice(0, -1);
  if (r1 >= stem.length && endsShortSyllable(stem)) return `${stem}e`;
  return stem;
}

function step1c(word: string): string {
  const last = word[word.length - 1];
  if ((last === "y" || last === "Y") && word.length > 2 && !isVowel(word[word.length - 2])) {
    return `${word.slice(0, -1)}i`;
  }
  return word;
}

function step2(word: string, r1: number): string {
  const hit = longestSuffix(word, STEP_2);
  if (!hit) return word;
  const [suffix, replacement] = hit;
  const at = word.length - suffix.length;
  if (at < r1) return word;
  if (suffix === "ogi" && word[at - 1] !== "l") return word;
  if (suffix === "li" && !LI_ENDINGS.has(word[at - 1] ?? "")) return word;
  return word.slice(0, at) + replacement;
}

function step3(word: string, r1: number, r2: number): string {
  const hit = longestSuffix(word, STEP_3);
  if (!hit) return word;
  const [suffix, replacement] = hit;
  const at = word.length - suffix.length;
  if (at < r1) return word;
  if (suffix === "ative" && at < r2) return word;
  return word.slice(0, at) + replacement;
}

function step4(word: string, r2: number): string {
  const suffix = longestSuffix(word, STEP_4);
  if (!suffix) return word;
  const at = word.length - suffix.length;
  if (at < r2) return word;
  if (suffix === "ion" && word[at - 1] !== "s" && word[at - 1] !== "t") return word;
  return word.slice(0, at);
}

function step5(word: string, r1: number, r2: number): string {
  const at = word.length - 1;
  if (word.endsWith("e")) {
    if (at >= r2 || (at >= r1 && !endsShortSyllable(word, at))) return word.slice(0, at);
    return word;
  }
  if (word.endsWith("ll") && at >= r2) return word.slice(0, at);
  return word;
}

const WORD = /^[a-z']+$/;

/** The Porter2 stem of one lower-case word; words with digits or other characters come back unchanged. */
export function stem(input: string): string {
  if (input.length <= 2 || !WORD.test(input)) return input;
  let word = input.startsWith("'") ? input.slice(1) : input;
  const exception = EXCEPTIONS.get(word);
  if (exception !== undefined) return exception;
  // Mark consonant y (initial, or after a vowel) as Y.
  let marked = "";
  for (let i = 0; i < word.length; i++) {
    const c = word[i] as string;
    marked += c === "y" && (i === 0 || isVowel(marked[i - 1])) ? "Y" : c;
  }
  word = marked;
  const r1 = r1Start(word);
  const r2 = regionAfter(word, r1);
  // Step 0: possessives.
  for (const suffix of ["'s'", "'s", "'"]) {
    if (word.endsWith(suffix)) {
      word = word.slice(0, -suffix.length);
      break;
    }
  }
  word = step1a(word);
  if (AFTER_STEP_1A.has(word)) return word;
  word = step1b(word, r1);
  word = step1c(word);
  word = step2(word, r1);
  word = step3(word, r1, r2);
  word = step4(word, r2);
  word = step5(word, r1, r2);
  return word.replace(/Y/g, "y").replace(/'/g, "");
}
