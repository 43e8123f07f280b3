import type { Config } from "../config/config.ts";
import type { Logger } from "../log.ts";
import type { Mailer } from "./mailer.ts";
import { OutboxMailer } from "./outbox.ts";
import { createSmtpMailer } from "./smtp.ts";

export type { Mailer, MailMessage } from "./mailer.ts";
export { assertDeliverable, MailError, type RenderedMail } from "./message.ts";
export { type OutboxEntry, OutboxMailer } from "./outbox.ts";

/**
 * The mailer the configuration asks for: SMTP when PAPERBOY_SMTP_URL is set, else the development outbox in
 * `<dataDir>/outbox/` (shown at /dev/outbox).
 */
export function createMailer(config: Pick<Config, "mail" | "dataDir">, logger: Logger): Mailer {
  if (config.mail.smtpUrl) {
    return createSmtpMailer({ url: config.mail.smtpUrl, from: config.mail.from, logger });
  }
  logger.info("no PAPERBOY_SMTP_URL: mail goes to the outbox", { dir: `${config.dataDir}/outbox` });
  return new OutboxMailer(config.dataDir, config.mail.from);
}
