/**
 * Domain errors carry a stable `code` so that every edge (CLI exit codes, HTTP status, JSON error bodies)
 * can map them without parsing messages.
 */
export type ErrorCode =
  | "invalid_arxiv_id"
  | "invalid_category"
  | "invalid_date"
  | "invalid_record"
  | "invalid_config"
  | "unknown_format"
  | "not_found";

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
