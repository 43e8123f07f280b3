import type { Migration } from "kysely";
import type { RepoContext } from "../repo.ts";

/** Migrations of the community module, merged into the store's list (names must sort after 0002). */
export const communityMigrations: Record<string, Migration> = {};

// biome-ignore lint/suspicious/noEmptyInterface: filled as the module grows
export interface Community {}

export function createCommunity(_ctx: RepoContext): Community {
  return {};
}
