// The Fit Check panel in the real workbench, driven like a user would: code-server's VS Code
// server + headless Chromium (playwright-core), as scripts/test-panel-ui.mjs does for the
// results panel. A keybinding runs "Fit Check…" on a workspace holding one model (the example
// network wrapped to take transposed raw slices, no card) and the example's five slices with
// their label maps; Enter accepts the two quick picks (images next to the model, their label
// maps); the panel's table must rank transposed · none first; the "Write to model card" button,
// reached with the keyboard, must write the card and the panel must say so.
//
//   npm run build && node scripts/test-fit-ui.mjs
//
// Environment: MISAS_E2E_CACHE / MISAS_E2E_CHROMIUM (as for test-extension), MISAS_E2E_VERBOSE.
// Exit code 0 only if it passed.
import * as assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { setTimeout as delay } from 'node:timers/promises';
import { URLSearchParams } from 'node:url';
import { chromium } from 'playwright-core';
import { chromiumBinary, codeServerMain, node24Binary, repoRoot } from './e2e/paths.mjs';
import { answersHttp, findFreePort } from './e2e/run-server.mjs';

const verbose = Boolean(process.env.MISAS_E2E_VERBOSE);
const FIT_KEY = { key: 'ctrl+alt+shift+f9', press: 'Control+Alt+Shift+F9' };
const TOTAL_TIMEOUT_MS = 420_000;
const SLICES = ['z045', 'z065', 'z075', 'z085', 'z115'];

function makeWorkspace(scratch) {
  const workspace = path.join(scratch, 'workspace');
  fs.mkdirSync(workspace, { recursive: true });
  fs.copyFileSync(path.join(repoRoot, 'test', 'data', 'models', 'colin27_transposed_raw.onnx'), path.join(workspace, 'unet.onnx'));
  for (const id of SLICES) {
    for (const kind of ['image', 'label']) {
      const name = `colin27_${id}_${kind}.nii.gz`;
      fs.copyFileSync(path.join(repoRoot, 'examples', 'colin27', 'data', name), path.join(workspace, name));
    }
  }
  return workspace;
}

function prepareUserData(scratch) {
  const userData = path.join(scratch, 'user-data');
  fs.mkdirSync(path.join(userData, 'User'), { recursive: true });
  fs.writeFileSync(path.join(userData, 'User', 'settings.json'), JSON.stringify({
    'workbench.startupEditor': 'none', 'workbench.tips.enabled': false, 'extensions.ignoreRecommendations': true,
    'chat.disableAIFeatures': true, 'window.dialogStyle': 'custom', 'workbench.secondarySideBar.defaultVisibility': 'hidden',
  }));
  fs.writeFileSync(path.join(userData, 'User', 'keybindings.json'), JSON.stringify([{ key: FIT_KEY.key, command: 'misas.fitCheck' }]));
  return userData;
}

function startServer(port, scratch, userData) {
  const args = [
    codeServerMain, '--host', '127.0.0.1', '--port', String(port),
    '--without-connection-token', '--enable-smoke-test-driver', '--disable-workspace-trust', '--accept-server-license-terms', '--disable-telemetry',
    '--server-data-dir', path.join(scratch, 'server-data'), '--user-data-dir', userData, '--extensions-dir', path.join(scratch, 'extensions'),
  ];
  // Own process group: stopping it also stops the extension host and the engine process.
  const child = spawn(node24Binary, args, { cwd: repoRoot, detached: true, stdio: ['ignore', 'pipe', 'pipe'] });
  const output = [];
  const keep = (chunk) => {
    output.push(chunk.toString());
    if (verbose) process.stdout.write(`[server] ${chunk}`);
  };
  child.stdout.on('data', keep);
  child.stderr.on('data', keep);
  const exited = new Promise((resolve) => child.on('exit', (code, signal) => resolve(code ?? signal)));
  return {
    output: () => output.join(''),
    async ready() {
      const deadline = Date.now() + 60_000;
      while (Date.now() < deadline && child.exitCode === null) {
        if (await answersHttp(`http://127.0.0.1:${port}/version`)) return;
        await delay(250);
      }
      throw new Error(`the VS Code server did not start on port ${port}:\n${output.join('')}`);
    },
    async stop() {
      if (child.exitCode !== null || child.signalCode !== null) return;
      try { process.kill(-child.pid, 'SIGTERM'); } catch { /* already gone */ }
      const gone = await Promise.race([exited.then(() => true), delay(5000).then(() => false)]);
      if (!gone) try { process.kill(-child.pid, 'SIGKILL'); } catch { /* already gone */ }
    },
  };
}

function workbenchUrl(port, workspace) {
  const remote = (file) => `vscode-remote://127.0.0.1:${port}${file.split(path.sep).join('/')}`;
  const payload = [['extensionDevelopmentPath', remote(repoRoot)], ['skipWelcome', 'true'], ['skipReleaseNotes', 'true']];
  return `http://127.0.0.1:${port}/?${new URLSearchParams({ folder: workspace, payload: JSON.stringify(payload) })}`;
}

async function waitUntil(what, probe, timeoutMs = 30_000) {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe().catch(() => undefined);
    if (value) return value;
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs / 1000} s waiting for ${what}`);
    await delay(200);
  }
}

/** The open quick input's title, once it shows one containing `text`. */
async function quickInputTitled(page, text, timeoutMs = 60_000) {
  return waitUntil(`the quick pick "${text}"`, async () => {
    const title = await page.locator('.quick-input-widget .quick-input-title').innerText({ timeout: 1000 });
    return title.includes(text) ? title : undefined;
  }, timeoutMs);
}

async function main() {
  for (const [what, file] of [['Node 24', node24Binary], ['code-server', codeServerMain], ['Chromium', chromiumBinary], ['dist/fit.js', path.join(repoRoot, 'dist', 'fit.js')]]) {
    if (!fs.existsSync(file)) throw new Error(`${what} not found at ${file} (npm run build; .ci/install-e2e.sh)`);
  }
  const started = Date.now();
  const scratch = fs.mkdtempSync(path.join(os.tmpdir(), 'misas-fit-ui-'));
  const workspace = makeWorkspace(scratch);
  const userData = prepareUserData(scratch);
  const port = await findFreePort();
  const server = startServer(port, scratch, userData);
  stopServer = () => server.stop();
  let browser;
  let passed = false;
  try {
    await server.ready();
    browser = await chromium.launch({ executablePath: chromiumBinary, headless: true, args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--no-first-run'] });
    const page = await browser.newPage({ viewport: { width: 1400, height: 950 } });
    await page.goto(workbenchUrl(port, workspace), { timeout: 120_000 });
    await page.waitForSelector('.monaco-workbench', { timeout: 120_000 });

    // The keybinding, pressed on the workbench until the extension has activated and the first pick opens.
    await waitUntil('Fit Check\'s image pick', async () => {
      await page.keyboard.press('Escape');
      await page.locator('.part.sidebar').click({ position: { x: 120, y: 500 } });
      await page.keyboard.press(FIT_KEY.press);
      return quickInputTitled(page, 'Fit Check (1/2)', 5000).catch(() => undefined);
    }, 180_000);
    // Enter in the pick's input (again, should a second press of the keybinding have reopened the pick).
    const enterUntil = (what, done) => waitUntil(what, async () => {
      await page.locator('.quick-input-widget input').first().press('Enter', { timeout: 2000 }).catch(() => {});
      return done();
    }, 60_000);
    // The five slices next to the model are ticked; then their label maps, matched by name.
    await enterUntil('the label-map pick', () => quickInputTitled(page, 'Fit Check (2/2)', 3000).catch(() => undefined));
    await enterUntil('the label-map pick to close', async () => !(await page.locator('.quick-input-widget').isVisible()));

    const frame = await waitUntil('the fit panel\'s table', async () => {
      for (const candidate of page.frames()) {
        if (candidate !== page.mainFrame() && (await candidate.$('table tbody tr.winner').catch(() => null))) return candidate;
      }
      return undefined;
    }, 120_000);
    const winner = await frame.locator('tbody tr.winner').innerText();
    assert.match(winner.replace(/\s+/g, ' '), /^1 transposed none logits 0\.7\d\d /, `winner row: ${winner}`);
    assert.equal(await frame.locator('tbody tr').count(), 40);
    assert.match(await frame.locator('.notes').innerText(), /near tie: rotated-90 · none · logits/);

    // The button with the keyboard: focus it, Enter.
    await frame.focus('#write-card');
    await page.keyboard.press('Enter');
    const status = await waitUntil('the panel to say the card was written', async () => {
      const text = await frame.locator('.status.done').innerText({ timeout: 1000 });
      return text || undefined;
    });
    assert.match(status, /^Written to unet\.onnx\.misas\.json: orientation "transposed", normalization \{"kind":"none"\}/);
    assert.equal(await frame.locator('#open-card').isVisible(), true, 'the panel offers to open the card');
    const card = JSON.parse(fs.readFileSync(path.join(workspace, 'unet.onnx.misas.json'), 'utf8'));
    assert.equal(card.orientation, 'transposed');
    assert.deepEqual(card.normalization, { kind: 'none' });
    passed = true;
  } catch (error) {
    const shot = path.join(os.tmpdir(), 'misas-fit-ui-failure.png');
    await browser?.contexts()[0]?.pages()[0]?.screenshot({ path: shot }).catch(() => {});
    console.log(`  screenshot: ${shot}`);
    console.log(`  ✘ ${String(error?.stack ?? error).split('\n').slice(0, 8).join('\n    ')}`);
    if (!verbose) console.log(server.output().split('\n').slice(-30).join('\n'));
  } finally {
    await browser?.close().catch(() => {});
    await server.stop();
    fs.rmSync(scratch, { recursive: true, force: true });
  }
  console.log(`test-fit-ui: ${passed ? 'passed' : 'FAILED'} in ${((Date.now() - started) / 1000).toFixed(1)} s`);
  return passed ? 0 : 1;
}

/** Set once the server runs: a timeout must not leave it behind. */
let stopServer = async () => {};
const timeout = delay(TOTAL_TIMEOUT_MS, undefined, { ref: false }).then(async () => {
  console.error(`test-fit-ui: did not finish within ${TOTAL_TIMEOUT_MS / 1000} s`);
  await stopServer();
  return 1;
});
Promise.race([main(), timeout]).then(
  (code) => process.exit(code),
  (error) => {
    console.error(`test-fit-ui: ${error?.stack ?? error}`);
    process.exit(1);
  },
);
