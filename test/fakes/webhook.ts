import { createServer } from "node:http";
import type { AddressInfo } from "node:net";

/** A webhook or Slack receiver on loopback: keeps every POST's path, headers and body; answers `status(path)`. */
export interface FakeWebhook {
  url: string;
  received: { path: string; headers: Record<string, string>; body: string }[];
  /** The status to answer for a path (default 200). */
  status: (path: string) => number;
  close(): Promise<void>;
}

export async function startFakeWebhook(): Promise<FakeWebhook> {
  const state: FakeWebhook = { url: "", received: [], status: () => 200, close: async () => {} };
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => {
      const path = req.url ?? "/";
      const headers: Record<string, string> = {};
      for (const [k, v] of Object.entries(req.headers)) if (typeof v === "string") headers[k] = v;
      state.received.push({ path, headers, body: Buffer.concat(chunks).toString("utf8") });
      res.writeHead(state.status(path), { "content-type": "text/plain" }).end("ok");
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  state.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  state.close = () => new Promise<void>((resolve) => server.close(() => resolve()));
  return state;
}
