/**
 * The mails of the account flows, as text and HTML parts. Rendering only: the route decides the recipient
 * and sends through the Mailer.
 */
import { escapeHtml, linkButton, mailDocument, paragraph } from "../html.ts";
import type { RenderedMail } from "../message.ts";

export interface AccountMailInput {
  /** The reader's display name. */
  name: string;
  /** The absolute link to follow (it carries the one-time token). */
  link: string;
  /** The site's address, named in the footer so a reader knows where the mail came from. */
  siteUrl: string;
  /** How long the link works, in words ("48 hours"). */
  validFor: string;
}

function footer(siteUrl: string): string {
  return `Sent by Paperboy at ${siteUrl}. If you did not ask for this, ignore this mail; nothing changes.`;
}

// Names are typed by anyone; a subject or greeting must not turn them into a header or a link.
function greetingName(name: string): string {
  return name.replace(/[\r\n]+/g, " ").slice(0, 60);
}

export function renderVerificationMail(input: AccountMailInput): RenderedMail {
  const name = greetingName(input.name);
  const subject = "Confirm your email for Paperboy";
  const text = [
    `Hello ${name},`,
    "",
    "Please confirm your email address by opening this link:",
    "",
    input.link,
    "",
    `The link works for ${input.validFor}, once.`,
    "",
    "--",
    footer(input.siteUrl),
  ].join("\n");
  const html = mailDocument(
    subject,
    [
      paragraph(`Hello ${name},`),
      paragraph("Please confirm your email address:"),
      linkButton(input.link, "Confirm my email"),
      paragraph(
        `The link works for ${input.validFor}, once. If the button does not work, copy this address:`,
      ),
      `<p style="word-break:break-all;font-size:13px">${escapeHtml(input.link)}</p>`,
    ].join(""),
    footer(input.siteUrl),
  );
  return { subject, text, html };
}

export function renderResetMail(input: AccountMailInput): RenderedMail {
  const name = greetingName(input.name);
  const subject = "Reset your Paperboy password";
  const text = [
    `Hello ${name},`,
    "",
    "Someone (we hope you) asked to reset the password of your Paperboy account. To choose a new one, open:",
    "",
    input.link,
    "",
    `The link works for ${input.validFor}, once. Setting a new password signs you out everywhere.`,
    "",
    "--",
    footer(input.siteUrl),
  ].join("\n");
  const html = mailDocument(
    subject,
    [
      paragraph(`Hello ${name},`),
      paragraph("Someone (we hope you) asked to reset the password of your Paperboy account."),
      linkButton(input.link, "Choose a new password"),
      paragraph(
        `The link works for ${input.validFor}, once. Setting a new password signs you out everywhere. If the button does not work, copy this address:`,
      ),
      `<p style="word-break:break-all;font-size:13px">${escapeHtml(input.link)}</p>`,
    ].join(""),
    footer(input.siteUrl),
  );
  return { subject, text, html };
}
