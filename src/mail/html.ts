/**
 * The HTML frame of every Paperboy mail: inline styles only (mail clients drop style sheets), one column,
 * and escaping for everything interpolated. Templates build their body with `escapeHtml`, then wrap it.
 */
import { escapeHtml } from "../core/text/html.ts";

/** A button-like link; only http(s) URLs are linked, anything else is shown as text. */
export function linkButton(href: string, label: string): string {
  if (!/^https?:\/\//i.test(href)) return `<p>${escapeHtml(label)}: ${escapeHtml(href)}</p>`;
  return (
    `<p style="margin:24px 0"><a href="${escapeHtml(href)}" style="background:#1a56db;color:#ffffff;` +
    `padding:10px 18px;border-radius:6px;text-decoration:none;display:inline-block">${escapeHtml(label)}</a></p>`
  );
}

export function paragraph(text: string): string {
  return `<p style="margin:0 0 12px">${escapeHtml(text)}</p>`;
}

/** A whole HTML document around `bodyHtml` (already escaped). */
export function mailDocument(title: string, bodyHtml: string, footerText: string): string {
  return [
    "<!doctype html>",
    '<html lang="en"><head><meta charset="utf-8">',
    `<meta name="viewport" content="width=device-width"><title>${escapeHtml(title)}</title></head>`,
    '<body style="margin:0;padding:24px;background:#f5f5f4;font-family:system-ui,sans-serif;color:#1c1917">',
    '<div style="max-width:560px;margin:0 auto;background:#ffffff;padding:24px;border-radius:8px">',
    bodyHtml,
    `<p style="margin:24px 0 0;font-size:12px;color:#78716c">${escapeHtml(footerText)}</p>`,
    "</div></body></html>",
  ].join("");
}
