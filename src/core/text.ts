/** Joins hard-wrapped lines and collapses runs of white space; LaTeX and other characters are kept as written. */
export function normalizeText(input: string): string {
  return input.replace(/\s+/g, " ").trim();
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
