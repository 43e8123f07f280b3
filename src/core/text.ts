// biome-ignore lint/suspicious/noControlCharactersInRegex: matching control characters is the point
const CONTROL_CHARACTERS = /[\u0000-\u0008\u000b\u000e-\u001f\u007f]/g;

/**
 * Joins hard-wrapped lines and collapses runs of white space; drops control characters (NUL and the like,
 * which no reader wants and PostgreSQL cannot store). LaTeX and everything else is kept as written.
 */
export function normalizeText(input: string): string {
  return input.replace(CONTROL_CHARACTERS, "").replace(/\s+/g, " ").trim();
}

/** An author name with its white space tidied. */
export function normalizeAuthorName(input: string): string {
  return normalizeText(input);
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
