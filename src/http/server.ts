import type { Server } from "node:http";
import type { AddressInfo } from "node:net";
import { createAdaptorServer } from "@hono/node-server";
import { createApp } from "./app.ts";
import type { AppDeps } from "./env.ts";

export interface ServerOptions {
  port: number;
  host: string;
  /** How long a stop waits for requests in flight before cutting their connections. Default 10 s. */
  drainMs?: number;
}

export interface RunningServer {
  /** Where it listens, e.g. `http://127.0.0.1:3000` (the real port when 0 was asked for). */
  url: string;
  port: number;
  /**
   * Graceful stop: accepts no new connections, lets requests in flight finish (closing idle keep-alive
   * connections at once), and after `drainMs` closes whatever is left. Safe to call twice.
   */
  close(): Promise<void>;
}

/** Serves the web app over HTTP/1.1 on Node. Resolves once listening; rejects if the port cannot be bound. */
export async function startServer(deps: AppDeps, options: ServerOptions): Promise<RunningServer> {
  const app = createApp(deps);
  const server = createAdaptorServer({
    fetch: app.fetch,
    hostname: options.host,
    port: options.port,
  }) as Server;
  await new Promise<void>((resolve, reject) => {
    const onError = (error: Error) => reject(error);
    server.once("error", onError);
    server.listen(options.port, options.host, () => {
      server.off("error", onError);
      resolve();
    });
  });
  server.on("error", (error) => deps.logger.error("http server error", { error: error.message }));
  const address = server.address() as AddressInfo;
  const shownHost = address.family === "IPv6" ? `[${address.address}]` : address.address;
  let closing: Promise<void> | null = null;
  return {
    url: `http://${shownHost}:${address.port}`,
    port: address.port,
    close() {
      closing ??= new Promise<void>((resolve) => {
        const force = setTimeout(() => server.closeAllConnections(), options.drainMs ?? 10_000);
        force.unref();
        server.close(() => {
          clearTimeout(force);
          resolve();
        });
        server.closeIdleConnections();
      });
      return closing;
    },
  };
}
