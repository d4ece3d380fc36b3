/**
 * The run feature: the engine host process, the run controller, its status-bar item and the
 * run commands. Nothing here loads onnxruntime: models run in dist/host.cjs.
 */
import * as vscode from 'vscode';
import { registerRunCommands } from './commands';
import { EngineRunController, type RunController } from './controller';
import { EngineClient } from './engineClient';
import { InspectReports } from './inspectDocument';
import { createNotifier } from './messages';
import { readEngineIdleMs, readRunSettings } from '../settings';
import { createRunStatusBar } from './statusBar';

export type { ActiveRun, RunController, RunOutcome } from './controller';

export function registerRunFeatures(context: vscode.ExtensionContext, log: vscode.LogOutputChannel): RunController {
  const engine = new EngineClient({
    hostScript: vscode.Uri.joinPath(context.extensionUri, 'dist', 'host.cjs').fsPath,
    onOutput: (line, stream) => (stream === 'stderr' ? log.warn(`[engine] ${line}`) : log.info(`[engine] ${line}`)),
    onStopped: (reason) => log.error(`engine process stopped: ${reason}; the next run starts a fresh one`),
    idleTimeoutMs: readEngineIdleMs,
    onIdleStop: (idleMs) =>
      log.info(
        `engine process idle for ${idleMs / 60_000} min: stopped it, releasing its models; the next request starts a fresh one`,
      ),
  });
  const notify = createNotifier(log);
  const isTrusted = () => vscode.workspace.isTrusted;
  const runs = new EngineRunController({
    engine,
    log,
    state: context.workspaceState,
    notify,
    isTrusted,
    settings: readRunSettings,
  });
  const reports = new InspectReports();
  // Disposing the engine stops its process (deactivation, reload): no orphaned onnxruntime.
  context.subscriptions.push(
    engine,
    runs,
    reports,
    createRunStatusBar(runs, log),
    ...registerRunCommands({ runs, engine, log, reports, notify, isTrusted }),
  );
  return runs;
}
