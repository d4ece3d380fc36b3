/**
 * Opening an onnxruntime-node session: missing files and onnxruntime's load errors become
 * MisasInputErrors that name the model; CUDA falls back to CPU with a warning.
 */
import { stat } from 'node:fs/promises';
import * as ort from 'onnxruntime-node';
import { describeThrown, MisasInputError } from '../errors';

export type ExecutionProvider = 'cpu' | 'cuda';

export interface SessionOptions {
  /** onnxruntime's intra-op thread count (default: onnxruntime's own choice). */
  threads?: number;
  executionProvider?: ExecutionProvider;
  /** Told about recoverable problems, e.g. CUDA unavailable and CPU used instead. */
  onWarning?: (message: string) => void;
}

export interface OpenedSession {
  session: ort.InferenceSession;
  /** The provider actually in use (after any fallback). */
  executionProvider: ExecutionProvider;
}

/** onnxruntime prefixes its messages with "Load model from <path> failed:"; the path is ours to say. */
function onnxruntimeProblem(thrown: unknown): string {
  return describeThrown(thrown)
    .replace(/^Load model from .*? failed:\s*/s, '')
    .trim();
}

async function requireModelFile(file: string): Promise<void> {
  try {
    const info = await stat(file);
    if (!info.isFile()) throw new MisasInputError(file, 'is not a file (expected an .onnx model)');
  } catch (thrown) {
    if (thrown instanceof MisasInputError) throw thrown;
    const code = (thrown as NodeJS.ErrnoException).code;
    throw new MisasInputError(
      file,
      code === 'ENOENT' ? 'model file not found' : `cannot be read (${code ?? describeThrown(thrown)})`,
    );
  }
}

/** The options every misas session is created with (exported for `npm run bench`'s raw sessions). */
export function sessionOptions(
  provider: ExecutionProvider,
  threads: number | undefined,
): ort.InferenceSession.SessionOptions {
  return {
    executionProviders: [provider],
    ...(threads ? { intraOpNumThreads: threads } : {}),
    interOpNumThreads: 1,
    graphOptimizationLevel: 'all',
    // Idle intra-op threads sleep instead of spinning: spinning took the cores the sweep's own work
    // (and other sessions) needed; a batch of the example U-Net on 2 threads took 75–81 ms spinning
    // and 52–53 ms not, under load (docs/PERFORMANCE.md).
    extra: { session: { intra_op: { allow_spinning: '0' } } },
    // 3 = errors only; the CUDA attempt is silenced completely because its failure is expected on most machines.
    logSeverityLevel: provider === 'cuda' ? 4 : 3,
  };
}

function createSession(
  file: string,
  provider: ExecutionProvider,
  threads: number | undefined,
): Promise<ort.InferenceSession> {
  return ort.InferenceSession.create(file, sessionOptions(provider, threads));
}

export async function openSession(file: string, options: SessionOptions = {}): Promise<OpenedSession> {
  await requireModelFile(file);
  if (options.threads !== undefined && !(Number.isInteger(options.threads) && options.threads >= 1)) {
    throw new MisasInputError(file, `threads must be a positive integer, not ${options.threads}`);
  }
  let cudaProblem: string | undefined;
  if (options.executionProvider === 'cuda') {
    try {
      return { session: await createSession(file, 'cuda', options.threads), executionProvider: 'cuda' };
    } catch (thrown) {
      cudaProblem = onnxruntimeProblem(thrown);
    }
  }
  let session: ort.InferenceSession;
  try {
    session = await createSession(file, 'cpu', options.threads);
  } catch (thrown) {
    throw new MisasInputError(file, `not a loadable ONNX model (onnxruntime: ${onnxruntimeProblem(thrown)})`, {
      cause: thrown,
    });
  }
  // Warn only once the CPU load worked: a corrupt model also fails on CUDA, and that is not a CUDA problem.
  if (cudaProblem !== undefined)
    options.onWarning?.(`${file}: CUDA is not available (${cudaProblem}); running on the CPU instead.`);
  return { session, executionProvider: 'cpu' };
}
