/**
 * A text safe inside a BibTeX value's braces: whitespace collapsed, and unbalanced braces dropped, so a field
 * never ends early. Shared by the paper page's BibTeX and the library export.
 */
export function balanceBraces(text: string): string {
  const chars = [...text.replace(/\s+/g, " ").trim()];
  const open: number[] = [];
  const drop = new Set<number>();
  chars.forEach((ch, i) => {
    if (ch === "{") open.push(i);
    else if (ch === "}" && open.pop() === undefined) drop.add(i);
  });
  for (const i of open) drop.add(i);
  return chars.filter((_, i) => !drop.has(i)).join("");
}
