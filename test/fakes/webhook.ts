import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";

/**
 * A webhook or Slack receiver on loopback: keeps every POST's path, headers and body; answers `status(path)`;
 * counts every connection made to it, so a test can show that a refused URL was never called.
 */
export interface FakeWebhook {
  /** `http://127.0.0.1:<port>`; the same port answers on [::1] too where IPv6 is available. */
  url: string;
  port: number;
  received: { path: string; headers: Record<string, string>; body: string }[];
  connections: number;
  /** The status to answer for a path (default 200). */
  status: (path: string) => number;
  close(): Promise<void>;
}

/** Listens on both loopback families when it can (the "::" socket takes IPv4 too), else on 127.0.0.1. */
export async function listenOnLoopback(server: Server): Promise<number> {
  try {
    await new Promise<void>((resolve, reject) => {
      server.once("error", reject);
      server.listen(0, "::", () => resolve());
    });
  } catch {
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  }
  return (server.address() as AddressInfo).port;
}

export async function startFakeWebhook(): Promise<FakeWebhook> {
  const state: FakeWebhook = {
    url: "",
    port: 0,
    received: [],
    connections: 0,
    status: () => 200,
    close: async () => {},
  };
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
  server.on("connection", () => {
    state.connections++;
  });
  state.port = await listenOnLoopback(server);
  state.url = `http://127.0.0.1:${state.port}`;
  state.close = () =>
    new Promise<void>((resolve) => {
      server.closeAllConnections();
      server.close(() => resolve());
    });
  return state;
}
