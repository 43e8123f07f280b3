/**
 * The mails of the account flows, as text and HTML parts. Rendering only: the route decides the recipient
 * and sends through the Mailer.
 */
import { escapeHtml } from "../../core/text/html.ts";
import { linkButton, mailDocument, paragraph } from "../html.ts";
import type { RenderedMail } from "../message.ts";

export interface AccountMailInput {
  /** The reader's display name. */
  name: string;
  /** The absolute link to follow (it carries the one-time token). */
  link: string;
  /** The site's address, named in the footer so a reader knows where the mail came from. */
  siteUrl: string;
  /** How long the link works, in words ("48 hours"); empty for a plain link that does not expire. */
  validFor: string;
}

function footer(siteUrl: string): string {
  return `Sent by Paperboy at ${siteUrl}. If you did not ask for this, ignore this mail; nothing changes.`;
}

// Names are typed by anyone; a subject or greeting must not turn them into a header or a link.
function greetingName(name: string): string {
  return name.replace(/[\r\n]+/g, " ").slice(0, 60);
}

/** The parts that differ between the account mails; the layout around them is `linkMail`'s. */
interface LinkMailWording {
  subject: string;
  /** What happened, in the text part (before the bare link). */
  introText: string;
  /** The same, in the HTML part (before the button). */
  introHtml: string;
  button: string;
  /** Said after "The link works for …, once." (may be empty). */
  afterValidity: string;
}

/** A greeting, why the mail came, the one-time link (a button in HTML, with the address to copy), a footer. */
function linkMail(input: AccountMailInput, wording: LinkMailWording): RenderedMail {
  const name = greetingName(input.name);
  const validity = input.validFor
    ? `The link works for ${input.validFor}, once.${wording.afterValidity}`
    : wording.afterValidity.trim();
  const text = [
    `Hello ${name},`,
    "",
    wording.introText,
    "",
    input.link,
    "",
    validity,
    "",
    "--",
    footer(input.siteUrl),
  ].join("\n");
  const html = mailDocument(
    wording.subject,
    [
      paragraph(`Hello ${name},`),
      paragraph(wording.introHtml),
      linkButton(input.link, wording.button),
      paragraph(`${validity} If the button does not work, copy this address:`.trim()),
      `<p style="word-break:break-all;font-size:13px">${escapeHtml(input.link)}</p>`,
    ].join(""),
    footer(input.siteUrl),
  );
  return { subject: wording.subject, text, html };
}

export function renderVerificationMail(input: AccountMailInput): RenderedMail {
  return linkMail(input, {
    subject: "Confirm your email for Paperboy",
    introText: "Please confirm your email address by opening this link:",
    introHtml: "Please confirm your email address:",
    button: "Confirm my email",
    afterValidity: "",
  });
}

export function renderResetMail(input: AccountMailInput): RenderedMail {
  return linkMail(input, {
    subject: "Reset your Paperboy password",
    introText:
      "Someone (we hope you) asked to reset the password of your Paperboy account. To choose a new one, open:",
    introHtml: "Someone (we hope you) asked to reset the password of your Paperboy account.",
    button: "Choose a new password",
    afterValidity: " Setting a new password signs you out everywhere.",
  });
}

export function renderSigninLinkMail(input: AccountMailInput): RenderedMail {
  return linkMail(input, {
    subject: "Your Paperboy sign-in link",
    introText:
      "Someone signed in to your Paperboy account with the right password from a place that had made many wrong guesses, so we held the sign-in back. If it was you, finish signing in here:",
    introHtml:
      "Someone signed in to your Paperboy account with the right password from a place that had made many wrong guesses, so we held the sign-in back. If it was you, finish signing in:",
    button: "Sign me in",
    afterValidity:
      " If it was not you, someone knows your password: choose a new one from your settings or with a reset.",
  });
}

/** Sent instead of a second account when someone signs up with an address that already has one. */
export function renderAccountExistsMail(input: AccountMailInput): RenderedMail {
  return linkMail(input, {
    subject: "You already have a Paperboy account",
    introText:
      "Someone (we hope you) tried to sign up with this address, which already has an account. To sign in, or to choose a new password if you forgot it, open:",
    introHtml:
      "Someone (we hope you) tried to sign up with this address, which already has an account. Sign in, or choose a new password if you forgot it:",
    button: "Sign in",
    afterValidity: " No new account was made.",
  });
}
