import type { AddressInfo } from "node:net";
import { type ParsedMail, simpleParser } from "mailparser";
import { SMTPServer } from "smtp-server";

/**
 * A real SMTP receiver for the digest crash test. `beforeAccept` runs when a message's DATA has arrived and
 * before the server answers 250; returning false refuses it (the test kills the sender there, so, as with a
 * real MTA, a message whose client vanished before the 250 is not delivered).
 */
export interface CrashSmtp {
  url: string;
  messages: ParsedMail[];
  beforeAccept: (mail: ParsedMail) => boolean;
  /** Replies with `code` (e.g. 550) to RCPT TO for these addresses. */
  refuse: Map<string, number>;
  close(): Promise<void>;
}

export async function startCrashSmtp(): Promise<CrashSmtp> {
  const state: CrashSmtp = {
    url: "",
    messages: [],
    beforeAccept: () => true,
    refuse: new Map(),
    close: async () => {},
  };
  const server = new SMTPServer({
    authOptional: true,
    disabledCommands: ["STARTTLS", "AUTH"],
    logger: false,
    onRcptTo(address, _session, callback) {
      const code = state.refuse.get(address.address.toLowerCase());
      if (code) {
        const error = new Error("mailbox unavailable") as Error & { responseCode: number };
        error.responseCode = code;
        callback(error);
        return;
      }
      callback();
    },
    onData(stream, _session, callback) {
      simpleParser(stream)
        .then((mail) => {
          if (!state.beforeAccept(mail)) {
            callback(new Error("sender went away"));
            return;
          }
          state.messages.push(mail);
          callback();
        })
        .catch((error: Error) => callback(error));
    },
  });
  server.on("error", () => {
    // A killed client resets its connection; that is the point of the test, not a failure.
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.server.address() as AddressInfo;
  state.url = `smtp://127.0.0.1:${port}`;
  state.close = () => new Promise<void>((resolve) => server.close(() => resolve()));
  return state;
}
