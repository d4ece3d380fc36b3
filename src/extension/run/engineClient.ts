/**
 * The extension's side of the engine host process: starts it lazily with child_process.fork,
 * pairs requests with responses by id, passes events on, and notices when the process dies.
 * A dead process fails only the requests it had; the next request starts a fresh one. An idle
 * process (no request outstanding for `idleTimeoutMs`) is stopped, which releases its models;
 * the next request starts a fresh one the same way.
 * No `vscode` import, so it can be exercised in plain Node as well.
 */
import { fork, type ChildProcess } from 'node:child_process';
import type {
  EngineError,
  EngineEvent,
  EngineFrame,
  EngineFrameRequest,
  EngineMessage,
  EngineRequest,
  EngineResponse,
  EngineResponseFor,
} from '../../protocol/engine';
import { isEngineEvent } from '../../protocol/engine';
import { Listeners, type Subscription } from './listeners';

/** A request as the caller writes it: the client adds the id. */
export type EngineRequestBody = EngineRequest extends infer R
  ? R extends EngineRequest
    ? Omit<R, 'id'>
    : never
  : never;

/** The engine process ended while requests were outstanding (crash, kill, out of memory). */
export class EngineStoppedError extends Error {
  override readonly name = 'EngineStoppedError';
  /** `processExited`: the process is gone (it died), so nothing of it writes any more. */
  constructor(
    readonly reason: string,
    readonly processExited = false,
  ) {
    super(`engine stopped unexpectedly: ${reason}`);
  }
}

/** The engine answered a request with an error (bad input, model mismatch, …). */
export class EngineRequestError extends Error {
  override readonly name = 'EngineRequestError';
  constructor(readonly error: EngineError) {
    super(error.message);
  }
}

/** What the controller needs from an engine; tests substitute fakes. */
export interface EngineConnection {
  request<B extends EngineRequestBody>(body: B): Promise<EngineResponseFor<B['type']>>;
  onEvent(listener: (event: EngineEvent) => void): Subscription;
  /** The running process's id, if one is running (tests kill it to check crash recovery). */
  readonly pid: number | undefined;
  dispose(): void;
}

export interface EngineClientOptions {
  /** The bundled engine host script (dist/host.cjs). */
  hostScript: string;
  /** Lines the engine writes to stdout/stderr (onnxruntime warnings, crash reports). */
  onOutput?: (line: string, stream: 'stdout' | 'stderr') => void;
  /** The process died unexpectedly (after it had started). */
  onStopped?: (reason: string) => void;
  /** Extra environment for the engine process. */
  env?: NodeJS.ProcessEnv;
  /** Node flags for the engine process (default none; the unit tests load TypeScript with tsx). */
  execArgv?: string[];
  /**
   * How long the process may go without an outstanding request (run, frame, …) before it is
   * stopped; asked each time the process becomes idle, so a changed setting applies at once.
   * 0 or absent = never.
   */
  idleTimeoutMs?: () => number;
  /** The process was stopped for being idle this long. */
  onIdleStop?: (idleMs: number) => void;
}

/** setTimeout's longest delay (about 24.8 days); a longer one would fire at once. */
const MAX_TIMEOUT_MS = 2 ** 31 - 1;

interface Pending {
  resolve(response: EngineResponse): void;
  reject(error: Error): void;
}

/** One engine process: its pending requests live and die with it. */
class EngineProcess {
  readonly pending = new Map<number, Pending>();
  alive = true;
  /** The last error the engine reported about itself before dying (see src/host/main.ts). */
  lastCrashMessage: string | undefined;

  constructor(readonly child: ChildProcess) {}

  send(request: EngineRequest): Promise<EngineResponse> {
    return new Promise((resolve, reject) => {
      if (!this.alive || !this.child.connected) {
        reject(new EngineStoppedError('the engine process is not running'));
        return;
      }
      this.pending.set(request.id, { resolve, reject });
      this.child.send(request, (error) => {
        if (!error) return;
        this.pending.delete(request.id);
        reject(new EngineStoppedError(`cannot reach the engine process (${error.message})`));
      });
    });
  }

  failAll(error: Error): void {
    for (const pending of this.pending.values()) pending.reject(error);
    this.pending.clear();
  }
}

export class EngineClient implements EngineConnection {
  private current: EngineProcess | undefined;
  private nextId = 1;
  private disposed = false;
  private idleTimer: NodeJS.Timeout | undefined;
  private readonly events = new Listeners<EngineEvent>();

  constructor(private readonly options: EngineClientOptions) {}

  get pid(): number | undefined {
    return this.current?.alive ? this.current.child.pid : undefined;
  }

  onEvent(listener: (event: EngineEvent) => void): Subscription {
    return this.events.add(listener);
  }

  async request<B extends EngineRequestBody>(body: B): Promise<EngineResponseFor<B['type']>> {
    if (this.disposed) throw new EngineStoppedError('the extension is shutting down');
    const request = { ...body, id: this.nextId++ } as EngineRequest;
    this.cancelIdleStop();
    let response: EngineResponse;
    try {
      response = await this.ensureProcess().send(request);
    } finally {
      this.scheduleIdleStop();
    }
    if (response.type === 'error') throw new EngineRequestError(response.error);
    if (response.type !== request.type)
      throw new Error(`the engine answered a ${request.type} request with ${response.type}`);
    return response as EngineResponseFor<B['type']>;
  }

  /** One overlay frame of a finished run (typed arrays arrive as they are: the IPC uses structured clone). */
  async frame(body: Omit<EngineFrameRequest, 'type' | 'id'>): Promise<EngineFrame> {
    return (await this.request({ ...body, type: 'frame' })).frame;
  }

  /** Stops the engine process (deactivation). Outstanding requests fail. */
  dispose(): void {
    this.disposed = true;
    this.cancelIdleStop();
    const engine = this.current;
    this.current = undefined;
    if (engine?.alive) this.stop(engine, new EngineStoppedError('the extension is shutting down'));
  }

  /** Stops a process on purpose: its exit is then no surprise (no onStopped). */
  private stop(engine: EngineProcess, error: EngineStoppedError): void {
    engine.alive = false;
    engine.failAll(error);
    // Ask politely (the engine releases its models and exits), then insist: onnxruntime may be
    // deep in native code, and a busy engine must not outlive the editor.
    if (engine.child.connected)
      engine.child.send({ type: 'shutdown', id: this.nextId++ } satisfies EngineRequest, () => {});
    const stillRunning = () => engine.child.exitCode === null && engine.child.signalCode === null;
    setTimeout(() => stillRunning() && engine.child.kill('SIGTERM'), 1000).unref();
    setTimeout(() => stillRunning() && engine.child.kill('SIGKILL'), 3000).unref();
  }

  private cancelIdleStop(): void {
    clearTimeout(this.idleTimer);
    this.idleTimer = undefined;
  }

  /** Once nothing is outstanding, stops the process after the idle timeout (a new request cancels that). */
  private scheduleIdleStop(): void {
    this.cancelIdleStop();
    const engine = this.current;
    const idleMs = this.options.idleTimeoutMs?.() ?? 0;
    if (this.disposed || !engine?.alive || engine.pending.size > 0 || !(idleMs > 0)) return;
    this.idleTimer = setTimeout(
      () => {
        this.idleTimer = undefined;
        if (this.current !== engine || !engine.alive || engine.pending.size > 0) return;
        // A request from now on starts a fresh process, as after a crash.
        this.current = undefined;
        this.stop(engine, new EngineStoppedError('the engine process was idle and stopped'));
        this.options.onIdleStop?.(idleMs);
      },
      Math.min(idleMs, MAX_TIMEOUT_MS),
    );
    this.idleTimer.unref();
  }

  private ensureProcess(): EngineProcess {
    if (this.current?.alive) return this.current;
    const child = fork(this.options.hostScript, [], {
      execArgv: this.options.execArgv ?? [], // not the extension host's flags (inspector ports, …)
      serialization: 'advanced', // structured clone: typed arrays and ArrayBuffers pass as they are
      stdio: ['ignore', 'pipe', 'pipe', 'ipc'],
      // In desktop VS Code process.execPath is Electron: make it behave as plain Node.
      env: { ...process.env, ...this.options.env, ELECTRON_RUN_AS_NODE: '1' },
    });
    const engine = new EngineProcess(child);
    this.current = engine;
    child.on('message', (message: EngineMessage) => this.receive(engine, message));
    forwardLines(child.stdout, (line) => this.options.onOutput?.(line, 'stdout'));
    forwardLines(child.stderr, (line) => this.options.onOutput?.(line, 'stderr'));
    child.on('error', (error) => this.stopped(engine, error.message));
    child.on('exit', (code, signal) => this.stopped(engine, signal ? `killed by ${signal}` : `exit code ${code}`));
    return engine;
  }

  private receive(engine: EngineProcess, message: EngineMessage): void {
    if (isEngineEvent(message)) {
      if (message.type === 'log' && message.level === 'error') engine.lastCrashMessage = message.message;
      this.events.fire(message);
      return;
    }
    const pending = engine.pending.get(message.id);
    engine.pending.delete(message.id);
    pending?.resolve(message);
  }

  private stopped(engine: EngineProcess, how: string): void {
    if (!engine.alive) return; // already handled (dispose, or 'error' followed by 'exit')
    engine.alive = false;
    if (this.current === engine) this.current = undefined;
    const reason = engine.lastCrashMessage ? `${how} (${engine.lastCrashMessage})` : how;
    engine.failAll(new EngineStoppedError(reason, true));
    this.options.onStopped?.(reason);
  }
}

function forwardLines(stream: NodeJS.ReadableStream | null, onLine: (line: string) => void): void {
  if (!stream) return;
  let buffered = '';
  stream.setEncoding('utf8');
  stream.on('data', (chunk: string) => {
    buffered += chunk;
    const lines = buffered.split(/\r?\n/);
    buffered = lines.pop() ?? '';
    for (const line of lines) if (line.trim()) onLine(line);
  });
  stream.on('end', () => {
    if (buffered.trim()) onLine(buffered);
  });
}
