import { raw } from "hono/html";
import { texToHtml } from "./math.ts";

/**
 * Text that may hold LaTeX math. The one place pages put non-JSX HTML into the output: `texToHtml` escapes all
 * prose itself and only adds temml's MathML (rendered without trust, see math.ts).
 */
export function Tex(props: { text: string; links?: boolean }) {
  return raw(texToHtml(props.text, { links: props.links ?? false }));
}
