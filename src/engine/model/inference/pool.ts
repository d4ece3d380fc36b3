/**
 * Model calls run by onnxruntime sessions in worker threads, so that the sweep's own work
 * (transforms, pre- and post-processing, scoring) overlaps with inference instead of waiting
 * for it, and so that several sessions can run side by side on a machine with many cores
 * (small models scale poorly across one session's threads: docs/scaling.md).
 *
 * Each worker runs one call at a time; a call goes to the worker with the fewest calls queued.
 * Outputs do not depend on which worker ran a call (same model, same options), so results are
 * identical to a single session's.
 */
import { join } from 'node:path';
import { Worker } from 'node:worker_threads';
import * as ort from 'onnxruntime-node';
import { describeThrown } from '../../errors';
import type { Inference, SessionRunObserver } from './inference';
import type { FromWorker, ToWorker, WireTensor, WorkerStart } from './protocol';

interface Done {
  output: ort.Tensor;
  /** Seconds inside session.run, timed in the worker. */
  seconds: number;
}

interface Pending {
  resolve: (done: Done) => void;
  reject: (error: Error) => void;
}

/**
 * Starts a worker thread: the worker bundled beside the CLI and engine host
 * (dist/inference-worker.cjs), or, when the engine runs from sources under tsx (tests, bench),
 * this folder's worker.ts with tsx's loader registered in the worker first (workers do not
 * inherit the loader hooks of --import).
 */
function startWorker(workerData: WorkerStart): Worker {
  if (typeof __filename === 'string' && __filename.endsWith('.cjs'))
    return new Worker(join(__dirname, 'inference-worker.cjs'), { workerData });
  const tsx = JSON.stringify(import.meta.resolve('tsx/esm/api'));
  const worker = JSON.stringify(new URL('./worker.ts', import.meta.url).href);
  const source = `import(${tsx}).then((tsx) => { tsx.register(); return import(${worker}); });`;
  return new Worker(source, { eval: true, workerData });
}

class InferenceWorker {
  private readonly worker: Worker;
  private readonly pending = new Map<number, Pending>();
  private failure: Error | undefined;
  readonly ready: Promise<void>;
  private released: (() => void) | undefined;

  constructor(
    start: WorkerStart,
    private readonly describe: (problem: string) => Error,
  ) {
    this.worker = startWorker(start);
    this.ready = new Promise((resolve, reject) => {
      this.worker.on('message', (message: FromWorker) => {
        if (message.kind === 'ready') resolve();
        else if (message.kind === 'released') this.released?.();
        else if (message.kind === 'done')
          this.settle(message.id, (p) => p.resolve({ output: fromWire(message.output), seconds: message.seconds }));
        else if (message.id === undefined) reject(this.fail(message.message));
        else this.settle(message.id, (p) => p.reject(this.describe(message.message)));
      });
      this.worker.on('error', (error) => reject(this.fail(error.message)));
      this.worker.on('exit', (code) => reject(this.fail(`its inference thread stopped (exit code ${code})`)));
    });
    this.ready.catch(() => undefined);
    // Referenced only while opening and while calls are pending: an idle pool never keeps a
    // process alive. (Unreferenced after the listeners above: adding one references it again.)
    void this.ready.then(() => {
      if (this.pending.size === 0) this.worker.unref();
    });
  }

  get queued(): number {
    return this.pending.size;
  }

  run(id: number, feed: ort.Tensor, keepFeed: boolean): Promise<Done> {
    if (this.failure) return Promise.reject(this.failure);
    return new Promise((resolve, reject) => {
      this.pending.set(id, { resolve, reject });
      if (this.pending.size === 1) this.worker.ref();
      const wire: WireTensor = { type: feed.type, data: feed.data, dims: feed.dims };
      const message: ToWorker = { kind: 'run', id, feed: wire };
      // The feed's buffer moves to the worker unless the caller still needs it (the bench's observer).
      const data = feed.data as ArrayBufferView;
      try {
        this.worker.postMessage(message, keepFeed || !(data.buffer instanceof ArrayBuffer) ? [] : [data.buffer]);
      } catch (thrown) {
        // A feed that cannot cross to the worker fails this call only (and leaves nothing pending).
        this.settle(id, (p) =>
          p.reject(this.describe(`its input could not be sent to its inference thread: ${describeThrown(thrown)}`)),
        );
      }
    });
  }

  private settle(id: number, action: (pending: Pending) => void): void {
    const pending = this.pending.get(id);
    if (!pending) return;
    this.pending.delete(id);
    if (this.pending.size === 0) this.worker.unref();
    action(pending);
  }

  private fail(problem: string): Error {
    this.failure ??= this.describe(problem);
    for (const pending of this.pending.values()) pending.reject(this.failure);
    this.pending.clear();
    this.worker.unref();
    return this.failure;
  }

  async release(): Promise<void> {
    if (!this.failure) {
      const released = new Promise<void>((resolve) => (this.released = resolve));
      this.worker.ref();
      this.worker.postMessage({ kind: 'release' } satisfies ToWorker);
      await Promise.race([
        released,
        this.ready.then(
          () => new Promise<void>(() => undefined),
          () => undefined,
        ),
      ]);
    }
    this.failure ??= new Error('the inference pool was released');
    await this.worker.terminate();
  }
}

function fromWire(wire: WireTensor): ort.Tensor {
  return new ort.Tensor(wire.type, wire.data as Float32Array, wire.dims);
}

export interface InferencePoolOptions {
  workers: number;
  modelPath: string;
  sessionOptions: ort.InferenceSession.SessionOptions;
  inputName: string;
  outputName: string;
  /** Makes the error a failed call rejects with (naming the model). */
  describe: (problem: string) => Error;
  /** The bench's observer: feeds are then copied to the workers, not moved, and timed inside them. */
  onRun?: SessionRunObserver;
}

export class InferencePool implements Inference {
  private readonly workers: InferenceWorker[];
  private nextId = 0;

  private constructor(private readonly options: InferencePoolOptions) {
    const start: WorkerStart = {
      modelPath: options.modelPath,
      options: options.sessionOptions,
      inputName: options.inputName,
      outputName: options.outputName,
    };
    this.workers = Array.from({ length: options.workers }, () => new InferenceWorker(start, options.describe));
  }

  /** Starts the workers and waits until each has opened its session. */
  static async open(options: InferencePoolOptions): Promise<InferencePool> {
    const pool = new InferencePool(options);
    try {
      await Promise.all(pool.workers.map((worker) => worker.ready));
    } catch (thrown) {
      await pool.release();
      throw thrown;
    }
    return pool;
  }

  /** One call running in each worker and one more waiting, so that no worker waits for the next feed. */
  get callsAhead(): number {
    return this.workers.length + 1;
  }

  run(feed: ort.Tensor): Promise<ort.Tensor> {
    const worker = this.workers.reduce((best, candidate) => (candidate.queued < best.queued ? candidate : best));
    const id = this.nextId++;
    const onRun = this.options.onRun;
    return worker.run(id, feed, onRun !== undefined).then(({ output, seconds }) => {
      onRun?.(feed, seconds);
      return output;
    });
  }

  async release(): Promise<void> {
    await Promise.all(this.workers.map((worker) => worker.release()));
  }
}
