import type { Command } from "commander";
import { describeDatabase } from "../../config/config.ts";
import { openAppDeps } from "../../http/deps.ts";
import { startServer } from "../../http/server.ts";
import type { ServeOptions } from "../commands/serve.ts";
import { contextFrom } from "../context.ts";

export async function runServe(opts: ServeOptions, command: Command): Promise<void> {
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
}
