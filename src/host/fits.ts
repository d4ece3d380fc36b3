/** The engine host's fit checks: each one cancellable by its id, with throttled progress events. */
import { fitModel } from '../engine/model/fit';
import type { EngineEvent, EngineFitRequest, EngineResponseFor } from '../protocol/engine';
import { isAbortError } from './errors';

export class FitManager {
  private readonly active = new Map<string, AbortController>();

  constructor(private readonly send: (event: EngineEvent) => void) {}

  async fit(request: EngineFitRequest): Promise<EngineResponseFor<'fitCheck'>> {
    const { id, fitId } = request;
    if (this.active.has(fitId)) throw new Error(`a fit check with id ${fitId} is already running`);
    const abort = new AbortController();
    this.active.set(fitId, abort);
    try {
      const report = await fitModel(request.modelPath, request.inputs, {
        ...(request.all ? { all: true } : {}),
        ...(request.settings?.threads ? { threads: request.settings.threads } : {}),
        signal: abort.signal,
        onProgress: (done, total) => this.send({ type: 'fitProgress', fitId, done, total }),
      });
      return { type: 'fitCheck', id, fitId, status: 'completed', report };
    } catch (thrown) {
      if (abort.signal.aborted && isAbortError(thrown)) return { type: 'fitCheck', id, fitId, status: 'cancelled' };
      throw thrown;
    } finally {
      this.active.delete(fitId);
    }
  }

  cancel(fitId: string): boolean {
    const abort = this.active.get(fitId);
    abort?.abort();
    return abort !== undefined;
  }

  cancelAll(): void {
    for (const abort of this.active.values()) abort.abort();
  }
}
