/** Exit codes of ARCHITECTURE.md: what a calling script should do next. */
export const EXIT = {
  /** Success. */
  OK: 0,
  /** The run failed (a bug, a store that could not be written, some files failed). */
  FAILURE: 1,
  /** Bad usage: unknown command or option, missing argument. */
  USAGE: 2,
  /** Bad input: unreadable, encrypted, not a PDF, no readable page. */
  BAD_INPUT: 3,
} as const;
export type ExitCode = (typeof EXIT)[keyof typeof EXIT];

/** An error whose message is the one line a user sees, with the exit code it maps to. */
export class WsoaError extends Error {
  constructor(
    message: string,
    readonly exitCode: ExitCode,
  ) {
    super(message);
    this.name = 'WsoaError';
  }
}
