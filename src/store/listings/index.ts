import type { Migration } from "kysely";
import { localActivity } from "../community/counts.ts";
import type { RepoContext } from "../repo.ts";
import { KyselyListings } from "./kysely-listings.ts";
import type { Listings, LocalActivitySource } from "./types.ts";

export { addDays, keyOf, monthOf, parsePeriodKey, periodRange, weekOf } from "./periods.ts";
export type * from "./types.ts";
export { LISTING_SORTS } from "./types.ts";

/** Migrations of the listings module, merged into the store's list (names must sort after 0002). */
export const listingsMigrations: Record<string, Migration> = {};

/**
 * `store.listings`. Counts are Hugging Face's plus the community module's local votes and comments (read from
 * its counters table); `local` replaces that source, `null` counts Hugging Face's alone.
 */
export function createListings(ctx: RepoContext, local?: LocalActivitySource | null): Listings {
  return new KyselyListings(ctx, local === undefined ? (ids) => localActivity(ctx, ids) : local);
}
