import type { Selectable } from "kysely";
import { isRole, type User } from "../../core/accounts.ts";
import type { IsoTimestamp } from "../../core/dates.ts";
import type { UsersTable } from "./tables.ts";

export type UserRow = Selectable<UsersTable>;

export function rowToUser(row: UserRow): User {
  return {
    id: row.id,
    email: row.email,
    name: row.name,
    // An unknown role (a newer version's, say) gets no more than a member's rights.
    role: isRole(row.role) ? row.role : "member",
    verifiedAt: row.verified_at as IsoTimestamp | null,
    suspendedAt: row.suspended_at as IsoTimestamp | null,
    createdAt: row.created_at as IsoTimestamp,
    updatedAt: row.updated_at as IsoTimestamp,
  };
}

export const iso = (date: Date): IsoTimestamp => date.toISOString() as IsoTimestamp;
