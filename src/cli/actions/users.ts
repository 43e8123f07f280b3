/**
 * `paperboy users ...`: account administration from the shell, for whoever runs the server. The first admin
 * of a new install is made here: `paperboy users create you@example.org --name "You" --admin`.
 */
import { randomBytes } from "node:crypto";
import type { Command } from "commander";
import { AccountError, type User } from "../../core/accounts.ts";
import type { Store } from "../../store/store.ts";
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

export function registerUsers(program: Command): void {
  const users = program.command("users").summary("list, create, suspend and promote user accounts");

  users
    .command("list")
    .summary("users, newest first (email, name, role, state, created, id)")
    .option("--query <text>", "only users whose email or name contains this")
    .option("--limit <n>", "at most this many", "100")
    .option("--json", "print as JSON")
    .action(async (opts: { query?: string; limit: string; json?: boolean }, command: Command) => {
      const ctx = contextFrom(command);
      const limit = Number.parseInt(opts.limit, 10);
      if (!Number.isInteger(limit) || limit < 1) throw new Error("--limit must be a positive integer");
      const list = await ctx.withStore((store) =>
        store.accounts.listUsers({ limit, ...(opts.query ? { query: opts.query } : {}) }),
      );
      if (opts.json) ctx.stdout.write(`${JSON.stringify(list, null, 2)}\n`);
      else ctx.stdout.write(list.length === 0 ? "No users.\n" : `${list.map(describe).join("\n")}\n`);
    });

  users
    .command("create")
    .summary("create a verified account (with --admin, an administrator)")
    .argument("<email>", "the account's email address")
    .requiredOption("--name <name>", "display name")
    .option("--admin", "make the account an administrator")
    .option("--password-stdin", "read the password from standard input (else a random one is printed once)")
    .action(
      async (
        email: string,
        opts: { name: string; admin?: boolean; passwordStdin?: boolean },
        command: Command,
      ) => {
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
      },
    );

  const change = (name: string, summary: string, apply: (store: Store, user: User) => Promise<User>) =>
    users
      .command(name)
      .summary(summary)
      .argument("<email-or-id>", "the user")
      .action(async (who: string, _opts: unknown, command: Command) => {
        const ctx = contextFrom(command);
        const user = await ctx.withStore(async (store) => apply(store, await findUser(store, who)));
        ctx.stdout.write(`${describe(user)}\n`);
      });

  change("suspend", "suspend a user: they cannot sign in, and their sessions end", (store, user) =>
    store.accounts.setSuspended(user.id, true),
  );
  change("unsuspend", "let a suspended user sign in again", (store, user) =>
    store.accounts.setSuspended(user.id, false),
  );
  change("promote", "make a user an administrator", (store, user) =>
    store.accounts.setRole(user.id, "admin"),
  );
  change("demote", "make an administrator a member again", (store, user) =>
    store.accounts.setRole(user.id, "member"),
  );
}
