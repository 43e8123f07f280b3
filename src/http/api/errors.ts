import type { Context } from "hono";
import type { ContentfulStatusCode } from "hono/utils/http-status";
import type { z } from "zod";
import { type ErrorCode, isPaperboyError } from "../../core/index.ts";
import type { Logger } from "../../log.ts";
import { type CommunityErrorCode, isCommunityError } from "../../store/community/index.ts";

/** Codes the API answers with, beyond the domain's (`ErrorCode`). Stable: clients may switch on them. */
export type ApiErrorCode =
  | ErrorCode
  | CommunityErrorCode
  | "invalid_request"
  | "unauthorized"
  | "forbidden"
  | "rate_limited"
  | "unavailable"
  | "internal";

/** The one error shape of the API: `{"error": {"code", "message"}}`, plus the offending field when known. */
export interface ApiErrorBody {
  error: { code: ApiErrorCode; message: string; field?: string };
}

/** An error a handler throws to answer with a status and a stable code. */
export class ApiError extends Error {
  constructor(
    readonly status: ContentfulStatusCode,
    readonly code: ApiErrorCode,
    message: string,
    readonly field?: string,
  ) {
    super(message);
    this.name = "ApiError";
  }
}

/** Domain codes to HTTP statuses; anything unlisted is a bad request. */
const STATUS_OF: Partial<Record<ErrorCode, ContentfulStatusCode>> = {
  not_found: 404,
  invalid_config: 500,
};

const COMMUNITY_STATUS: Record<CommunityErrorCode, ContentfulStatusCode> = {
  not_found: 404,
  forbidden: 403,
  invalid_input: 400,
  conflict: 409,
};

/** The first zod issue as a 400, naming the field (`limit`, `q`, ...) so the client can fix it. */
export function fromZodError(error: z.ZodError, where: "query" | "path" | "body"): ApiError {
  const issue = error.issues[0];
  const field = issue?.path.map(String).join(".") ?? "";
  const message = issue ? `${field || where}: ${issue.message}` : `invalid ${where}`;
  return new ApiError(400, "invalid_request", message, field || undefined);
}

/**
 * Maps anything thrown to a JSON error. Known errors keep their code and message; anything else is logged and
 * answered as a plain 500 that leaks nothing.
 */
export function errorResponse(c: Context, error: unknown, logger: Logger): Response {
  let status: ContentfulStatusCode;
  let body: ApiErrorBody;
  if (error instanceof ApiError) {
    status = error.status;
    body = {
      error: { code: error.code, message: error.message, ...(error.field ? { field: error.field } : {}) },
    };
  } else if (isCommunityError(error)) {
    status = COMMUNITY_STATUS[error.code];
    body = { error: { code: error.code, message: error.message } };
  } else if (isPaperboyError(error)) {
    status = STATUS_OF[error.code] ?? 400;
    body = { error: { code: error.code, message: error.message } };
  } else if (error instanceof RangeError) {
    // Listings and formulas refuse out-of-range numbers with RangeError; they reach here only past validation.
    status = 400;
    body = { error: { code: "invalid_request", message: error.message } };
  } else {
    logger.error("api request failed", {
      path: new URL(c.req.url).pathname,
      error: error instanceof Error ? (error.stack ?? error.message) : String(error),
    });
    status = 500;
    body = { error: { code: "internal", message: "internal error" } };
  }
  return c.json(body, status);
}
