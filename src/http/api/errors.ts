import type { z } from "zod";
import { type ErrorCode, PaperboyError } from "../../core/index.ts";

/**
 * An error an API handler throws: a domain code (its status comes from the app's table, `src/http/errors.ts`,
 * which also writes the JSON body) and, for bad input, the field at fault.
 */
export class ApiError extends PaperboyError {
  constructor(
    code: ErrorCode,
    message: string,
    readonly field?: string,
  ) {
    super(code, message);
    this.name = "ApiError";
  }
}

/** The first zod issue as a 400, naming the field (`limit`, `q`, ...) so the client can fix it. */
export function fromZodError(error: z.ZodError, where: "query" | "path" | "body"): ApiError {
  const issue = error.issues[0];
  const field = issue?.path.map(String).join(".") ?? "";
  const message = issue ? `${field || where}: ${issue.message}` : `invalid ${where}`;
  return new ApiError("invalid_request", message, field || undefined);
}
