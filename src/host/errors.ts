/** Turns anything thrown in the engine into the protocol's EngineError: a message, never a stack. */
import { describeThrown, MisasInputError } from '../engine/errors';
import type { EngineError } from '../protocol/engine';

export function toEngineError(thrown: unknown): EngineError {
  if (thrown instanceof MisasInputError) {
    return { message: thrown.message, problem: thrown.problem, ...(thrown.file ? { file: thrown.file } : {}) };
  }
  return { message: describeThrown(thrown) };
}

/** True for the errors AbortSignal.throwIfAborted() and the engine throw when a run is cancelled. */
export function isAbortError(thrown: unknown): boolean {
  return (
    thrown instanceof Error && (thrown.name === 'AbortError' || (thrown as { code?: string }).code === 'ABORT_ERR')
  );
}
