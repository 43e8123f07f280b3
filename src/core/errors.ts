/**
 * Domain errors carry a stable `code` so that every edge (CLI exit codes, HTTP status, JSON error bodies)
 * can map them without parsing messages. Each area narrows `PaperboyError` to the codes it uses
 * (`AccountError`, `CommunityError`, `DigestStoreError`, `DigestScheduleError`, `ValidationError`, the API's
 * `ApiError`); the web app maps every code to a status in one table (`src/http/errors.ts`).
 *
 * Failures of the outside world are not domain errors and stay plain `Error`s, handled where they happen:
 * a source that cannot be read (`SourceError`), an outbound request refused or failed (`OutboundError`), a
 * digest channel that failed (`ChannelError`), a mail refused (`MailError`), an embedder (`EmbedderError`).
 */
export type ErrorCode =
  // Input that breaks a rule: the message says which and why.
  | "invalid_arxiv_id"
  | "invalid_category"
  | "invalid_date"
  | "invalid_record"
  | "invalid_email"
  | "invalid_password"
  | "invalid_name"
  | "invalid_token"
  | "invalid_input"
  | "invalid_schedule"
  | "invalid_request"
  | "unknown_format"
  | "too_large"
  // Who may do what.
  | "unauthorized"
  | "forbidden"
  // What exists, and the state it is in.
  | "not_found"
  | "unknown_user"
  | "email_taken"
  | "conflict"
  | "limit_reached"
  | "pending_exists"
  // The operator's setup, not the request.
  | "invalid_config";

export class PaperboyError extends Error {
  readonly code: ErrorCode;
  readonly details: readonly string[];

  constructor(code: ErrorCode, message: string, details: readonly string[] = []) {
    super(message);
    this.name = "PaperboyError";
    this.code = code;
    this.details = details;
  }
}

export class ValidationError extends PaperboyError {
  constructor(code: ErrorCode, message: string) {
    super(code, message);
    this.name = "ValidationError";
  }
}

export function isPaperboyError(error: unknown): error is PaperboyError {
  return error instanceof PaperboyError;
}

/** A short, human-readable reason from anything thrown. */
export function describeError(error: unknown): string {
  if (error instanceof Error) return error.message;
  return String(error);
}
