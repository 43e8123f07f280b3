import type { Migration } from "kysely";
import type { RepoContext } from "../repo.ts";

/** Migrations of the listings module, merged into the store's list (names must sort after 0002). */
export const listingsMigrations: Record<string, Migration> = {};

// biome-ignore lint/suspicious/noEmptyInterface: filled as the module grows
export interface Listings {}

export function createListings(_ctx: RepoContext): Listings {
  return {};
}
