// The results panel in the real workbench, driven like a user would: code-server's VS Code
// server + headless Chromium (scripts/e2e/workbench.mjs), without a test suite in the extension
// host. The test opens a workspace holding the committed fixture
// runs, presses a keybinding (written into the fresh user data) that runs
// `misas.internal.openResultsPanel` on a run, then looks inside the webview (iframe.webview →
// #active-frame) and checks what is drawn against numbers computed here from results.json:
// lines per class and their points, the overlay viewer (a real frame from the engine, and
// another after moving the slider), the thumbnail strip (one per value, drawn), the confusion
// matrix (classes × classes counts summing to the frame's pixels), the animated GIF export
// through VS Code's save dialog (decoded by Chromium's ImageDecoder), legend toggling, the compare
// picker (VS Code quick pick), CSV export through VS Code's save dialog (rows checked on disk),
// the panel coming back after a window reload (WebviewPanelSerializer), and screenshots in Dark
// Modern and Light Modern (the whole window, and the rotate viewer).
//
//   npm run build && node scripts/test-panel-ui.mjs
//
// Environment: MISAS_PANEL_UI_EXTENSION (extension folder to load, default the repository),
// MISAS_PANEL_SCREENSHOTS (default <tmp>/misas-panel-screenshots), MISAS_E2E_CACHE /
// MISAS_E2E_CHROMIUM (as for test-extension), MISAS_E2E_VERBOSE. Exit code 0 only if all passed.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { setTimeout as delay } from 'node:timers/promises';
import { decode } from 'fast-png';
import { repoRoot } from './e2e/paths.mjs';
import {
  checkPrerequisites,
  frameWith,
  launchBrowser,
  prepareUserData as prepareWorkbenchUserData,
  quickPickTitled,
  runScript,
  startServer,
  waitUntil,
  workbenchUrl,
} from './e2e/workbench.mjs';
import { DEFAULT_RUNS_FOLDER, RESULTS_FILE } from './e2e/runFolder.mjs';

const extensionPath = path.resolve(process.env.MISAS_PANEL_UI_EXTENSION || repoRoot);
const screenshotDir = process.env.MISAS_PANEL_SCREENSHOTS || path.join(os.tmpdir(), 'misas-panel-screenshots');
const verbose = Boolean(process.env.MISAS_E2E_VERBOSE);
const fixtures = path.join(repoRoot, 'test', 'report', 'fixtures');
/** Keybindings written into the fresh user data: the test presses keys, as a user would. */
const KEYS = {
  openPanel: { key: 'ctrl+alt+shift+f12', press: 'Control+Alt+Shift+F12' },
  reloadWindow: { key: 'ctrl+alt+shift+f11', press: 'Control+Alt+Shift+F11' },
  toggleLightDark: { key: 'ctrl+alt+shift+f8', press: 'Control+Alt+Shift+F8' },
};
const THEMES = { dark: 'Default Dark Modern', light: 'Default Light Modern' };
/** Class colours of webview-ui/styles.css (light and dark variants of the Okabe–Ito blue, class slot 0 = cortex). */
const CORTEX = { light: '#0072b2', dark: '#4aa8e8' };
const TOTAL_TIMEOUT_MS = 240_000;

// ---------------------------------------------------------------- expected numbers from the fixture

/** Points of a class's main line: values where every input has a finite score (mean over inputs). */
function expectedPoints(results, seriesIndex, metric, className) {
  const rows = results.series[seriesIndex].rows;
  const inputs = new Set(rows.map((r) => r.input)).size;
  let count = 0;
  for (const value of new Set(rows.map((r) => r.value))) {
    const at = rows.filter((r) => r.value === value);
    if (at.length !== inputs) continue;
    const scores = at.map((r) => r.metrics[metric]?.[className] ?? null).filter((v) => v !== null);
    if (scores.length > 0 && scores.every((v) => typeof v === 'number' && Number.isFinite(v))) count++;
  }
  return count;
}

function pathPoints(d) {
  return (d.match(/[ML]/g) ?? []).length;
}

/** Pixels within a small distance of a colour: proves that theme's class colours were drawn. */
function pixelsNear(png, hex) {
  const image = decode(png);
  const [r, g, b] = [1, 3, 5].map((i) => parseInt(hex.slice(i, i + 2), 16));
  let count = 0;
  for (let i = 0; i < image.data.length; i += image.channels) {
    if (Math.abs(image.data[i] - r) + Math.abs(image.data[i + 1] - g) + Math.abs(image.data[i + 2] - b) < 30) count++;
  }
  return count;
}

/** Distinct colours (coarsely binned): a blank or half-rendered page has very few. */
function distinctColours(png) {
  const image = decode(png);
  const seen = new Set();
  for (let i = 0; i < image.data.length; i += image.channels)
    seen.add(((image.data[i] >> 3) << 10) | ((image.data[i + 1] >> 3) << 5) | (image.data[i + 2] >> 3));
  return seen.size;
}

// ---------------------------------------------------------------- workspace and user data

function timestampFolder(iso) {
  return iso.replace(/:/g, '-').replace('.', '-');
}

/** A workspace as the extension sees one after two runs of the fixture experiment. */
function makeWorkspace(scratch) {
  const workspace = path.join(scratch, 'workspace');
  fs.mkdirSync(workspace, { recursive: true });
  fs.copyFileSync(path.join(fixtures, 'report-fixture.misas.json'), path.join(workspace, 'report-fixture.misas.json'));
  // The model and images of the fixture experiment, so that the overlay viewer gets real frames.
  const example = path.join(repoRoot, 'examples', 'colin27');
  fs.mkdirSync(path.join(workspace, 'data'), { recursive: true });
  for (const file of [
    'model.onnx',
    'model.onnx.misas.json',
    ...['z065', 'z075'].flatMap((z) => [`data/colin27_${z}_image.nii.gz`, `data/colin27_${z}_label.nii.gz`]),
  ]) {
    fs.copyFileSync(path.join(example, file), path.join(workspace, file));
  }
  const runs = {};
  for (const name of ['two-inputs', 'one-input']) {
    const text = fs.readFileSync(path.join(fixtures, name, RESULTS_FILE), 'utf8');
    const results = JSON.parse(text);
    const runDir = path.join(
      workspace,
      DEFAULT_RUNS_FOLDER,
      'report-fixture',
      timestampFolder(results.timing.startedAt),
    );
    fs.mkdirSync(runDir, { recursive: true });
    fs.writeFileSync(path.join(runDir, RESULTS_FILE), text);
    runs[name] = { runDir, results };
  }
  return { workspace, runs };
}

/** Fresh user data: Dark Modern with Light Modern as the other theme, and the keybindings the test presses. */
function prepareUserData(scratch, runDir) {
  const settings = {
    'workbench.colorTheme': THEMES.dark,
    'workbench.preferredDarkColorTheme': THEMES.dark,
    'workbench.preferredLightColorTheme': THEMES.light,
  };
  const keybindings = [
    { key: KEYS.openPanel.key, command: 'misas.internal.openResultsPanel', args: runDir },
    { key: KEYS.reloadWindow.key, command: 'workbench.action.reloadWindow' },
    // Switches between workbench.preferred{Dark,Light}ColorTheme (the two Modern themes).
    { key: KEYS.toggleLightDark.key, command: 'workbench.action.toggleLightDarkThemes' },
  ];
  return prepareWorkbenchUserData(scratch, settings, keybindings);
}

// ---------------------------------------------------------------- the workbench and the panel

/** The frame holding the results page: webviews nest iframe.webview → #active-frame. */
async function resultsFrame(page, selector = 'main.results', timeoutMs = 30_000) {
  return waitUntil(`the results panel's page (${selector})`, () => frameWith(page, selector), timeoutMs);
}

/** Focus on the workbench (an empty spot of the side bar), not a webview, then the keys. */
async function pressInWorkbench(page, keys) {
  await page.locator('.part.sidebar').click({ position: { x: 120, y: 500 } });
  await page.keyboard.press(keys);
}

/** Presses the keybinding until the extension (activating on *.misas.json) has the command and the panel shows. */
async function openPanelByKeybinding(page) {
  return waitUntil(
    'the keybinding to open the results panel',
    async () => {
      await pressInWorkbench(page, KEYS.openPanel.press);
      return page.waitForSelector('iframe.webview', { timeout: 4000 }).then(
        () => true,
        () => false,
      );
    },
    60_000,
  );
}

function mainPaths(frame, series, run = 0) {
  return frame.locator(`.card[data-series="${series}"] path.line.main[data-run="${run}"]`);
}

async function classesDrawn(frame, series) {
  return mainPaths(frame, series).evaluateAll((paths) => paths.map((p) => p.getAttribute('data-class')).sort());
}

async function checkLines(frame, results, metric, shown) {
  for (let s = 0; s < results.series.length; s++) {
    const name = results.series[s].name;
    assert.deepEqual(await classesDrawn(frame, name), [...shown].sort(), `${name}: one main line per shown class`);
    for (const className of shown) {
      const d =
        (await mainPaths(frame, name)
          .and(frame.locator(`[data-class="${className}"]`))
          .getAttribute('d')) ?? '';
      assert.equal(
        pathPoints(d),
        expectedPoints(results, s, metric, className),
        `${name} ${className}: points in the path`,
      );
    }
  }
}

async function screenshot(page, name, theme) {
  const file = path.join(screenshotDir, `${name}.png`);
  const png = await page.screenshot({ path: file });
  const colours = distinctColours(png);
  const cortex = pixelsNear(png, CORTEX[theme]);
  assert.ok(colours > 40, `${file}: ${colours} colours, looks blank`);
  assert.ok(cortex > 300, `${file}: ${cortex} pixels of the ${theme} cortex colour ${CORTEX[theme]}`);
  console.log(`  screenshot ${file} (${colours} colours, ${cortex} cortex pixels)`);
}

// ---------------------------------------------------------------- the checks

const steps = [];
function step(name, run) {
  steps.push({ name, run });
}

step("opens the panel with the run's series and one line per shown class with the right points", async (t) => {
  await openPanelByKeybinding(t.page);
  const tab = t.page.locator('.tabs-container .tab.active');
  const started = new Date(t.primary.timing.startedAt);
  const two = (n) => String(n).padStart(2, '0');
  const stamp = `${started.getFullYear()}-${two(started.getMonth() + 1)}-${two(started.getDate())} ${two(started.getHours())}:${two(started.getMinutes())}:${two(started.getSeconds())}`;
  await waitUntil('the panel tab', async () =>
    (await tab.getAttribute('aria-label'))?.includes(`report-fixture — ${stamp}`),
  );
  t.frame = await resultsFrame(t.page, '.card svg.chart');
  assert.deepEqual(
    await t.frame.locator('.card').evaluateAll((cards) => cards.map((c) => c.getAttribute('data-series'))),
    t.primary.series.map((s) => s.name),
  );
  await checkLines(t.frame, t.primary, 'dice', t.primary.classes.slice(1));
  assert.equal(await t.frame.locator('.run-header h1').textContent(), 'report-fixture');
  assert.ok(
    await t.frame.evaluate(() => globalThis.document.body.classList.contains('vscode-dark')),
    'the page follows the dark theme',
  );
});

step(
  'puts the baseline banner on top: the example model fails cerebellum on slice z075 (Dice 0 where the truth has it)',
  async (t) => {
    const banner = t.frame.locator('.run-header > .baseline-checks');
    assert.equal(await banner.count(), 1, 'the banner is in the header');
    assert.equal(
      await t.frame.locator('.run-header > :nth-child(2)').evaluate((el) => el.classList.contains('baseline-checks')),
      true,
      'right under the title',
    );
    assert.equal(await banner.getAttribute('aria-labelledby'), 'baseline-checks-title');
    // The pooled check only (the per-input one it stands for is not repeated), with the mean of the two baselines.
    const dice = t.primary.inputs.map((_, input) => t.primary.inputs[input].baseline.metrics.dice.cerebellum);
    const mean = (dice[0] + dice[1]) / 2;
    assert.equal(Math.min(...dice), 0);
    const items = await banner.locator('li').allTextContents();
    assert.equal(items.length, 1, items.join(' | '));
    assert.ok(
      items[0].startsWith(
        `cerebellum (mean of 2 inputs with it in the truth) fails at baseline (Dice ${mean.toFixed(2)})`,
      ),
      items[0],
    );
    // Its sentences say so instead of an interval.
    const sentences = await t.frame.locator('.card[data-series="rotate"] .sentences li').allTextContents();
    assert.ok(
      sentences.some(
        (text) =>
          text === `cerebellum (mean of 2 inputs): fails at baseline (Dice ${mean.toFixed(2)}); no tolerance computed`,
      ),
      sentences.join(' | '),
    );
    // Themed: the border is the theme's warning colour, not a fixed one.
    const border = await banner.evaluate((el) => globalThis.getComputedStyle(el).borderLeftColor);
    const themeWarning = await t.frame.evaluate(() =>
      globalThis
        .getComputedStyle(globalThis.document.documentElement)
        .getPropertyValue('--vscode-inputValidation-warningBorder')
        .trim(),
    );
    assert.match(themeWarning, /^#[0-9a-f]{6}$/i, 'VS Code sets the warning border colour');
    const [r, g, b] = [1, 3, 5].map((i) => parseInt(themeWarning.slice(i, i + 2), 16));
    assert.equal(border, `rgb(${r}, ${g}, ${b})`, "the banner takes the theme's warning border");
    await banner.screenshot({ path: path.join(screenshotDir, 'baseline-banner-dark.png') });
    console.log(`  banner border ${border} (theme ${themeWarning})`);
  },
);

step('shows the overlay frame at the identity and another one when the slider moves', async (t) => {
  const viewer = t.frame.locator('.viewer[data-series="rotate"]');
  const frameShown = (value) =>
    waitUntil(
      `the rotate overlay at ${value}`,
      async () => (await viewer.getAttribute('data-frame')) === String(value),
      60_000,
    );
  await frameShown(0);
  const canvas = () => viewer.locator('canvas.prediction').evaluate((c) => c.toDataURL());
  assert.deepEqual(
    await viewer.locator('canvas.prediction').evaluate((c) => [c.width, c.height]),
    [181, 217],
    "the frame has the input's size",
  );
  const atIdentity = await canvas();
  await viewer.locator('.value-slider').focus();
  await t.page.keyboard.press('ArrowRight');
  await frameShown(15);
  assert.notEqual(await canvas(), atIdentity, 'the 15° frame differs from the identity');
  assert.equal(await viewer.locator('.viewer-status').textContent(), '', 'no error shown');
});

step('screenshot in Dark Modern', async (t) => {
  // The slider step scrolled the page down to the viewer: show the charts again.
  await t.frame.evaluate(() => globalThis.scrollTo(0, 0));
  await delay(300);
  await screenshot(t.page, 'panel-dark', 'dark');
});

step('shows a thumbnail per value, the confusion matrix of the frame, and saves the overlays as a GIF', async (t) => {
  const series = t.primary.series[0];
  const values = series.values[0];
  const viewer = t.frame.locator(`.viewer[data-series="${series.name}"]`);
  // Thumbnails: one per sweep value of the selected input, the selected one marked, some drawn.
  await viewer.locator('.thumbs').scrollIntoViewIfNeeded();
  assert.deepEqual(
    await viewer.locator('.thumb').evaluateAll((b) => b.map((x) => Number(x.getAttribute('data-value')))),
    values,
    'one thumbnail per value',
  );
  assert.equal(
    await viewer.locator('.thumb[aria-pressed="true"]').getAttribute('data-value'),
    '15',
    'the selected value (15° after the slider step) is marked',
  );
  await waitUntil(
    'a drawn thumbnail',
    async () => (await viewer.locator('.thumb[data-state="shown"]').count()) > 0,
    60_000,
  );
  // Non-blank: a drawn thumbnail has many grey levels (the brain), not one flat colour.
  const levels = await viewer.locator('.thumb[data-state="shown"] canvas').evaluateAll((canvases) =>
    canvases.map((c) => {
      const { data } = c.getContext('2d').getImageData(0, 0, c.width, c.height);
      const seen = new Set();
      for (let i = 0; i < data.length; i += 4) seen.add((data[i] << 16) | (data[i + 1] << 8) | data[i + 2]);
      return seen.size;
    }),
  );
  assert.ok(Math.max(...levels) > 20, `a thumbnail shows an image (${levels.join(', ')} colours)`);
  // Confusion matrix at 15°: classes × classes cells; all pixels of the 181×217 frame counted.
  const classes = t.primary.classes.length;
  const counts = await viewer
    .locator('.confusion-table td.cell')
    .evaluateAll((cells) => cells.map((c) => Number(c.getAttribute('data-count'))));
  assert.equal(counts.length, classes * classes, 'classes × classes cells');
  assert.equal(
    counts.reduce((a, b) => a + b, 0),
    181 * 217,
    "the counts add up to the frame's pixels",
  );
  assert.equal(await viewer.locator('.confusion-table').getAttribute('data-total'), String(181 * 217));
  assert.match(await viewer.locator('.confusion-table caption').textContent(), /at rotate = 15° — this image/);
  // Clicking a thumbnail selects its value.
  await viewer.locator(`.thumb[data-value="${values[0]}"]`).click();
  await waitUntil(
    `the overlay at ${values[0]}`,
    async () => (await viewer.getAttribute('data-frame')) === String(values[0]),
    60_000,
  );
  // GIF: every value's overlay, then VS Code's save dialog proposing the file.
  await viewer.locator('.gif-export').click();
  const input = t.page.locator('.quick-input-widget input.input');
  await input.waitFor({ state: 'visible', timeout: 90_000 });
  const name = 'report-fixture-rotate-input1-prediction.gif';
  const proposed = await waitUntil(
    'the proposed GIF name',
    async () => {
      const value = await input.inputValue();
      return value.endsWith(name) ? value : undefined;
    },
    10_000,
  );
  await input.press('Enter');
  await waitUntil(
    `${proposed} to be written`,
    async () => fs.existsSync(proposed) && fs.statSync(proposed).size > 0,
    15_000,
  );
  const bytes = fs.readFileSync(proposed);
  assert.equal(bytes.subarray(0, 6).toString('latin1'), 'GIF89a');
  // Chromium's own decoder (WebCodecs ImageDecoder) reads one frame per value, at twice the input's size.
  const decoded = await t.page.evaluate(async (base64) => {
    const data = Uint8Array.from(globalThis.atob(base64), (c) => c.charCodeAt(0));
    const decoder = new globalThis.ImageDecoder({ data, type: 'image/gif' });
    await decoder.tracks.ready;
    await decoder.completed;
    const { image } = await decoder.decode({ frameIndex: 0 });
    const size = [image.displayWidth, image.displayHeight];
    image.close();
    return { frames: decoder.tracks.selectedTrack.frameCount, size };
  }, bytes.toString('base64'));
  assert.equal(decoded.frames, values.length, 'one GIF frame per value');
  assert.equal(decoded.size[0], 181 * 2, 'the frames are the input enlarged twice');
  assert.ok(decoded.size[1] > 217 * 2, 'with a caption band above');
  fs.copyFileSync(proposed, path.join(screenshotDir, 'overlays.gif'));
  await viewer.scrollIntoViewIfNeeded();
  await viewer.screenshot({ path: path.join(screenshotDir, 'viewer-dark.png') });
  console.log(
    `  GIF ${proposed}: ${bytes.length} bytes, ${decoded.frames} frames of ${decoded.size.join('×')} (copied to overlays.gif)`,
  );
});

step('toggles a class from the legend', async (t) => {
  const cortex = t.frame.locator('.legend-item[data-class="cortex"]');
  await cortex.click();
  assert.equal(await cortex.getAttribute('aria-pressed'), 'false');
  assert.deepEqual(await classesDrawn(t.frame, 'rotate'), ['cerebellum', 'deep_gm']);
  await cortex.click();
  assert.deepEqual(await classesDrawn(t.frame, 'rotate'), ['cerebellum', 'cortex', 'deep_gm']);
});

step("exports the run as CSV through VS Code's save dialog", async (t) => {
  await t.frame.locator('#export-run-csv').click();
  // The web workbench's save dialog is a quick input holding the proposed path.
  const input = t.page.locator('.quick-input-widget input.input');
  await input.waitFor({ state: 'visible', timeout: 10_000 });
  // It shows the folder first and adds the proposed name a moment later.
  const proposed = await waitUntil(
    'the proposed file name',
    async () => {
      const value = await input.inputValue();
      return /report-fixture-results\.csv$/.test(value) ? value : undefined;
    },
    10_000,
  );
  assert.equal(
    proposed,
    path.join(t.workspace, 'report-fixture-results.csv'),
    "proposed in the run's workspace folder",
  );
  await input.press('Enter');
  const file = path.join(t.workspace, 'report-fixture-results.csv');
  await waitUntil(`${file} to be written`, async () => fs.existsSync(file) && fs.statSync(file).size > 0, 15_000);
  const lines = fs.readFileSync(file, 'utf8').trimEnd().split('\n');
  const rows =
    t.primary.series.reduce((n, s) => n + s.rows.length, 0) * t.primary.metrics.length * t.primary.classes.length;
  assert.equal(lines.length - 1, rows, 'one CSV row per series row, metric and class');
  assert.equal(lines[0], 'series,transform,model,input,image,group,value,baseline,slice,class,metric,score,severity');
});

step("compares with the other run picked in VS Code's quick pick (dashed lines)", async (t) => {
  await t.frame.locator('#compare-runs').click();
  // The quick input still lists the save dialog's folder until the compare pick replaces it:
  // wait for the pick's title, then for its rows (a count read at once raced the old list).
  await quickPickTitled(t.page, 'Compare with other runs of');
  const row = t.page.locator('.quick-input-widget .monaco-list-row');
  await waitUntil('one other run of the experiment in the pick', async () => (await row.count()) === 1, 30_000);
  await row.first().click();
  await t.page.keyboard.press('Enter');
  await waitUntil('the compare legend', async () => (await t.frame.locator('.compare-legend .run-item').count()) === 2);
  const dashed = mainPaths(t.frame, 'rotate', 1);
  assert.equal(await dashed.count(), 3, 'the second run adds one dashed line per shown class');
  assert.ok(
    (await dashed.evaluateAll((paths) => paths.map((p) => p.getAttribute('stroke-dasharray')))).every(
      (d) => d && d.length > 0,
    ),
  );
});

step('comes back after Developer: Reload Window (serializer), with the compared run', async (t) => {
  // The command, not a page reload: it shuts the workbench down properly, saving the webview's state.
  await pressInWorkbench(t.page, KEYS.reloadWindow.press);
  await t.page.waitForEvent('load', { timeout: 30_000 });
  await t.page.waitForSelector('.monaco-workbench', { timeout: 60_000 });
  // The restored panel activates the extension again (onWebviewPanel), which takes long on a busy machine.
  t.frame = await resultsFrame(t.page, '.compare-legend .run-item', 120_000);
  assert.equal(await t.frame.locator('.compare-legend .run-item').count(), 2);
  await checkLines(t.frame, t.primary, 'dice', t.primary.classes.slice(1));
});

step('follows a switch to Light Modern (screenshot)', async (t) => {
  await pressInWorkbench(t.page, KEYS.toggleLightDark.press);
  await waitUntil(
    'the light theme in the page',
    () => t.frame.evaluate(() => globalThis.document.body.classList.contains('vscode-light')),
    20_000,
  );
  await delay(500); // let the charts repaint with the light palette
  await screenshot(t.page, 'panel-light', 'light');
  const viewer = t.frame.locator('.viewer[data-series="rotate"]');
  await viewer.scrollIntoViewIfNeeded();
  await waitUntil(
    "the viewer's frame after the reload",
    async () => (await viewer.getAttribute('data-frame')) !== null,
    60_000,
  );
  await waitUntil(
    'the visible thumbnails',
    async () =>
      (await viewer.locator('.thumb[data-state="loading"]').count()) === 0 &&
      (await viewer.locator('.thumb[data-state="shown"]').count()) > 1,
    60_000,
  );
  await viewer.screenshot({ path: path.join(screenshotDir, 'viewer-light.png') });
});

// ---------------------------------------------------------------- main

async function main({ onTimeout }) {
  checkPrerequisites(extensionPath, ['webview.js']);
  fs.mkdirSync(screenshotDir, { recursive: true });
  const started = Date.now();
  const scratch = fs.mkdtempSync(path.join(os.tmpdir(), 'misas-panel-ui-'));
  const { workspace, runs } = makeWorkspace(scratch);
  const userData = prepareUserData(scratch, runs['two-inputs'].runDir);
  let server;
  let browser;
  let failed = 0;
  const problems = [];
  try {
    server = await startServer({ scratch, userData, verbose });
    onTimeout(() => server.stop());
    browser = await launchBrowser();
    const page = await browser.newPage({ viewport: { width: 1400, height: 950 } });
    page.on('pageerror', (error) => problems.push(`page error: ${error.message}`));
    page.on('console', (message) => {
      if (verbose) console.log(`[page ${message.type()}] ${message.text()}`);
      // Our page's own errors (the webview frames) fail the test; the workbench's are its business.
      if (
        message.type() === 'error' &&
        /vscode-cdn|webview|active-frame/.test(message.location().url ?? '') &&
        /misas|results/i.test(message.text())
      )
        problems.push(message.text());
    });
    await page.goto(workbenchUrl(server.port, workspace, extensionPath), { timeout: 120_000 });
    await page.waitForSelector('.monaco-workbench', { timeout: 60_000 });
    const context = { page, workspace, userData, primary: runs['two-inputs'].results, frame: undefined };
    console.log('test-panel-ui: the results panel in the workbench (code-server + Chromium)');
    for (const { name, run } of steps) {
      const t0 = Date.now();
      try {
        await run(context);
        console.log(`  ✔ ${name} (${Date.now() - t0} ms)`);
      } catch (error) {
        failed++;
        console.log(
          `  ✘ ${name}\n    ${String(error?.stack ?? error)
            .split('\n')
            .slice(0, 6)
            .join('\n    ')}`,
        );
        await page.screenshot({ path: path.join(screenshotDir, `failure-${failed}.png`) }).catch(() => {});
        await page.keyboard.press('Escape').catch(() => {}); // a quick input left open would confuse the next step
        if (!context.frame) break; // nothing later can work without the panel
      }
    }
    if (problems.length > 0) {
      failed++;
      console.log(`  ✘ errors in the page:\n    ${problems.join('\n    ')}`);
    }
  } finally {
    await browser?.close().catch(() => {});
    await server?.stop();
    if (failed && server && !verbose) fs.writeFileSync(path.join(screenshotDir, 'server.log'), server.output());
    fs.rmSync(scratch, { recursive: true, force: true });
  }
  console.log(
    `test-panel-ui: ${failed === 0 ? 'passed' : `FAILED (${failed})`} in ${((Date.now() - started) / 1000).toFixed(1)} s; screenshots in ${screenshotDir}`,
  );
  return failed === 0 ? 0 : 1;
}

runScript('test-panel-ui', TOTAL_TIMEOUT_MS, main);
