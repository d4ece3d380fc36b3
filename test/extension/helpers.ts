/** Small helpers shared by the suites that run inside the extension host. */
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import type { MisasApi } from '../../src/extension/extension';

/** Polls `probe` every 100 ms until it returns something other than undefined, or times out. */
export async function waitFor<T>(probe: () => Promise<T | undefined> | T | undefined, timeoutMs: number, what: string): Promise<T> {
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

export function workspaceFolder(): vscode.Uri {
  const folder = vscode.workspace.workspaceFolders?.[0];
  assert.ok(folder, 'the suite needs a workspace folder');
  return folder.uri;
}
