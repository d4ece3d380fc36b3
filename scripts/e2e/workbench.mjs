// A real workbench for scripts that act as a person would (scripts/test-menus.mjs): code-server's
// VS Code server on a free port with fresh server/user/extension folders, Debian's Chromium
// (playwright-core) on it, the extension under test loaded from `extensionPath` (no test suite in
// the extension host), and small helpers that wait for states, never for fixed times.
import { spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { setTimeout as delay } from 'node:timers/promises';
import { URLSearchParams } from 'node:url';
import { chromium } from 'playwright-core';
import { chromiumBinary, codeServerMain, node24Binary, repoRoot } from './paths.mjs';
import { answersHttp, findFreePort } from './run-server.mjs';

/** Checks that the server, the browser and the built extension are there; throws saying how to get them. */
export function checkPrerequisites(extensionPath) {
  for (const [what, file] of [['Node 24', node24Binary], ['code-server', codeServerMain], ['Chromium', chromiumBinary], ['dist/extension.cjs', path.join(extensionPath, 'dist', 'extension.cjs')]]) {
    if (!fs.existsSync(file)) throw new Error(`${what} not found at ${file} (npm run build; .ci/install-e2e.sh)`);
  }
}

/** User settings and keybindings live on the server: <user-data-dir>/User/. */
export function prepareUserData(scratch, settings = {}, keybindings = []) {
  const userData = path.join(scratch, 'user-data');
  fs.mkdirSync(path.join(userData, 'User'), { recursive: true });
  const defaults = {
    'workbench.startupEditor': 'none',
    'workbench.secondarySideBar.defaultVisibility': 'hidden',
    'workbench.tips.enabled': false,
    'extensions.ignoreRecommendations': true,
    'chat.disableAIFeatures': true,
    // Dialogs as HTML in the page, so that a test can click their buttons.
    'window.dialogStyle': 'custom',
  };
  fs.writeFileSync(path.join(userData, 'User', 'settings.json'), JSON.stringify({ ...defaults, ...settings }, null, 2));
  fs.writeFileSync(path.join(userData, 'User', 'keybindings.json'), JSON.stringify(keybindings, null, 2));
  return userData;
}

/** Starts the VS Code server in its own process group (stopping it stops its extension host too). */
export async function startServer({ scratch, userData, verbose }) {
  const port = await findFreePort();
  const args = [
    codeServerMain, '--host', '127.0.0.1', '--port', String(port),
    // The smoke-test driver flag makes a built workbench honour the URL's extensionDevelopmentPath.
    '--without-connection-token', '--enable-smoke-test-driver', '--disable-workspace-trust', '--accept-server-license-terms', '--disable-telemetry',
    '--server-data-dir', path.join(scratch, 'server-data'), '--user-data-dir', userData, '--extensions-dir', path.join(scratch, 'extensions'),
  ];
  const child = spawn(node24Binary, args, { cwd: repoRoot, detached: true, stdio: ['ignore', 'pipe', 'pipe'] });
  const output = [];
  const keep = (chunk) => {
    output.push(chunk.toString());
    if (verbose) process.stdout.write(`[server] ${chunk}`);
  };
  child.stdout.on('data', keep);
  child.stderr.on('data', keep);
  const exited = new Promise((resolve) => child.on('exit', (code, signal) => resolve(code ?? signal)));
  const server = {
    port,
    output: () => output.join(''),
    async stop() {
      if (child.exitCode !== null || child.signalCode !== null) return;
      try { process.kill(-child.pid, 'SIGTERM'); } catch { /* already gone */ }
      const gone = await Promise.race([exited.then(() => true), delay(5000).then(() => false)]);
      if (!gone) try { process.kill(-child.pid, 'SIGKILL'); } catch { /* already gone */ }
    },
  };
  const deadline = Date.now() + 60_000;
  while (Date.now() < deadline && child.exitCode === null) {
    if (await answersHttp(`http://127.0.0.1:${port}/version`)) return server;
    await delay(250);
  }
  await server.stop();
  throw new Error(`the VS Code server did not start on port ${port}:\n${output.join('')}`);
}

export function workbenchUrl(port, workspace, extensionPath) {
  const remote = (file) => `vscode-remote://127.0.0.1:${port}${file.split(path.sep).join('/')}`;
  const payload = [['extensionDevelopmentPath', remote(extensionPath)], ['skipWelcome', 'true'], ['skipReleaseNotes', 'true']];
  return `http://127.0.0.1:${port}/?${new URLSearchParams({ folder: workspace, payload: JSON.stringify(payload) })}`;
}

export async function launchBrowser() {
  return chromium.launch({ executablePath: chromiumBinary, headless: true, args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--no-first-run'] });
}

/** Polls `probe` (errors count as "not yet") until it returns something truthy. */
export async function waitUntil(what, probe, timeoutMs = 20_000) {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe().catch(() => undefined);
    if (value) return value;
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs / 1000} s waiting for ${what}`);
    await delay(200);
  }
}

/** The texts of the notifications on screen (toasts) and in the notification center, for failure reports. */
export async function notificationTexts(page) {
  return page.locator('.notification-list-item-message').allTextContents().catch(() => []);
}
