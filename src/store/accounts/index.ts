import type { Migration } from "kysely";
import type { RepoContext } from "../repo.ts";

/** Migrations of the accounts module, merged into the store's list (names must sort after 0002). */
export const accountsMigrations: Record<string, Migration> = {};

// biome-ignore lint/suspicious/noEmptyInterface: filled as the module grows
export interface Accounts {}

export function createAccounts(_ctx: RepoContext): Accounts {
  return {};
}
