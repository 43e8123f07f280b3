import { randomBytes } from "node:crypto";
import { chmodSync, mkdirSync, readFileSync, statSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import type { Config } from "../config/config.ts";

/** Shortest secret accepted from the file (the config demands the same of PAPERBOY_SECRET). */
const MIN_LENGTH = 32;

/**
 * The key that signs cookies, CSRF tokens and mailed links: `config.web.secret` (PAPERBOY_SECRET) when set,
 * else the one kept in `<dataDir>/secret`, made on first start with 48 random bytes and mode 0600. Replicas
 * must share PAPERBOY_SECRET, since each machine would otherwise make its own.
 */
export function loadSecret(config: Pick<Config, "web" | "dataDir">): string {
  if (config.web.secret) return config.web.secret;
  const path = join(config.dataDir, "secret");
  mkdirSync(config.dataDir, { recursive: true });
  try {
    // `wx` fails if the file exists, so two processes starting together cannot overwrite each other's secret.
    writeFileSync(path, `${randomBytes(48).toString("base64url")}\n`, { flag: "wx", mode: 0o600 });
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== "EEXIST") throw error;
  }
  // Tighten a copy restored from a backup with looser permissions.
  if ((statSync(path).mode & 0o077) !== 0) chmodSync(path, 0o600);
  const secret = readFileSync(path, "utf8").trim();
  if (secret.length < MIN_LENGTH) {
    throw new Error(
      `${path} holds a secret shorter than ${MIN_LENGTH} characters; delete it to make a new one`,
    );
  }
  return secret;
}
