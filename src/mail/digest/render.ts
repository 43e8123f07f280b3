/**
 * A digest as mail: an HTML part with inline styles in a table layout (what Gmail, Outlook and Apple Mail all
 * render alike), no script, no image, no remote resource, every interpolated text escaped; and a plain-text
 * part with the same papers and links. Also the headers that make unsubscribing one click (RFC 8058).
 */
import {
  type DigestContent,
  type DigestSection,
  type Frequency,
  isFollowSection,
} from "../../core/digest.ts";
import type { Paper } from "../../core/index.ts";
import { escapeHtml } from "../../core/text/html.ts";
import type { RenderedMail } from "../message.ts";

export interface DigestRenderInput {
  frequency: Frequency;
  /** The period's key, shown in the subject (`2026-11-26`, `2026-W48`). */
  periodKey: string;
  content: DigestContent;
  papers: ReadonlyMap<string, Paper>;
  links: {
    unsubscribe: string;
    manage: string;
    paper: (id: string) => string;
    /** Signed thumbs links for recommended papers (thumb-links.ts); absent for a subscriber who is no member. */
    thumbs?: (id: string) => { up: string; down: string };
  };
  siteUrl: string;
}

export interface RenderedDigest extends RenderedMail {
  headers: Record<string, string>;
  /** Papers shown (those no longer in the store are left out). */
  count: number;
}

const ABSTRACT_CHARS = 280;

/** One line of text, whatever the source put in it (line breaks would break headers and text layout). */
function oneLine(text: string): string {
  return text.replace(/\s+/g, " ").trim();
}

function shorten(text: string, max: number): string {
  const t = oneLine(text);
  if (t.length <= max) return t;
  const cut = t.slice(0, max);
  const space = cut.lastIndexOf(" ");
  return `${cut.slice(0, space > max * 0.6 ? space : max)}…`;
}

function authorLine(authors: readonly string[]): string {
  const shown = authors.slice(0, 3).map(oneLine).join(", ");
  return authors.length > 3 ? `${shown} et al.` : shown;
}

const DAY_FORMAT = new Intl.DateTimeFormat("en-GB", {
  day: "numeric",
  month: "long",
  year: "numeric",
  timeZone: "UTC",
});

/** `2026-08-27` as "27 August 2026". */
export function longDay(day: string): string {
  const date = new Date(`${day.slice(0, 10)}T00:00:00Z`);
  return Number.isNaN(date.getTime()) ? day : DAY_FORMAT.format(date);
}

/** The first and last publication day of the papers shown, or null when none has a date. */
function papersPeriod(sections: readonly DigestSection[], input: DigestRenderInput): [string, string] | null {
  const days = sections
    .flatMap((s) => s.items.map((i) => input.papers.get(i.paperId)?.publishedAt?.slice(0, 10)))
    .filter((d): d is string => d !== undefined)
    .sort();
  const first = days[0];
  const last = days[days.length - 1];
  return first && last ? [first, last] : null;
}

/**
 * The digest's title. It names the period by its key when papers are from that period; when all of them are
 * older (a library whose newest papers are behind the clock), it names the days the papers are from instead,
 * so August's papers are never presented as today's.
 */
function heading(input: DigestRenderInput, sections: readonly DigestSection[]): string {
  const kind = input.frequency === "daily" ? "digest" : "weekly digest";
  const since = input.content.since;
  const period = papersPeriod(sections, input);
  if (since && period && period[1] < since) {
    const [first, last] = period;
    const days = first === last ? `of ${longDay(first)}` : `from ${longDay(first)} to ${longDay(last)}`;
    return `Your Paperboy ${kind}: papers ${days}`;
  }
  return input.frequency === "daily"
    ? `Your Paperboy digest for ${input.periodKey}`
    : `Your Paperboy weekly digest, ${input.periodKey}`;
}

/** What an empty followed section says. */
export function nothingNewText(section: DigestSection): string {
  return `Nothing new since ${longDay(section.since ?? "")}.`;
}

function visibleSections(input: DigestRenderInput): DigestSection[] {
  return input.content.sections
    .map((s) => ({ ...s, items: s.items.filter((i) => input.papers.has(i.paperId)) }))
    .filter((s) => s.items.length > 0 || isFollowSection(s));
}

/** The thumbs links of a recommended paper, or null (other sections, or no member to thank). */
function thumbsOf(section: DigestSection, input: DigestRenderInput, id: string) {
  return section.kind === "recommended" && input.links.thumbs ? input.links.thumbs(id) : null;
}

function htmlSection(section: DigestSection, input: DigestRenderInput): string {
  const rows = section.items.map((item) => {
    const paper = input.papers.get(item.paperId) as Paper;
    const href = escapeHtml(input.links.paper(paper.id));
    const why = item.reason
      ? `<div style="font-size:13px;color:#1d4ed8;margin:4px 0 0">${escapeHtml(item.reason)}${
          item.terms.length > 0 ? ` · matched: ${escapeHtml(item.terms.join(", "))}` : ""
        }</div>`
      : "";
    const thumbs = thumbsOf(section, input, paper.id);
    const vote = thumbs
      ? `<div style="font-size:13px;margin:6px 0 0"><a href="${escapeHtml(thumbs.up)}" style="color:#15803d">👍 More like this</a> · ` +
        `<a href="${escapeHtml(thumbs.down)}" style="color:#b91c1c">👎 Less like this</a></div>`
      : "";
    return (
      `<tr><td style="padding:12px 0;border-bottom:1px solid #e7e5e4">` +
      `<a href="${href}" style="font-size:16px;font-weight:600;color:#1c1917;text-decoration:none">${escapeHtml(oneLine(paper.title))}</a>` +
      `<div style="font-size:13px;color:#57534e;margin:2px 0 0">${escapeHtml(authorLine(paper.authors))} · ${escapeHtml(paper.id)}</div>` +
      why +
      `<div style="font-size:14px;color:#44403c;margin:6px 0 0;line-height:1.45">${escapeHtml(shorten(paper.abstract, ABSTRACT_CHARS))}</div>` +
      vote +
      `</td></tr>`
    );
  });
  const title = `<h2 style="font-size:18px;margin:24px 0 4px;color:#1c1917">${escapeHtml(section.title)}</h2>`;
  if (rows.length === 0) {
    return `${title}<p style="font-size:14px;color:#57534e;margin:4px 0 0">${escapeHtml(nothingNewText(section))}</p>`;
  }
  return (
    title +
    `<table role="presentation" width="100%" cellpadding="0" cellspacing="0" style="border-collapse:collapse">${rows.join("")}</table>`
  );
}

function textSection(section: DigestSection, input: DigestRenderInput): string {
  const lines = [section.title, "=".repeat(Math.min(72, section.title.length)), ""];
  if (section.items.length === 0) lines.push(nothingNewText(section), "");
  section.items.forEach((item, i) => {
    const paper = input.papers.get(item.paperId) as Paper;
    lines.push(`${i + 1}. ${oneLine(paper.title)}`);
    lines.push(`   ${authorLine(paper.authors)} · ${paper.id}`);
    if (item.reason) {
      lines.push(
        `   Why: ${oneLine(item.reason)}${item.terms.length > 0 ? ` (matched: ${item.terms.join(", ")})` : ""}`,
      );
    }
    lines.push(`   ${input.links.paper(paper.id)}`);
    const thumbs = thumbsOf(section, input, paper.id);
    if (thumbs) lines.push(`   More like this: ${thumbs.up}`, `   Less like this: ${thumbs.down}`);
    lines.push("");
  });
  return lines.join("\n");
}

export function renderDigest(input: DigestRenderInput): RenderedDigest {
  const sections = visibleSections(input);
  const count = sections.reduce((n, s) => n + s.items.length, 0);
  const title = heading(input, sections);
  const subject = `${title} (${count} paper${count === 1 ? "" : "s"})`;
  const footerText = `You get this because you subscribed at ${input.siteUrl}.`;
  const html = [
    "<!doctype html>",
    '<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width">',
    `<title>${escapeHtml(title)}</title></head>`,
    '<body style="margin:0;padding:0;background:#f5f5f4">',
    '<table role="presentation" width="100%" cellpadding="0" cellspacing="0" style="background:#f5f5f4"><tr><td align="center" style="padding:24px 12px">',
    '<table role="presentation" width="100%" cellpadding="0" cellspacing="0" style="max-width:640px;background:#ffffff;border-radius:8px;font-family:Helvetica,Arial,sans-serif;color:#1c1917"><tr><td style="padding:24px">',
    `<h1 style="font-size:22px;margin:0 0 8px">${escapeHtml(title)}</h1>`,
    ...sections.map((s) => htmlSection(s, input)),
    `<p style="margin:24px 0 0;font-size:12px;color:#78716c">${escapeHtml(footerText)} `,
    `<a href="${escapeHtml(input.links.manage)}" style="color:#78716c">Manage your digests</a> · `,
    `<a href="${escapeHtml(input.links.unsubscribe)}" style="color:#78716c">Unsubscribe</a></p>`,
    "</td></tr></table></td></tr></table></body></html>",
  ].join("");
  const text = [
    title,
    "",
    ...sections.map((s) => textSection(s, input)),
    "--",
    footerText,
    `Manage your digests: ${input.links.manage}`,
    `Unsubscribe: ${input.links.unsubscribe}`,
    "",
  ].join("\n");
  return {
    subject,
    text,
    html,
    count,
    headers: {
      "List-Unsubscribe": `<${input.links.unsubscribe}>`,
      "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
    },
  };
}

/** The confirmation mail of the double opt-in. */
export function renderConfirmation(input: {
  confirm: string;
  siteUrl: string;
  frequency: Frequency;
}): RenderedMail {
  const subject = "Confirm your Paperboy digest subscription";
  const intro = `Someone (we hope you) asked for a ${input.frequency} digest of new papers from ${input.siteUrl}. Nothing is sent until you confirm:`;
  const text = [
    intro,
    "",
    input.confirm,
    "",
    "If you did not ask for this, ignore this mail: you will get nothing more.",
    "",
  ].join("\n");
  const html = [
    '<!doctype html><html lang="en"><head><meta charset="utf-8"><title>',
    escapeHtml(subject),
    '</title></head><body style="margin:0;padding:24px;background:#f5f5f4;font-family:Helvetica,Arial,sans-serif;color:#1c1917">',
    '<div style="max-width:560px;margin:0 auto;background:#ffffff;padding:24px;border-radius:8px">',
    `<p style="margin:0 0 12px">${escapeHtml(intro)}</p>`,
    `<p style="margin:24px 0"><a href="${escapeHtml(input.confirm)}" style="background:#1a56db;color:#ffffff;padding:10px 18px;border-radius:6px;text-decoration:none;display:inline-block">Confirm my subscription</a></p>`,
    `<p style="word-break:break-all;font-size:13px">${escapeHtml(input.confirm)}</p>`,
    '<p style="margin:24px 0 0;font-size:12px;color:#78716c">If you did not ask for this, ignore this mail: you will get nothing more.</p>',
    "</div></body></html>",
  ].join("");
  return { subject, text, html };
}
