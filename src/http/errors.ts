/**
 * The web app's one error path. Routes answer the refusals they expect themselves (a form shown again with its
 * message); anything they throw ends here, through `app.onError` in app.ts (sub-apps have no handler of their
 * own, so Hono hands their errors up):
 *
 * - a `PaperboyError` with a 4xx code is a refusal: its status comes from `STATUS_OF_CODE`, its message is
 *   shown, as `{"error": {"code", "message"}}` to requests that want JSON (`wantsJson`), else as a page;
 * - anything else (and a code that maps to 5xx) is a fault: logged once with the request id and path, and
 *   answered with a plain 500 that says nothing about it.
 */
import type { Context, ErrorHandler } from "hono";
import type { ContentfulStatusCode } from "hono/utils/http-status";
import { type ErrorCode, isPaperboyError, type PaperboyError } from "../core/index.ts";
import { messagePage, wantsJson } from "./accounts/message.tsx";
import { ApiError } from "./api/errors.ts";
import type { AppDeps, AppEnv } from "./env.ts";

/** Every domain code's HTTP status. Typed over `ErrorCode`, so a new code does not compile until it is here. */
export const STATUS_OF_CODE: Readonly<Record<ErrorCode, ContentfulStatusCode>> = {
  invalid_arxiv_id: 400,
  invalid_category: 400,
  invalid_date: 400,
  invalid_record: 400,
  invalid_email: 400,
  invalid_password: 400,
  invalid_name: 400,
  invalid_token: 400,
  invalid_input: 400,
  invalid_schedule: 400,
  invalid_request: 400,
  unknown_format: 400,
  unauthorized: 401,
  forbidden: 403,
  not_found: 404,
  unknown_user: 404,
  email_taken: 409,
  conflict: 409,
  limit_reached: 409,
  pending_exists: 409,
  too_large: 413,
  invalid_config: 500,
};

export function statusOf(code: ErrorCode): ContentfulStatusCode {
  return STATUS_OF_CODE[code];
}

/** Whether the request itself caused `error` (a domain code that maps to 4xx), rather than a fault of ours. */
export function isRefusal(error: unknown): error is PaperboyError {
  return isPaperboyError(error) && statusOf(error.code) < 500;
}

/** The one error shape of JSON answers; `field` names the query, path or body field at fault when known. */
export interface ErrorBody {
  error: { code: string; message: string; field?: string };
}

const TITLES: Partial<Record<number, string>> = {
  400: "Not accepted",
  401: "Sign in first",
  403: "Not allowed",
  404: "Not found",
  409: "Not possible",
  413: "Too large",
};

function refusal(c: Context<AppEnv>, deps: AppDeps, error: PaperboyError): Response | Promise<Response> {
  const status = statusOf(error.code);
  if (wantsJson(c)) {
    const field = error instanceof ApiError ? error.field : undefined;
    const body: ErrorBody = {
      error: { code: error.code, message: error.message, ...(field ? { field } : {}) },
    };
    return c.json(body, status);
  }
  return messagePage(c, deps.config.web.baseUrl, status, {
    code: error.code,
    title: TITLES[status] ?? "Not accepted",
    text: error.message,
  });
}

async function fault(c: Context<AppEnv>, deps: AppDeps): Promise<Response> {
  if (wantsJson(c)) {
    const body: ErrorBody = { error: { code: "internal", message: "internal error" } };
    return c.json(body, 500);
  }
  try {
    return await messagePage(c, deps.config.web.baseUrl, 500, {
      code: "internal",
      title: "Something went wrong",
      text: `The page could not be shown. The error has been logged (reference ${c.get("requestId")}); please try again in a moment.`,
    });
  } catch {
    // The layout itself failed: say as little, without it.
    return c.text("Internal Server Error", 500);
  }
}

/** The app's `onError`: a refusal in the request's format, or a logged, opaque 500. */
export function errorHandler(deps: AppDeps): ErrorHandler<AppEnv> {
  return (error, c) => {
    // Hono's own middleware throws these (HTTPException) with the response it means.
    if ("getResponse" in error) return error.getResponse();
    if (isRefusal(error)) return refusal(c, deps, error);
    deps.logger.error("request failed", {
      requestId: c.get("requestId"),
      method: c.req.method,
      path: c.req.path,
      error: error.stack ?? error.message,
    });
    return fault(c, deps);
  };
}
