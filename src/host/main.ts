/**
 * The engine host process: started by the extension with child_process.fork and an IPC
 * channel, so that onnxruntime (native code) never runs inside the VS Code extension host.
 */
import { describeThrown } from '../engine/errors';
import { summarizeTransforms } from '../engine/transforms/summary';
import { ENGINE_VERSION } from '../engine/version';
import type { EngineRequest, EngineResponse } from '../protocol/engine';

function handle(request: EngineRequest): EngineResponse {
  switch (request.type) {
    case 'hello':
      return { type: 'hello', id: request.id, engineVersion: ENGINE_VERSION, pid: process.pid };
    case 'listTransforms':
      return { type: 'listTransforms', id: request.id, transforms: summarizeTransforms() };
  }
}

if (!process.send) {
  console.error('misas engine host: start me with an IPC channel (child_process.fork).');
  process.exit(2);
}

process.on('message', (message: EngineRequest) => {
  let response: EngineResponse;
  try {
    response = handle(message);
  } catch (thrown) {
    response = { type: 'error', id: message.id, message: describeThrown(thrown) };
  }
  process.send?.(response);
});
// Without its parent the host has no purpose: exit rather than linger as an orphan.
process.on('disconnect', () => process.exit(0));
