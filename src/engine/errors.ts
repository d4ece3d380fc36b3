/**
 * The one error type for bad input: a file (or experiment path) and what is wrong with it.
 * Callers show `message` to users as it is, so it always names the file and the problem.
 */
export class MisasInputError extends Error {
  override readonly name = 'MisasInputError';
  constructor(
    /** The file (or model, or experiment) the problem is in; '' when there is none. */
    readonly file: string,
    /** The problem in words, without the file name. */
    readonly problem: string,
    options?: { cause?: unknown },
  ) {
    super(file ? `${file}: ${problem}` : problem, options);
  }
}

/** Turns anything thrown (including the plain objects some parsers throw) into readable text. */
export function describeThrown(thrown: unknown): string {
  if (thrown instanceof Error) return thrown.message;
  if (typeof thrown === 'string') return thrown;
  if (thrown && typeof thrown === 'object') {
    const record = thrown as Record<string, unknown>;
    if (typeof record.exception === 'string') return record.exception;
    if (typeof record.message === 'string') return record.message;
    try {
      return JSON.stringify(thrown);
    } catch {
      /* fall through */
    }
  }
  return String(thrown);
}
