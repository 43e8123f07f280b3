/**
 * `paperboy users ...`: account administration from the shell, for whoever runs the server. The first admin
 * of a new install is made here: `paperboy users create you@example.org --name "You" --admin`.
 */
import type { Command } from "commander";

export interface UsersListOptions {
  query?: string;
  limit: string;
  json?: boolean;
}

export interface UsersCreateOptions {
  name: string;
  admin?: boolean;
  passwordStdin?: boolean;
}

/** What `users suspend|unsuspend|promote|demote` do to one user. */
export type UserChange = "suspend" | "unsuspend" | "verify" | "promote" | "demote";

export function registerUsers(program: Command): void {
  const users = program.command("users").summary("list, create, suspend and promote user accounts");
  const actions = () => import("../actions/users.ts");

  users
    .command("list")
    .summary("users, newest first (email, name, role, state, created, id)")
    .option("--query <text>", "only users whose email or name contains this")
    .option("--limit <n>", "at most this many", "100")
    .option("--json", "print as JSON")
    .action(async (opts: UsersListOptions, command: Command) =>
      (await actions()).runUsersList(opts, command),
    );

  users
    .command("create")
    .summary("create a verified account (with --admin, an administrator)")
    .argument("<email>", "the account's email address")
    .requiredOption("--name <name>", "display name")
    .option("--admin", "make the account an administrator")
    .option("--password-stdin", "read the password from standard input (else a random one is printed once)")
    .action(async (email: string, opts: UsersCreateOptions, command: Command) =>
      (await actions()).runUsersCreate(email, opts, command),
    );

  const change = (name: UserChange, summary: string) =>
    users
      .command(name)
      .summary(summary)
      .argument("<email-or-id>", "the user")
      .action(async (who: string, _opts: unknown, command: Command) =>
        (await actions()).runUsersChange(name, who, command),
      );

  change("suspend", "suspend a user: they cannot sign in, and their sessions end");
  change("unsuspend", "let a suspended user sign in again");
  change("verify", "mark a user's email confirmed (when the confirmation mail cannot reach them)");
  change("promote", "make a user an administrator");
  change("demote", "make an administrator a member again");
}
