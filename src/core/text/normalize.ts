// biome-ignore lint/suspicious/noControlCharactersInRegex: matching control characters is the point
const CONTROL_CHARACTERS = /[\u0000-\u0008\u000b\u000e-\u001f\u007f]/g;

/**
 * Joins hard-wrapped lines and collapses runs of white space; drops control characters (NUL and the like,
 * which no reader wants and PostgreSQL cannot store). LaTeX and everything else is kept as written.
 */
export function normalizeText(input: string): string {
  return input.replace(CONTROL_CHARACTERS, "").replace(/\s+/g, " ").trim();
}

/** Combining marks of LaTeX's accent commands: `\'e` is e + acute. */
const TEX_ACCENTS: Record<string, string> = {
  "`": "\u0300",
  "'": "\u0301",
  "^": "\u0302",
  "~": "\u0303",
  "=": "\u0304",
  u: "\u0306",
  ".": "\u0307",
  '"': "\u0308",
  r: "\u030a",
  H: "\u030b",
  v: "\u030c",
  c: "\u0327",
  k: "\u0328",
};
/** LaTeX's letters outside ASCII: `\o` is ø. */
const TEX_LETTERS: Record<string, string> = {
  o: "ø",
  O: "Ø",
  ss: "ß",
  aa: "å",
  AA: "Å",
  ae: "æ",
  AE: "Æ",
  oe: "œ",
  OE: "Œ",
  l: "ł",
  L: "Ł",
  i: "ı",
  j: "ȷ",
};
/** `\'e`, `\'{e}`, `{\'e}`, `\v{s}`, `\c c`, `\'{\i}`: symbol accents take a letter directly, letter accents a group or a space. */
const TEX_ACCENTED =
  /\{?\\(?:([`'^~=."])\s*|([uvHrck])(?=[\s{]))\s*(?:\{\s*(\\[ij]|[A-Za-z])\s*\}|(\\[ij](?![A-Za-z])|[A-Za-z]))\}?/g;
/** A control word eats the spaces after it (`\\o ystein` is øystein); `{}` ends it too. */
const TEX_LETTER = /\{?\\(ss|aa|AA|ae|AE|oe|OE|o|O|l|L|i|j)(?![A-Za-z])(?:\{\}| +(?=[A-Za-z]))?\}?/g;

/**
 * Turns LaTeX accents and letters into the characters they stand for (`G\"ahler` -> `Gähler`, `{\O}bro` ->
 * `Øbro`, `\v{S}r\'amek` -> `Šrámek`): arXiv's own metadata writes about one name in twenty that way.
 * Anything else is left as written.
 */
export function texAccentsToUnicode(input: string): string {
  if (!input.includes("\\")) return input;
  const letter = (name: string) => TEX_LETTERS[name.replace("\\", "")] ?? name;
  return input
    .replace(TEX_ACCENTED, (whole, symbol?: string, named?: string, grouped?: string, bare?: string) => {
      const mark = TEX_ACCENTS[(symbol ?? named) as string];
      const base = (grouped ?? bare) as string;
      if (mark === undefined) return whole;
      // A dotless i or j under an accent is the plain letter with it: \'{\i} is í.
      const plain = base === "\\i" ? "i" : base === "\\j" ? "j" : base;
      return `${plain}${mark}`;
    })
    .replace(TEX_LETTER, (_whole, name: string) => letter(name))
    .normalize("NFC");
}

/** An author name with its white space tidied and LaTeX accents turned into characters. */
export function normalizeAuthorName(input: string): string {
  return normalizeText(texAccentsToUnicode(input));
}

/** A key for matching author names: lower case, accents and punctuation folded. */
export function authorKey(name: string): string {
  return name
    .normalize("NFKD")
    .replace(/[\u0300-\u036f]/g, "")
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, " ")
    .trim();
}
