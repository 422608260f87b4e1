import type { Env } from '../config/env.js';

/** Where a command writes: the report on `out`, progress and errors on `err`. */
export interface CliIo {
  out: (text: string) => void;
  err: (text: string) => void;
  /** Draw a progress bar (a terminal) rather than plain progress lines (logs, pipes). */
  interactive: boolean;
}

export interface CliCommand {
  name: string;
  /** Arguments after the name, as shown by `help`. */
  usage: string;
  summary: string;
  /** Returns the process exit code. */
  run(args: string[], env: Env, io: CliIo): Promise<number>;
}

/** A command line a user must correct (exit code 2), as opposed to a failure while running (1). */
export class UsageError extends Error {}

/** A failure the user can act on: printed without a stack trace, exit code 1. */
export class CommandFailed extends Error {}
