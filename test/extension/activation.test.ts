import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { summarizeTransforms } from '../../src/engine/transforms/summary';
import { activateMisas, waitFor } from './helpers';

// Activation is idempotent; every test that needs the extension running calls activateMisas itself.
describe('misas extension in VS Code', () => {
  it('is loaded from the development path and activates', async () => {
    const { extension } = await activateMisas();
    assert.equal(extension.isActive, true);
    assert.equal(extension.packageJSON.main, './dist/extension.cjs');
  });

  it('runs in a Node extension host (onnxruntime-node needs one)', async () => {
    await activateMisas();
    // The suite runs in the host that loaded the extension; a web-worker host has no Node
    // process (and would not load an extension without a `browser` entry at all).
    assert.equal(process.release.name, 'node');
    assert.equal(typeof process.versions.node, 'string');
    assert.equal(typeof process.versions.modules, 'string', 'native modules need a Node ABI');
  });

  it('opens the test workspace folder', async () => {
    const folders = vscode.workspace.workspaceFolders ?? [];
    assert.equal(folders.length, 1, 'expected exactly one workspace folder');
    assert.equal(folders[0].name, 'workspace');
    const readme = await vscode.workspace.fs.readFile(vscode.Uri.joinPath(folders[0].uri, 'README.md'));
    assert.match(new TextDecoder().decode(readme), /misas extension test workspace/);
  });

  it('registers misas.showTransforms', async () => {
    await activateMisas();
    const commands = await vscode.commands.getCommands(true);
    assert.ok(commands.includes('misas.showTransforms'), 'misas.showTransforms is not registered');
  });

  it('executes misas.showTransforms without throwing', async () => {
    await activateMisas();
    await vscode.commands.executeCommand('misas.showTransforms');
  });

  it('misas.showTransforms lists every registered transform in the misas output channel', async () => {
    await activateMisas();
    await vscode.commands.executeCommand('misas.showTransforms');
    const expected = summarizeTransforms().map((t) => `${t.name} (${t.kind}):`);
    assert.ok(expected.length > 0);
    // The shown channel appears as an `output:` document; log channels fill it asynchronously.
    const text = await waitFor(
      () => {
        const channel = vscode.workspace.textDocuments.find(
          (d) => d.uri.scheme === 'output' && /misas/.test(d.uri.path),
        );
        const content = channel?.getText() ?? '';
        return expected.every((line) => content.includes(line)) ? content : undefined;
      },
      60_000,
      'the misas output channel',
    ).catch(() => undefined); // a busy machine fills the channel late; the wait ends as soon as it is filled
    const seen = vscode.workspace.textDocuments.map((d) => d.uri.toString()).join(', ');
    assert.ok(text, `the misas output channel did not list all of ${expected.join(' ')} (open documents: ${seen})`);
  });
});
