import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";

/** What a fake route answers. `hang` never answers (a timeout test); `truncate` cuts the body half way. */
export type FakeReply =
  | { status?: number; headers?: Record<string, string>; body: string | Buffer; truncate?: boolean }
  | { hang: true };

export type FakeHandler = (
  url: URL,
  request: IncomingMessage,
) => FakeReply | undefined | Promise<FakeReply | undefined>;

export interface FakeServer {
  /** Base URL, e.g. `http://127.0.0.1:43121`. */
  url: string;
  /** Every request received, in order, with the server's receive time. */
  requests: { method: string; url: URL; at: number }[];
  /** Requests no handler planned for; a test asserts this is empty (any unplanned request is a failure). */
  unplanned: URL[];
  /** Faults to serve before the normal answer: the next request matching `when` gets `reply` instead. */
  inject(when: (url: URL) => boolean, reply: FakeReply, times?: number): void;
  close(): Promise<void>;
}

/**
 * A loopback HTTP server standing in for an outside service: the handler maps a request to a recorded reply,
 * and anything it does not know is answered 501 and remembered as unplanned. Tests never reach the internet.
 */
export async function startFakeServer(handler: FakeHandler): Promise<FakeServer> {
  const requests: FakeServer["requests"] = [];
  const unplanned: URL[] = [];
  const faults: { when: (url: URL) => boolean; reply: FakeReply; times: number }[] = [];
  const hanging = new Set<ServerResponse>();

  const server: Server = createServer((req, res) => {
    const url = new URL(req.url ?? "/", "http://fake.local");
    requests.push({ method: req.method ?? "GET", url, at: Date.now() });
    void (async () => {
      const fault = faults.find((f) => f.times > 0 && f.when(url));
      let reply: FakeReply | undefined;
      if (fault) {
        fault.times--;
        reply = fault.reply;
      } else {
        reply = await handler(url, req);
      }
      if (reply === undefined) {
        unplanned.push(url);
        res
          .writeHead(501, { "content-type": "text/plain" })
          .end(`unplanned request: ${url.pathname}${url.search}`);
        return;
      }
      if ("hang" in reply) {
        hanging.add(res);
        return;
      }
      const body = typeof reply.body === "string" ? Buffer.from(reply.body) : reply.body;
      res.writeHead(reply.status ?? 200, {
        "content-type": "application/xml; charset=utf-8",
        ...reply.headers,
      });
      if (reply.truncate) {
        res.write(body.subarray(0, Math.floor(body.length / 2)));
        res.destroy();
        return;
      }
      res.end(body);
    })();
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    unplanned,
    inject(when, reply, times = 1) {
      faults.push({ when, reply, times });
    },
    async close() {
      for (const res of hanging) res.destroy();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
