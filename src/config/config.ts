import { z } from "zod";
import { PaperboyError } from "../core/errors.ts";
import { LOG_LEVELS, type LogLevel } from "../log.ts";

export type DatabaseConfig = { kind: "sqlite"; path: string } | { kind: "postgres"; url: string };

export interface Config {
  db: DatabaseConfig;
  logLevel: LogLevel;
}

/** Flags given on the command line; they override the environment. */
export interface ConfigOverrides {
  db?: string | undefined;
  logLevel?: string | undefined;
}

export const DEFAULT_DB_PATH = "./data/paperboy.db";

const databaseSchema = z
  .string()
  .trim()
  .min(1, "must not be empty")
  .transform((value, ctx): DatabaseConfig => {
    if (/^postgres(ql)?:\/\//i.test(value)) {
      try {
        const url = new URL(value);
        if (!url.hostname && !url.searchParams.get("host")) {
          ctx.addIssue({ code: "custom", message: "a postgres:// URL needs a host" });
        }
      } catch {
        ctx.addIssue({ code: "custom", message: "is not a valid postgres:// URL" });
      }
      return { kind: "postgres", url: value };
    }
    if (/^[a-z][a-z0-9+.-]*:\/\//i.test(value)) {
      ctx.addIssue({ code: "custom", message: "must be a file path (SQLite) or a postgres:// URL" });
    }
    if (value.includes("\0")) ctx.addIssue({ code: "custom", message: "contains a NUL byte" });
    return { kind: "sqlite", path: value };
  });

const configSchema = z.object({
  PAPERBOY_DB: databaseSchema,
  PAPERBOY_LOG_LEVEL: z.enum(LOG_LEVELS).default("info"),
});

/**
 * Reads the whole configuration once, from the environment with flags on top, and reports every problem at
 * once rather than the first.
 */
export function loadConfig(env: NodeJS.ProcessEnv, overrides: ConfigOverrides = {}): Config {
  const input = {
    PAPERBOY_DB: overrides.db ?? env.PAPERBOY_DB ?? DEFAULT_DB_PATH,
    PAPERBOY_LOG_LEVEL: overrides.logLevel ?? env.PAPERBOY_LOG_LEVEL ?? undefined,
  };
  const parsed = configSchema.safeParse(input);
  if (!parsed.success) {
    const problems = parsed.error.issues.map((issue) => {
      const name = String(issue.path[0] ?? "config");
      const got = (input as Record<string, string | undefined>)[name];
      return `${name}${got === undefined ? "" : ` (got "${got}")`}: ${issue.message}`;
    });
    throw new PaperboyError("invalid_config", `invalid configuration:\n  ${problems.join("\n  ")}`, problems);
  }
  return { db: parsed.data.PAPERBOY_DB, logLevel: parsed.data.PAPERBOY_LOG_LEVEL };
}

/** The database as a user would recognise it in messages, without a password. */
export function describeDatabase(db: DatabaseConfig): string {
  if (db.kind === "sqlite") return `SQLite ${db.path}`;
  const url = new URL(db.url);
  if (url.password) url.password = "***";
  return `PostgreSQL ${url.toString()}`;
}
