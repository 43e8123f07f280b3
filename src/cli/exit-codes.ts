/** Exit codes of the `paperboy` binary; scripts can rely on them. */
export const EXIT = {
  ok: 0,
  /** Something failed: a database error, a bug. The message says what. */
  failure: 1,
  /** The command line was wrong: unknown command or option, missing argument. */
  usage: 2,
  /** The configuration (environment or flags) is invalid; every problem is listed. */
  config: 3,
  /** The command finished, but some input was rejected (bad lines, unreadable files). */
  partial: 4,
} as const;

export const EXIT_CODES_HELP = `Exit codes:
  0  success
  1  failure (database error, unexpected error)
  2  usage error (unknown command or option, missing argument)
  3  invalid configuration (every problem is listed)
  4  finished, but some input was rejected (see the report)`;
