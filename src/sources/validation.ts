import type { z } from "zod";
import { describeError, isPaperboyError, ValidationError } from "../core/errors.ts";

/** The first problem zod found, as `path: message`, so a rejected record says which field is wrong. */
export function firstIssue(error: z.ZodError): string {
  const issue = error.issues[0];
  if (!issue) return "invalid";
  const path = issue.path.map(String).join(".");
  return path ? `${path}: ${issue.message}` : issue.message;
}

export function parseWith<T>(schema: z.ZodType<T>, value: unknown): T {
  const parsed = schema.safeParse(value);
  if (!parsed.success) throw new ValidationError("invalid_record", firstIssue(parsed.error));
  return parsed.data;
}

/** A reason for rejecting a record: our own validation messages as they are, anything else prefixed. */
export function rejectionReason(error: unknown): string {
  return isPaperboyError(error) ? error.message : `unexpected error: ${describeError(error)}`;
}
