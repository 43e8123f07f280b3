/**
 * Just enough XML writing for feeds: text is escaped, and characters XML 1.0 forbids (most control characters,
 * unpaired surrogates, U+FFFE/U+FFFF) are dropped, since one of them in an abstract would make readers reject
 * the whole feed.
 */

/** Anything outside the common allowed ranges; such text takes the slow, per-code-point path. */
const UNUSUAL = /[^\t\n\r\u0020-\uD7FF\uE000-\uFFFD]/;

function isXmlChar(code: number): boolean {
  return (
    code === 0x9 ||
    code === 0xa ||
    code === 0xd ||
    (code >= 0x20 && code <= 0xd7ff) ||
    (code >= 0xe000 && code <= 0xfffd) ||
    (code >= 0x10000 && code <= 0x10ffff)
  );
}

/** Drops characters XML 1.0 forbids; iterating by code point keeps surrogate pairs and drops lone halves. */
function xmlChars(value: string): string {
  if (!UNUSUAL.test(value)) return value;
  let out = "";
  for (const ch of value) if (isXmlChar(ch.codePointAt(0) ?? 0)) out += ch;
  return out;
}

export function xmlText(value: string): string {
  return xmlChars(value)
    .replace(/&/g, "&amp;")
    .replace(/</g, "&lt;")
    .replace(/>/g, "&gt;")
    .replace(/"/g, "&quot;")
    .replace(/'/g, "&apos;");
}

export type Attributes = Record<string, string | undefined>;

function attributes(attrs: Attributes): string {
  return Object.entries(attrs)
    .filter((entry): entry is [string, string] => entry[1] !== undefined)
    .map(([name, value]) => ` ${name}="${xmlText(value)}"`)
    .join("");
}

/** `<name attrs>text</name>`, escaped. */
export function textElement(name: string, text: string, attrs: Attributes = {}): string {
  return `<${name}${attributes(attrs)}>${xmlText(text)}</${name}>`;
}

/**
 * `<name>text</name>` for an element whose content readers take as HTML (RSS's `<description>`): the text
 * is escaped as HTML, then as XML, so `<script>` in an imported abstract reaches the reader as those
 * characters, never as markup.
 */
export function htmlTextElement(name: string, text: string): string {
  return textElement(name, xmlText(text));
}

/** `<name attrs/>`. */
export function emptyElement(name: string, attrs: Attributes): string {
  return `<${name}${attributes(attrs)}/>`;
}

/** `<name attrs>children</name>`; children are already XML. */
export function parentElement(name: string, children: readonly string[], attrs: Attributes = {}): string {
  return `<${name}${attributes(attrs)}>${children.join("")}</${name}>`;
}
