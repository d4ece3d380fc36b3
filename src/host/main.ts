/**
 * The engine host process: started by the extension with child_process.fork and an IPC
 * channel, so that onnxruntime (native code) never runs inside the VS Code extension host.
 * A crash here costs a run, never the editor; the extension starts a fresh process.
 */
import { summarizeTransforms } from '../engine/transforms/summary';
import { ENGINE_VERSION } from '../engine/version';
import type { EngineMessage, EngineRequest, EngineResponse } from '../protocol/engine';
import { toEngineError } from './errors';
import { FitManager } from './fits';
import { FrameService } from './frames';
import { imageFacts } from './imageFacts';
import { inspectForEditor } from './inspect';
import { ModelCache } from './modelCache';
import { RunManager } from './runs';

/** Exit code after an exception nobody caught (the extension reports the run as failed). */
const EXIT_CRASHED = 70;

if (!process.send) {
  console.error('misas engine host: start me with an IPC channel (child_process.fork).');
  process.exit(2);
}

function send(message: EngineMessage, then?: () => void): void {
  if (!process.connected) return then?.();
  process.send!(message, undefined, {}, () => then?.());
}

const models = new ModelCache();
const runs = new RunManager(models, send);
const fits = new FitManager(send);
const frames = new FrameService(models, (message) => send({ type: 'log', level: 'warn', message }));

async function handle(request: EngineRequest): Promise<EngineResponse> {
  switch (request.type) {
    case 'hello':
      return { type: 'hello', id: request.id, engineVersion: ENGINE_VERSION, pid: process.pid };
    case 'listTransforms':
      return { type: 'listTransforms', id: request.id, transforms: summarizeTransforms() };
    case 'run':
      return runs.run(request);
    case 'cancel':
      return {
        type: 'cancel',
        id: request.id,
        runId: request.runId,
        found: runs.cancel(request.runId) || fits.cancel(request.runId),
      };
    case 'inspectModel':
      return {
        type: 'inspectModel',
        id: request.id,
        inspection: await inspectForEditor(request.modelPath, request.card),
      };
    case 'frame':
      return { type: 'frame', id: request.id, frame: await frames.frame(request) };
    case 'imageFacts':
      return { type: 'imageFacts', id: request.id, facts: await imageFacts(request.imagePath) };
    case 'fitCheck':
      return fits.fit(request);
    case 'shutdown':
      runs.cancelAll();
      fits.cancelAll();
      await models.clear();
      return { type: 'shutdown', id: request.id };
  }
}

process.on('message', (request: EngineRequest) => {
  handle(request).then(
    // A shutdown exits once its answer is on its way.
    (response) => send(response, response.type === 'shutdown' ? () => process.exit(0) : undefined),
    (thrown: unknown) => send({ type: 'error', id: request.id, error: toEngineError(thrown) }),
  );
});

// Never die silently: say what happened (the extension logs it), then exit with a telling code.
function crash(what: string, thrown: unknown): void {
  const error = toEngineError(thrown);
  console.error(`misas engine host: ${what}:`, thrown);
  send({ type: 'log', level: 'error', message: `engine ${what}: ${error.message}` }, () => process.exit(EXIT_CRASHED));
  setTimeout(() => process.exit(EXIT_CRASHED), 1000).unref();
}
process.on('uncaughtException', (thrown) => crash('crashed', thrown));
process.on('unhandledRejection', (thrown) => crash('crashed (unhandled rejection)', thrown));

// Without its parent the host has no purpose: exit rather than linger as an orphan.
process.on('disconnect', () => {
  runs.cancelAll();
  fits.cancelAll();
  process.exit(0);
});
