import type { DatabaseConfig } from "../config/config.ts";
import type { Logger } from "../log.ts";
import { openPostgresStore } from "./postgres.ts";
import { openSqliteStore } from "./sqlite.ts";
import type { Store } from "./store.ts";

/** Opens the store the configuration names and brings its schema up to date. */
export async function openStore(
  config: DatabaseConfig,
  options: { migrate?: boolean; logger?: Logger } = {},
): Promise<Store> {
  const store =
    config.kind === "postgres"
      ? openPostgresStore(config.url, { logger: options.logger })
      : openSqliteStore(config.path);
  if (options.migrate !== false) {
    try {
      await store.migrate();
    } catch (error) {
      await store.close();
      throw error;
    }
  }
  return store;
}
