// The Fit Check panel in the real workbench, driven like a user would: code-server's VS Code
// server + headless Chromium (scripts/e2e/workbench.mjs), as scripts/test-panel-ui.mjs does for
// the results panel. "misas: Fit Check…" from the command palette on a workspace holding one
// model (the example network wrapped to take transposed raw slices, no card) and the example's
// five slices with their label maps; Enter accepts the two quick picks (the images next to the
// model ticked, then their label maps); the panel's table must rank transposed · none first; the
// "Write to model card" button, reached with the keyboard, must write the card and the panel
// must say so. Every step waits for a state of the page (a quick input's title, its ticked rows,
// a frame holding the table), and each key is pressed once, when that state is there.
//
//   npm run build && node scripts/test-fit-ui.mjs
//
// Environment: MISAS_E2E_CACHE / MISAS_E2E_CHROMIUM (as for test-extension), MISAS_E2E_VERBOSE.
// Exit code 0 only if it passed.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { repoRoot } from './e2e/paths.mjs';
import {
  checkPrerequisites,
  frameWith,
  launchBrowser,
  prepareUserData,
  quickInput,
  quickPickTitled,
  runFromPalette,
  runScript,
  startServer,
  tickedRows,
  waitUntil,
  workbenchUrl,
} from './e2e/workbench.mjs';

const verbose = Boolean(process.env.MISAS_E2E_VERBOSE);
const TOTAL_TIMEOUT_MS = 420_000;
const SLICES = ['z045', 'z065', 'z075', 'z085', 'z115'];
const IMAGES = SLICES.map((id) => `colin27_${id}_image.nii.gz`);

function makeWorkspace(scratch) {
  const workspace = path.join(scratch, 'workspace');
  fs.mkdirSync(workspace, { recursive: true });
  fs.copyFileSync(
    path.join(repoRoot, 'test', 'data', 'models', 'colin27_transposed_raw.onnx'),
    path.join(workspace, 'unet.onnx'),
  );
  for (const id of SLICES) {
    for (const kind of ['image', 'label']) {
      const name = `colin27_${id}_${kind}.nii.gz`;
      fs.copyFileSync(path.join(repoRoot, 'examples', 'colin27', 'data', name), path.join(workspace, name));
    }
  }
  return workspace;
}

/** Enter on the multi-select pick titled `title` once all five images are ticked in it. */
async function acceptFivePicked(page, title, timeoutMs) {
  await quickPickTitled(page, title, timeoutMs);
  await waitUntil(
    `the five images ticked in "${title}"`,
    async () => (await tickedRows(page)).length === IMAGES.length,
    10_000,
  );
  assert.deepEqual(await tickedRows(page), IMAGES, title);
  await page.keyboard.press('Enter');
}

async function main({ onTimeout }) {
  checkPrerequisites(repoRoot, ['fit.js']);
  const started = Date.now();
  const scratch = fs.mkdtempSync(path.join(os.tmpdir(), 'misas-fit-ui-'));
  const workspace = makeWorkspace(scratch);
  const userData = prepareUserData(scratch);
  let server;
  let browser;
  let passed = false;
  try {
    server = await startServer({ scratch, userData, verbose });
    onTimeout(() => server.stop());
    browser = await launchBrowser();
    const page = await browser.newPage({ viewport: { width: 1400, height: 950 } });
    // Generous: on a busy machine the first load of the workbench's scripts takes a while.
    await page.goto(workbenchUrl(server.port, workspace, repoRoot), { timeout: 120_000 });
    await page.waitForSelector('.monaco-workbench', { timeout: 120_000 });
    // The misas icon in the activity bar: the extension's contributions (its commands) are registered.
    await waitUntil(
      'the misas view container',
      async () => (await page.locator('.activitybar .action-label[aria-label*="misas" i]').count()) > 0,
      60_000,
    );

    // One invocation: the first pick may take long (the command activates the extension).
    await runFromPalette(page, 'Fit Check');
    await acceptFivePicked(page, 'Fit Check (1/2): images', 180_000);
    // Their label maps, matched by name (the rows are the images).
    await acceptFivePicked(page, 'Fit Check (2/2): label maps', 30_000);
    await waitUntil('the label-map pick to close', async () => !(await quickInput(page).isVisible()), 10_000);

    const frame = await waitUntil("the fit panel's table", () => frameWith(page, 'table tbody tr.winner'), 240_000);
    const winner = await frame.locator('tbody tr.winner').innerText();
    assert.match(winner.replace(/\s+/g, ' '), /^1 transposed none logits 0\.7\d\d /, `winner row: ${winner}`);
    assert.equal(await frame.locator('tbody tr').count(), 40);
    assert.match(await frame.locator('.notes').innerText(), /near tie: rotated-90 · none · logits/);

    // The button with the keyboard: focus it, Enter.
    await frame.focus('#write-card');
    await page.keyboard.press('Enter');
    const status = await waitUntil(
      'the panel to say the card was written',
      async () => {
        const text = await frame.locator('.status.done').innerText({ timeout: 1000 });
        return text || undefined;
      },
      30_000,
    );
    assert.match(
      status,
      /^Written to unet\.onnx\.misas\.json: orientation "transposed", normalization \{"kind":"none"\}/,
    );
    assert.equal(await frame.locator('#open-card').isVisible(), true, 'the panel offers to open the card');
    const card = JSON.parse(fs.readFileSync(path.join(workspace, 'unet.onnx.misas.json'), 'utf8'));
    assert.equal(card.orientation, 'transposed');
    assert.deepEqual(card.normalization, { kind: 'none' });
    passed = true;
  } catch (error) {
    const shot = path.join(os.tmpdir(), 'misas-fit-ui-failure.png');
    await browser
      ?.contexts()[0]
      ?.pages()[0]
      ?.screenshot({ path: shot })
      .catch(() => {});
    console.log(`  screenshot: ${shot}`);
    console.log(
      `  ✘ ${String(error?.stack ?? error)
        .split('\n')
        .slice(0, 8)
        .join('\n    ')}`,
    );
    if (server && !verbose) console.log(server.output().split('\n').slice(-30).join('\n'));
  } finally {
    await browser?.close().catch(() => {});
    await server?.stop();
    fs.rmSync(scratch, { recursive: true, force: true });
  }
  console.log(`test-fit-ui: ${passed ? 'passed' : 'FAILED'} in ${((Date.now() - started) / 1000).toFixed(1)} s`);
  return passed ? 0 : 1;
}

runScript('test-fit-ui', TOTAL_TIMEOUT_MS, main);
