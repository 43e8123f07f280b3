/**
 * The account forms' inputs, parsed once at the edge. zod bounds each field's shape and length (so an
 * overlong field is refused before any hashing or query); the rules themselves (what makes a valid email,
 * password or name) live in core/accounts.ts and are applied where the value is used.
 */
import type { Context } from "hono";
import { z } from "zod";
import { EMAIL_MAX_LENGTH, NAME_MAX_LENGTH, PASSWORD_MAX_LENGTH } from "../../core/accounts.ts";
import type { AppEnv } from "../env.ts";

// Lengths are checked in UTF-16 units here, a little above the rules' limits in characters; the core rules
// give the precise message.
const email = z
  .string()
  .trim()
  .min(1, "Email address is required.")
  .max(EMAIL_MAX_LENGTH, "Email address is too long.");
const password = z
  .string()
  .min(1, "Password is required.")
  .max(PASSWORD_MAX_LENGTH * 2, "Password is too long.");
const name = z.string().max(NAME_MAX_LENGTH * 4, "Name is too long.");
const token = z.string().max(200, "The link is malformed.");

export const signupForm = z.object({ email, name, password, next: z.string().max(2000).optional() });
export const signinForm = z.object({ email, password, next: z.string().max(2000).optional() });
export const resetRequestForm = z.object({ email });
export const resetSetForm = z.object({ token, password });
export const nameForm = z.object({ name });
export const passwordForm = z.object({ current: password, password });
export const apiTokenForm = z.object({
  name: z.string().max(200, "Token name is too long."),
  scope: z.enum(["read", "write"], { message: "Choose read-only or read-and-write access." }).default("read"),
});

export type FormResult<T> =
  | { ok: true; data: T }
  | { ok: false; error: string; values: Record<string, string> };

/**
 * The form's fields validated by `schema`, or the first problem as a sentence (plus the submitted text
 * values, to fill the form again). Files are refused; a repeated field keeps its last value, except those
 * named in `lists` (checkboxes), whose values are joined one a line.
 */
export async function parseForm<T>(
  c: Context<AppEnv>,
  schema: z.ZodType<T>,
  options: { lists?: readonly string[] } = {},
): Promise<FormResult<T>> {
  const lists = new Set(options.lists ?? []);
  let body: Record<string, unknown>;
  try {
    body = lists.size > 0 ? await c.req.parseBody({ all: true }) : await c.req.parseBody();
  } catch {
    return { ok: false, error: "The form could not be read.", values: {} };
  }
  const values: Record<string, string> = {};
  for (const [key, value] of Object.entries(body)) {
    if (typeof value === "string") values[key] = value;
    else if (Array.isArray(value)) {
      // A field sent more than once (checkboxes): the lists named are kept whole, one item a line; any
      // other field keeps its last value, as it would unparsed.
      const strings = value.filter((v): v is string => typeof v === "string");
      const last = strings[strings.length - 1];
      if (lists.has(key)) values[key] = strings.join("\n");
      else if (last !== undefined) values[key] = last;
    }
  }
  const parsed = schema.safeParse(values);
  if (parsed.success) return { ok: true, data: parsed.data };
  const issue = parsed.error.issues[0];
  const field = String(issue?.path[0] ?? "form");
  const message =
    issue?.code === "invalid_type" ? `${field} is required.` : (issue?.message ?? "Invalid form.");
  return { ok: false, error: message, values };
}

/**
 * Where to go after signing in: a path on this site only. Anything else (another host, `//host`, `/\host`,
 * a scheme) falls back to the home page, so a crafted sign-in link cannot send the user elsewhere.
 */
export function safeRedirectPath(next: string | undefined): string {
  if (!next?.startsWith("/") || next.startsWith("//") || next.startsWith("/\\")) return "/";
  // Browsers drop tabs and line breaks from URLs, so `/\t/evil.example` would become `//evil.example`.
  if (/\p{Cc}/u.test(next)) return "/";
  return next;
}
