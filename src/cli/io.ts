/**
 * What the CLI talks to besides files: its two output streams and the interrupt (Ctrl-C).
 * The bin entry (main.ts) passes the process's own; tests pass captured ones and call
 * `main` in-process, so nothing in the CLI touches process.stdout, process.exit or signals.
 */
export interface CliStream {
  write(text: string): unknown;
  /** A terminal gets a redrawn progress bar, anything else plain lines. */
  isTTY?: boolean;
  columns?: number;
}

export interface CliIo {
  stdout: CliStream;
  stderr: CliStream;
  /** Calls `cancel` on an interrupt while a run or fit check goes (a run then stops and keeps its partial results); returns the disarm. */
  onInterrupt(cancel: () => void): () => void;
}

/** Exit codes: done; failed or cancelled; invalid input or usage (nothing was done). */
export const EXIT_OK = 0;
export const EXIT_FAILED = 1;
export const EXIT_USAGE = 2;

/** Writes one line (the CLI's console.log). */
export function printLine(stream: CliStream, text: string): void {
  stream.write(`${text}\n`);
}
