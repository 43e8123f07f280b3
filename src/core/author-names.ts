/**
 * What an `author:` filter means, shared by the store (as SQL over `paper_authors.name_key`) and the search
 * engine (as a predicate over the same keys): one rule, two evaluations.
 */

/** First names of a longer name are matched in full or as initials; past this many, only in full. */
const MAX_FLEXIBLE_FIRST_NAMES = 3;

/**
 * The `name_key`s (exact, and LIKE patterns) of the authors a name filter means, from the name's key
 * (`authorKey`):
 * - one word: that last name ("pfister": "pfister", "tomas pfister", "t j pfister");
 * - several: the same last name, each first name in full or as its initial, middle names allowed
 *   ("tomas pfister": "tomas pfister", "t pfister", "tomas j pfister"; "t pfister": any first name starting
 *   with t). A first name is never a last name: "tomas pfister" never finds "r tomas".
 * A key holds only [a-z0-9 ], so the patterns carry no LIKE wildcard but the `%`s added here.
 */
export function namePatterns(key: string): { exact: string[]; like: string[] } {
  const words = key.split(" ").filter((w) => w !== "");
  const last = words.pop();
  if (last === undefined) return { exact: [key], like: [] };
  if (words.length === 0) return { exact: [last], like: [`% ${last}`] };
  if (words.length > MAX_FLEXIBLE_FIRST_NAMES) return { exact: [key], like: [] };
  let firsts = [""];
  for (const word of words) {
    const forms = word.length === 1 ? [`${word}%`] : [word, word[0] as string];
    firsts = firsts.flatMap((f) => forms.map((form) => (f === "" ? form : `${f} ${form}`)));
  }
  const exact: string[] = [];
  const like: string[] = [];
  for (const first of firsts) {
    const whole = `${first} ${last}`;
    (whole.includes("%") ? like : exact).push(whole);
    like.push(`${first} % ${last}`);
  }
  return { exact: exact.length > 0 ? exact : [key], like };
}

/** The last word of a name key: every key a name filter takes ends with the filter's own last word. */
export function lastNameOf(key: string): string {
  const words = key.split(" ").filter((w) => w !== "");
  return words[words.length - 1] ?? "";
}

/**
 * `namePatterns(key)` as a predicate over name keys, reading the patterns as SQL LIKE does (`%` any run of
 * characters, possibly none; keys are lower case, so SQLite's case-folding and PostgreSQL's case-sensitive
 * LIKE agree). Every key it takes has the last word `lastNameOf(key)`, so a caller can look among those only.
 */
export function nameKeyMatcher(key: string): (nameKey: string) => boolean {
  const { exact, like } = namePatterns(key);
  const exactSet = new Set(exact);
  const patterns = like.map((p) => new RegExp(`^${p.split("%").map(escapeRegExp).join(".*")}$`, "s"));
  return (nameKey) => exactSet.has(nameKey) || patterns.some((p) => p.test(nameKey));
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
}
