/**
 * How a loaded model's calls reach onnxruntime: a session on this thread, or a pool of
 * sessions in worker threads (pool.ts). The segmentation model sees only this interface.
 */
import * as ort from 'onnxruntime-node';

/**
 * Told, after each model call, the exact tensor fed to `session.run` and the seconds the call
 * took. Only `npm run bench` uses it (to time raw inference on the runner's own feeds); it is
 * no user option.
 */
export type SessionRunObserver = (feed: ort.Tensor, seconds: number) => void;

export interface Inference {
  /**
   * Calls a caller should keep started while it works on a result, so that inference never
   * waits for it (and no more: each holds a batch). See runAhead.
   */
  readonly callsAhead: number;
  /** Runs one feed; rejects with onnxruntime's message. */
  run(feed: ort.Tensor): Promise<ort.Tensor>;
  release(): Promise<void>;
}

/**
 * The session on the calling thread: onnxruntime-node runs it synchronously (inside a
 * setImmediate), so nothing else in this process runs during a call.
 */
export class SessionInference implements Inference {
  /** Nothing runs while the caller works, so nothing is started ahead. */
  readonly callsAhead = 0;

  constructor(
    private readonly session: ort.InferenceSession,
    private readonly outputName: string,
    private readonly onRun?: SessionRunObserver,
  ) {}

  async run(feed: ort.Tensor): Promise<ort.Tensor> {
    const start = this.onRun ? process.hrtime.bigint() : 0n;
    const results = await this.session.run({ [this.session.inputNames[0]]: feed }, [this.outputName]);
    this.onRun?.(feed, Number(process.hrtime.bigint() - start) / 1e9);
    return results[this.outputName] as ort.Tensor;
  }

  release(): Promise<void> {
    return this.session.release();
  }
}
