import { randomBytes } from "node:crypto";
import { mkdir, readdir, readFile, writeFile } from "node:fs/promises";
import { join } from "node:path";
import type { Mailer, MailMessage } from "./mailer.ts";
import { assertDeliverable } from "./message.ts";

/** A message kept in the development outbox. */
export interface OutboxEntry extends MailMessage {
  /** File name without `.json`: sortable by time. */
  id: string;
  messageId: string;
  from: string;
  sentAt: string;
}

/** Time first, so file names sort oldest to newest; the random tail keeps messages of one millisecond apart. */
const ENTRY_ID = /^\d{8}T\d{9}Z-[A-Za-z0-9_-]{8}$/;

/**
 * The development mailer: with no SMTP server configured, messages are written as JSON files into
 * `<dataDir>/outbox/` and shown at /dev/outbox, so sign-up links work on a laptop without mail.
 */
export class OutboxMailer implements Mailer {
  readonly dir: string;

  constructor(
    dataDir: string,
    private readonly from: string,
    private readonly now: () => Date = () => new Date(),
  ) {
    this.dir = join(dataDir, "outbox");
  }

  async send(message: MailMessage): Promise<{ messageId: string }> {
    assertDeliverable(message);
    await mkdir(this.dir, { recursive: true, mode: 0o700 });
    const sentAt = this.now().toISOString();
    const id = `${sentAt.replace(/[-:.]/g, "")}-${randomBytes(6).toString("base64url")}`;
    const messageId = `<${id}@outbox.paperboy>`;
    const entry: OutboxEntry = { ...message, id, messageId, from: this.from, sentAt };
    // 0600: the outbox holds live verification and reset links.
    await writeFile(join(this.dir, `${id}.json`), JSON.stringify(entry, null, 2), {
      mode: 0o600,
      flag: "wx",
    });
    return { messageId };
  }

  /** The newest `limit` messages, newest first. */
  async list(limit = 50): Promise<OutboxEntry[]> {
    let names: string[];
    try {
      names = await readdir(this.dir);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === "ENOENT") return [];
      throw error;
    }
    const ids = names
      .filter((n) => n.endsWith(".json"))
      .map((n) => n.slice(0, -5))
      .filter((id) => ENTRY_ID.test(id))
      .sort()
      .reverse()
      .slice(0, limit);
    const entries = await Promise.all(ids.map((id) => this.read(id)));
    return entries.filter((e): e is OutboxEntry => e !== null);
  }

  /** One message by id; null for an unknown or malformed id (never a path outside the outbox). */
  async read(id: string): Promise<OutboxEntry | null> {
    if (!ENTRY_ID.test(id)) return null;
    try {
      return JSON.parse(await readFile(join(this.dir, `${id}.json`), "utf8")) as OutboxEntry;
    } catch {
      return null;
    }
  }

  async close(): Promise<void> {}
}
