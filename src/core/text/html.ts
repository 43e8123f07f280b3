const NEEDS_ESCAPE = /[&<>"']/;
const ESCAPES: Record<string, string> = {
  "&": "&amp;",
  "<": "&lt;",
  ">": "&gt;",
  '"': "&quot;",
  "'": "&#39;",
};

/**
 * Escapes text for an HTML element body or a quoted attribute: the one escaper of pages, mail and the
 * comment renderer.
 */
export function escapeHtml(text: string): string {
  // Most pieces of text have nothing to escape; skipping the replace for them halves rendering time.
  return NEEDS_ESCAPE.test(text) ? text.replace(/[&<>"']/g, (c) => ESCAPES[c] ?? c) : text;
}
