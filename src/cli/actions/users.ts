import { randomBytes } from "node:crypto";
import type { Command } from "commander";
import { AccountError, type User } from "../../core/accounts.ts";
import type { Store } from "../../store/store.ts";
import type { UserChange, UsersCreateOptions, UsersListOptions } from "../commands/users.ts";
import { contextFrom } from "../context.ts";

async function readStdin(): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
  // One line: the password without its line ending.
  return Buffer.concat(chunks).toString("utf8").split(/\r?\n/)[0] ?? "";
}

/** A user named by email or id. */
async function findUser(store: Store, who: string): Promise<User> {
  const user = who.includes("@")
    ? await store.accounts.getUserByEmail(who)
    : await store.accounts.getUser(who);
  if (!user) throw new AccountError("unknown_user", `no user "${who.slice(0, 254)}"`);
  return user;
}

function describe(user: User): string {
  const state = user.suspendedAt ? "suspended" : user.verifiedAt ? "verified" : "unverified";
  return `${user.email}\t${user.name}\t${user.role}\t${state}\t${user.createdAt}\t${user.id}`;
}

export async function runUsersList(opts: UsersListOptions, command: Command): Promise<void> {
  const ctx = contextFrom(command);
  const limit = Number.parseInt(opts.limit, 10);
  if (!Number.isInteger(limit) || limit < 1) throw new Error("--limit must be a positive integer");
  const list = await ctx.withStore((store) =>
    store.accounts.listUsers({ limit, ...(opts.query ? { query: opts.query } : {}) }),
  );
  if (opts.json) ctx.stdout.write(`${JSON.stringify(list, null, 2)}\n`);
  else ctx.stdout.write(list.length === 0 ? "No users.\n" : `${list.map(describe).join("\n")}\n`);
}

export async function runUsersCreate(
  email: string,
  opts: UsersCreateOptions,
  command: Command,
): Promise<void> {
  const ctx = contextFrom(command);
  const generated = opts.passwordStdin ? null : randomBytes(15).toString("base64url");
  const password = generated ?? (await readStdin());
  const user = await ctx.withStore((store) =>
    store.accounts.createUser({
      email,
      name: opts.name,
      password,
      role: opts.admin ? "admin" : "member",
      verified: true,
    }),
  );
  ctx.stdout.write(`Created ${user.role} ${user.email} (${user.id}).\n`);
  if (generated) ctx.stdout.write(`Password (shown once; change it in Settings): ${generated}\n`);
}

const CHANGES: Record<UserChange, (store: Store, user: User) => Promise<User>> = {
  suspend: (store, user) => store.accounts.setSuspended(user.id, true),
  unsuspend: (store, user) => store.accounts.setSuspended(user.id, false),
  verify: (store, user) => store.accounts.markVerified(user.id),
  promote: (store, user) => store.accounts.setRole(user.id, "admin"),
  demote: (store, user) => store.accounts.setRole(user.id, "member"),
};

export async function runUsersChange(change: UserChange, who: string, command: Command): Promise<void> {
  const ctx = contextFrom(command);
  const user = await ctx.withStore(async (store) => CHANGES[change](store, await findUser(store, who)));
  ctx.stdout.write(`${describe(user)}\n`);
}
