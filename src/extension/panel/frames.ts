/**
 * Overlay frames for a results panel: the page asks for one (series, input, value, slice, model), the
 * engine host computes it from the run's experiment (src/host/frames.ts) and the panel posts the
 * pixels back as ArrayBuffers. The panel never runs a model itself.
 */
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { RunResults } from '../../engine/report/results';
import type { EngineFrame } from '../../protocol/engine';
import type { HostMessage, WebviewMessage } from '../../protocol/webview';
import type { FrameRequest } from '../run/engineQueries';
import { exists } from '../fileExists';

/** Computes a frame (the run controller's `frame`); absent where no engine is available. */
export type FrameProvider = (request: FrameRequest) => Promise<EngineFrame>;

/** How far up from the run folder the experiment file is looked for (default layout: 4 levels). */
const MAX_LEVELS_UP = 6;

/**
 * The experiment file of a run: results.json records only its name, and runs live under the
 * experiment's folder (`<folder>/.misas/runs/<name>/<time>/` by default), so the nearest
 * ancestor folder holding a file of that name; else the workspace file of that name nearest to
 * the run (a runs folder configured elsewhere).
 */
export async function findExperimentFile(runDir: vscode.Uri, fileName: string): Promise<vscode.Uri | undefined> {
  if (!fileName || fileName.includes('/') || fileName.includes('\\')) return undefined;
  let folder = runDir;
  for (let level = 0; level < MAX_LEVELS_UP; level++) {
    const parent = vscode.Uri.joinPath(folder, '..');
    if (parent.path === folder.path) break;
    folder = parent;
    const candidate = vscode.Uri.joinPath(folder, fileName);
    if (await exists(candidate)) return candidate;
  }
  const found = await vscode.workspace.findFiles(`**/${fileName}`, '**/node_modules/**', 50);
  const shared = (uri: vscode.Uri) => commonPrefixLength(path.posix.dirname(uri.path), runDir.path);
  return found.sort((a, b) => shared(b) - shared(a))[0];
}

function commonPrefixLength(a: string, b: string): number {
  let n = 0;
  while (n < a.length && n < b.length && a[n] === b[n]) n++;
  return n;
}

/** A typed array's own bytes (it may be a view on a larger buffer). */
function ownBuffer(array: Float32Array | Uint8Array | Uint16Array): ArrayBuffer {
  return array.buffer.slice(array.byteOffset, array.byteOffset + array.byteLength) as ArrayBuffer;
}

/** The webview's `frame` answer for an engine frame. */
export function frameMessage(requestId: number, frame: EngineFrame): Extract<HostMessage, { type: 'frame' }> {
  const labelBytes = frame.truth.BYTES_PER_ELEMENT === 2 || frame.prediction.BYTES_PER_ELEMENT === 2 ? 2 : 1;
  const labels = (array: Uint8Array | Uint16Array) =>
    ownBuffer(labelBytes === 2 && array instanceof Uint8Array ? Uint16Array.from(array) : array);
  return {
    type: 'frame',
    requestId,
    width: frame.dims[0],
    height: frame.dims[1],
    image: ownBuffer(frame.image),
    truth: labels(frame.truth),
    prediction: labels(frame.prediction),
    labelBytes,
    range: frame.range,
    pseudoTruth: frame.pseudoTruth,
    ...(frame.slices !== undefined ? { slices: frame.slices, slice: frame.slice ?? 0 } : {}),
  };
}

/** Answers one panel's frame requests for its run. */
export class PanelFrames {
  private experimentFile?: { name: string; uri: Promise<vscode.Uri | undefined> };

  constructor(
    private readonly runDir: vscode.Uri,
    private readonly provider: FrameProvider | undefined,
  ) {}

  async answer(
    request: Extract<WebviewMessage, { type: 'frame' }>,
    results: RunResults | undefined,
  ): Promise<HostMessage> {
    const fail = (message: string): HostMessage => ({ type: 'error', requestId: request.requestId, message });
    if (!this.provider) return fail('Overlay frames need the misas engine, which is not available here.');
    if (!results) return fail('The run has no readable results.json.');
    const experimentFile = await this.locate(results.experiment.file);
    if (!experimentFile)
      return fail(
        `Cannot find the experiment file ${results.experiment.file} of this run near ${vscode.workspace.asRelativePath(this.runDir)}.`,
      );
    try {
      const frame = await this.provider({
        experimentFile,
        runDir: this.runDir,
        series: request.series,
        input: request.input,
        value: request.value,
        ...(request.slice !== undefined ? { slice: request.slice } : {}),
        ...(request.model !== undefined ? { model: request.model } : {}),
      });
      return frameMessage(request.requestId, frame);
    } catch (thrown) {
      return fail(thrown instanceof Error ? thrown.message : String(thrown));
    }
  }

  private locate(name: string): Promise<vscode.Uri | undefined> {
    if (this.experimentFile?.name !== name) this.experimentFile = { name, uri: findExperimentFile(this.runDir, name) };
    const { uri } = this.experimentFile;
    // A file not found now may be created later: look again next time.
    void uri.then((found) => {
      if (!found && this.experimentFile?.uri === uri) this.experimentFile = undefined;
    });
    return uri;
  }
}
