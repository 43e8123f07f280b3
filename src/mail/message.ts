import type { MailMessage } from "./mailer.ts";

/** Mail parts a template produces; delivery adds the recipient (so digests and account mail share senders). */
export interface RenderedMail {
  subject: string;
  text: string;
  html: string;
}

export class MailError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "MailError";
  }
}

const LINE_BREAK = /[\r\n]/;
/** One plain address, nothing a mail header could read as a second recipient or a new header. */
const SIMPLE_ADDRESS = /^[^\s<>,;:"()\\@]+@[^\s<>,;:"()\\@]+$/;
const HEADER_NAME = /^[A-Za-z0-9-]{1,64}$/;
const MAX_SUBJECT = 998;

/**
 * Refuses a message that could inject headers or recipients: a line break in the recipient, subject or any
 * header, a recipient that is not one plain address, or a header name with odd characters. Every mailer
 * calls this before delivery, whatever validated the fields upstream.
 */
export function assertDeliverable(message: MailMessage): void {
  if (LINE_BREAK.test(message.to) || !SIMPLE_ADDRESS.test(message.to)) {
    throw new MailError(`refusing to send: the recipient is not one plain address`);
  }
  if (LINE_BREAK.test(message.subject) || message.subject.length > MAX_SUBJECT) {
    throw new MailError("refusing to send: the subject has a line break or is too long");
  }
  for (const [name, value] of Object.entries(message.headers ?? {})) {
    if (!HEADER_NAME.test(name) || LINE_BREAK.test(value)) {
      throw new MailError(`refusing to send: header "${name.slice(0, 64)}" is malformed`);
    }
  }
}
