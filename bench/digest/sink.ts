/**
 * The benchmark's SMTP sink, in its own process so its work is not counted in the sender's: accepts every
 * message, reads and discards it, and reports the count and bytes to the parent on request.
 */
import type { AddressInfo } from "node:net";
import { SMTPServer } from "smtp-server";

let messages = 0;
let bytes = 0;
const server = new SMTPServer({
  authOptional: true,
  disabledCommands: ["STARTTLS", "AUTH"],
  logger: false,
  maxClients: 64,
  onData(stream, _session, callback) {
    stream.on("data", (chunk: Buffer) => {
      bytes += chunk.length;
    });
    stream.on("end", () => {
      messages++;
      callback();
    });
  },
});
server.listen(0, "127.0.0.1", () => {
  const { port } = server.server.address() as AddressInfo;
  process.send?.({ port });
});
process.on("message", (m: { type: string }) => {
  if (m.type === "stats") process.send?.({ messages, bytes });
  if (m.type === "stop") server.close(() => process.exit(0));
});
