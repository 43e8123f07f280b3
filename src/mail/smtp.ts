import nodemailer from "nodemailer";
import type { Logger } from "../log.ts";
import type { Mailer } from "./mailer.ts";
import { assertDeliverable } from "./message.ts";

export interface SmtpMailerOptions {
  /** `smtp://user:pass@host:587` (STARTTLS when offered) or `smtps://host:465` (TLS from the start). */
  url: string;
  /** The From header, e.g. `Paperboy <paperboy@example.org>`. */
  from: string;
  logger: Logger;
}

/** Delivers through an SMTP server with nodemailer, over one pooled connection reused between messages. */
export function createSmtpMailer(options: SmtpMailerOptions): Mailer {
  const url = new URL(options.url);
  url.searchParams.set("pool", "true");
  const transport = nodemailer.createTransport(url.toString());
  return {
    async send(message) {
      assertDeliverable(message);
      const info = await transport.sendMail({
        from: options.from,
        to: message.to,
        subject: message.subject,
        text: message.text,
        html: message.html,
        ...(message.headers ? { headers: message.headers } : {}),
      });
      options.logger.debug("mail sent", { to: message.to, messageId: info.messageId });
      return { messageId: info.messageId };
    },
    async close() {
      transport.close();
    },
  };
}
