import { type Command, InvalidArgumentError } from "commander";
import { describeDatabase } from "../../config/config.ts";
import { openAppDeps } from "../../http/deps.ts";
import { startServer } from "../../http/server.ts";
import { contextFrom } from "../context.ts";

function port(value: string): number {
  const n = Number(value);
  if (!/^\d+$/.test(value) || n > 65_535) throw new InvalidArgumentError("must be a number from 0 to 65535");
  return n;
}

export function registerServe(program: Command): void {
  program
    .command("serve")
    .summary("run the web site and JSON API until stopped (Ctrl-C or SIGTERM)")
    .description(
      "Serves the pages, the JSON API and the feeds from the store (PAPERBOY_DB). Listens on PAPERBOY_HOST:" +
        "PAPERBOY_PORT (default 127.0.0.1:3000); --host and --port override them. Links in mail and feeds use " +
        "PAPERBOY_BASE_URL. On SIGINT or SIGTERM it stops taking connections, finishes the requests in flight and " +
        "closes the store. Run `paperboy worker` beside it to keep the store up to date.",
    )
    .option("-p, --port <port>", "port to listen on (0: any free port)", port)
    .option("--host <host>", "address to listen on, e.g. 0.0.0.0 for every interface")
    .action(async (opts: { port?: number; host?: string }, command: Command) => {
      const ctx = contextFrom(command);
      const port = opts.port ?? ctx.config.web.port;
      // Without PAPERBOY_BASE_URL, links point at this server, so they follow --port.
      const baseUrl = process.env.PAPERBOY_BASE_URL ? ctx.config.web.baseUrl : `http://localhost:${port}`;
      const config = {
        ...ctx.config,
        web: { ...ctx.config.web, port, host: opts.host ?? ctx.config.web.host, baseUrl },
      };
      const opened = await openAppDeps(config, ctx.logger);
      let server: Awaited<ReturnType<typeof startServer>>;
      try {
        server = await startServer(opened.deps, { port: config.web.port, host: config.web.host });
      } catch (error) {
        await opened.close();
        throw error;
      }
      ctx.logger.info(`serving ${describeDatabase(config.db)} at ${server.url}`, {
        baseUrl: config.web.baseUrl,
      });
      await new Promise<void>((resolve) => {
        const stop = (signal: string) => {
          process.off("SIGINT", onInt);
          process.off("SIGTERM", onTerm);
          ctx.logger.info("stopping", { signal });
          resolve();
        };
        const onInt = () => stop("SIGINT");
        const onTerm = () => stop("SIGTERM");
        process.once("SIGINT", onInt);
        process.once("SIGTERM", onTerm);
      });
      await server.close();
      await opened.close();
      ctx.logger.info("stopped");
    });
}
