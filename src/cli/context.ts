import type { Command } from "commander";
import { type Config, loadConfig } from "../config/config.ts";
import { createLogger, type Logger } from "../log.ts";
import { openStore } from "../store/open.ts";
import type { Store } from "../store/store.ts";

/** What every command gets: the validated configuration, a logger, and the store on demand. */
export interface CliContext {
  config: Config;
  logger: Logger;
  stdout: NodeJS.WritableStream;
  stderr: NodeJS.WriteStream;
  withStore<T>(fn: (store: Store) => Promise<T>, options?: { migrate?: boolean }): Promise<T>;
}

export function contextFrom(command: Command): CliContext {
  const globals = command.optsWithGlobals<{ db?: string; logLevel?: string; quiet?: boolean }>();
  const config = loadConfig(process.env, {
    db: globals.db,
    logLevel: globals.quiet ? "warn" : globals.logLevel,
  });
  const logger = createLogger(config.logLevel);
  return {
    config,
    logger,
    stdout: process.stdout,
    stderr: process.stderr,
    async withStore(fn, options) {
      const store = await openStore(config.db, { logger, ...options });
      try {
        return await fn(store);
      } finally {
        await store.close();
      }
    },
  };
}
