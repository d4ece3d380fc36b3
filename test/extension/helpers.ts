/** Small helpers shared by the suites that run inside the extension host. */
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { MisasApi } from '../../src/extension/extension';
import type { MisasTestingApi } from '../../src/extension/testing';
import { EngineRunController } from '../../src/extension/run/controller';
import type { EngineConnection } from '../../src/extension/run/engineClient';
import type { RunNotifier } from '../../src/extension/run/messages';

/** Polls `probe` every 100 ms until it returns something other than undefined, or times out. */
export async function waitFor<T>(
  probe: () => Promise<T | undefined> | T | undefined,
  timeoutMs: number,
  what: string,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

export const EXTENSION_ID = 'misas.misas';

/** The extension, activated, with the API its activate() returns. */
export async function activateMisas<Api = MisasApi>(): Promise<{ extension: vscode.Extension<Api>; api: Api }> {
  const extension = vscode.extensions.getExtension<Api>(EXTENSION_ID);
  assert.ok(extension, `${EXTENSION_ID} is not loaded`);
  return { extension, api: await extension.activate() };
}

/**
 * The extension's testing seam (activate() returns it only in the extension test host): pre-made
 * wizard answers, New Experiment's name, the example's folder and answers to modal questions.
 */
export async function misasTesting(): Promise<MisasTestingApi> {
  const { api } = await activateMisas();
  assert.ok(api.testing, 'activate() returned no testing API: is the extension running in test mode?');
  return api.testing;
}

/**
 * The repository this suite was built from (out/test/extension/ is inside it): its test models,
 * fixtures and examples. Not the extension's folder: the extension under test may be an unpacked
 * VSIX, without test files.
 */
export function repoRoot(): string {
  for (let dir = __dirname; dir !== path.dirname(dir); dir = path.dirname(dir)) {
    if (
      fs.existsSync(path.join(dir, 'test', 'data', 'models')) &&
      fs.existsSync(path.join(dir, 'test', 'report', 'fixtures'))
    )
      return dir;
  }
  throw new Error(`no test/data/models and test/report/fixtures above ${__dirname}`);
}

export function workspaceFolder(): vscode.Uri {
  const folder = vscode.workspace.workspaceFolders?.[0];
  assert.ok(folder, 'the suite needs a workspace folder');
  return folder.uri;
}

/**
 * A run controller in an untrusted workspace, on a fake engine that records and refuses every
 * request: the runners start VS Code trusted, so the Restricted Mode refusal is tested here.
 */
export function untrustedController(
  logName: string,
  notify: Partial<RunNotifier> = {},
): { controller: EngineRunController; requests: unknown[]; dispose(): void } {
  const requests: unknown[] = [];
  const engine: EngineConnection = {
    request: async (body) => {
      requests.push(body);
      throw new Error('the engine must not be asked');
    },
    onEvent: () => ({ dispose() {} }),
    pid: undefined,
    dispose() {},
  };
  const state = new Map<string, unknown>();
  const memento = {
    keys: () => [...state.keys()],
    get: <T>(key: string) => state.get(key) as T | undefined,
    update: async (key: string, value: unknown) => void state.set(key, value),
  } as vscode.Memento;
  const log = vscode.window.createOutputChannel(logName, { log: true });
  const notifier: RunNotifier = { refusedUntrusted() {}, failed() {}, completed() {}, cancelled() {}, ...notify };
  const controller = new EngineRunController({
    engine,
    log,
    state: memento,
    notify: notifier,
    isTrusted: () => false,
    settings: () => ({ engine: {}, runsFolder: '.misas/runs' }),
  });
  return {
    controller,
    requests,
    dispose() {
      controller.dispose();
      log.dispose();
    },
  };
}

/** The outcome of the next run of `experimentFile` to finish (listening starts now, before the run is started). */
export function nextFinish(
  runs: MisasApi['runs'],
  experimentFile: string,
): Promise<Parameters<Parameters<MisasApi['runs']['onDidFinish']>[0]>[0]> {
  return new Promise((resolve) => {
    const subscription = runs.onDidFinish((outcome) => {
      if (outcome.experimentFile.fsPath !== experimentFile) return;
      subscription.dispose();
      resolve(outcome);
    });
  });
}

/**
 * Holds the next run still from its first rows: when they reach the extension, the engine
 * process is stopped (SIGSTOP), so a test can look at a running run however slowly the machine
 * goes — no race with the clock. `heldPid()` is the stopped process once that happened;
 * `release()` lets it go on (SIGCONT) and stops watching; it may be called more than once.
 */
export function holdEngineAtFirstRows(runs: MisasApi['runs']): { heldPid(): number | undefined; release(): void } {
  const withPid = runs as typeof runs & { readonly enginePid: number | undefined };
  let held: number | undefined;
  const watch = withPid.onDidProduceRows(() => {
    if (held !== undefined || withPid.enginePid === undefined) return;
    held = withPid.enginePid;
    process.kill(held, 'SIGSTOP');
  });
  return {
    heldPid: () => held,
    release() {
      watch.dispose();
      if (held === undefined) return;
      try {
        process.kill(held, 'SIGCONT');
      } catch {
        // the engine process is gone: nothing to release
      }
    },
  };
}
