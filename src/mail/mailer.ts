/** One message to send. Both parts are always given: mail clients without HTML read the text. */
export interface MailMessage {
  to: string;
  subject: string;
  text: string;
  html: string;
  /** Extra headers (List-Unsubscribe, ...). */
  headers?: Record<string, string>;
}

/** Sends mail: SMTP through nodemailer, or the local outbox in development (see mail/index.ts). */
export interface Mailer {
  send(message: MailMessage): Promise<{ messageId: string }>;
  close(): Promise<void>;
}
