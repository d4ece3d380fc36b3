// The extension's commands through the workbench's real menus, driven as a person would: the
// Explorer's context menu (one file, several files selected with Ctrl, a folder), the misas
// Experiments view's item menus, modal dialogs and the command palette (F1), in code-server's
// VS Code server + headless Chromium (scripts/e2e/workbench.mjs). VS Code passes each command
// what it passes it from there — (uri, selectedUris[]), a tree node, nothing — so this is the
// only test that sees the commands' real arguments. Each step waits for files on disk or for the
// workbench's state, never for a fixed time.
//
// The workspace is a fresh temporary copy of examples/colin27's model, model card and three
// slices with label maps, with two workspace settings that keep it quick and plain:
// misas.defaultSeries = ["dihedral"] (8 steps: the wizard's series step is answered with Enter)
// and misas.openResultsOnRun = false (no results panel opens by itself, so "Open Results" is
// what opens one).
//
//   npm run build && node scripts/test-menus.mjs
//
// Environment: MISAS_MENUS_EXTENSION (extension folder to load, default the repository),
// MISAS_MENUS_SCREENSHOTS (where failure screenshots go, default <tmp>/misas-menus-screenshots),
// MISAS_E2E_CACHE / MISAS_E2E_CHROMIUM (as for test-extension), MISAS_E2E_VERBOSE.
// Exit code 0 only if every step passed.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { repoRoot } from './e2e/paths.mjs';
import { DEFAULT_RUNS_FOLDER, RESULTS_FILE } from './e2e/runFolder.mjs';
import {
  checkPrerequisites,
  launchBrowser,
  notificationTexts,
  prepareUserData,
  quickInput as quickInputOf,
  quickPickTitled as pickTitled,
  runFromPalette,
  runScript,
  startServer,
  tickedRows as tickedRowsOf,
  waitUntil,
  workbenchUrl,
} from './e2e/workbench.mjs';

const extensionPath = path.resolve(process.env.MISAS_MENUS_EXTENSION || repoRoot);
const screenshotDir = process.env.MISAS_MENUS_SCREENSHOTS || path.join(os.tmpdir(), 'misas-menus-screenshots');
const verbose = Boolean(process.env.MISAS_E2E_VERBOSE);
const TOTAL_TIMEOUT_MS = 900_000;
/** A run of one to three slices × 8 dihedral steps: seconds, but the engine process may start first. */
const RUN_TIMEOUT_MS = 90_000;

const EXAMPLE_FILES = [
  'model.onnx',
  'model.onnx.misas.json',
  ...['z065', 'z075'].flatMap((z) => [`data/colin27_${z}_image.nii.gz`, `data/colin27_${z}_label.nii.gz`]),
  'data/colin27_z085_image.png',
  'data/colin27_z085_label.png',
];
const IMAGES = { z065: 'colin27_z065_image.nii.gz', z075: 'colin27_z075_image.nii.gz', z085: 'colin27_z085_image.png' };

function makeWorkspace(scratch) {
  const workspace = path.join(scratch, 'workspace');
  const example = path.join(repoRoot, 'examples', 'colin27');
  for (const file of EXAMPLE_FILES) {
    fs.mkdirSync(path.dirname(path.join(workspace, file)), { recursive: true });
    fs.copyFileSync(path.join(example, file), path.join(workspace, file));
  }
  fs.mkdirSync(path.join(workspace, '.vscode'));
  fs.writeFileSync(
    path.join(workspace, '.vscode', 'settings.json'),
    JSON.stringify({ 'misas.defaultSeries': ['dihedral'], 'misas.openResultsOnRun': false }, null, 2),
  );
  return workspace;
}

// ---------------------------------------------------------------- files on disk

/** The finished runs (folders with results.json) of an experiment in the workspace root. */
function finishedRuns(t, experimentName) {
  const root = path.join(t.workspace, DEFAULT_RUNS_FOLDER, experimentName);
  if (!fs.existsSync(root)) return [];
  return fs
    .readdirSync(root)
    .filter((name) => fs.existsSync(path.join(root, name, RESULTS_FILE)))
    .sort()
    .map((name) => path.join(root, name));
}

/** Every run folder of an experiment, finished or not. */
function runFolders(t, experimentName) {
  const root = path.join(t.workspace, DEFAULT_RUNS_FOLDER, experimentName);
  return fs.existsSync(root) ? fs.readdirSync(root) : [];
}

/** Closes every editor (View: Close All Editors from the palette) and waits until no tab is left. */
async function closeAllEditors(t) {
  await t.page.keyboard.press('Escape');
  await t.page.keyboard.press('F1');
  const input = quickInput(t).locator('input.input');
  await input.waitFor({ state: 'visible', timeout: 10_000 });
  await input.fill('>View: Close All Editors');
  const first = quickInput(t).locator('.monaco-list-row').first();
  await waitUntil('"View: Close All Editors" first in the palette', async () =>
    (await first.getAttribute('aria-label'))?.startsWith('View: Close All Editors'),
  );
  await t.page.keyboard.press('Enter');
  await waitUntil(
    'no editor open',
    async () => (await t.page.locator('.part.editor .tabs-container .tab').count()) === 0,
  );
}

/** Waits for one more finished run than `before` and returns its results.json, parsed. */
async function nextRun(t, experimentName, before) {
  const runDir = await waitUntil(
    `a new run of ${experimentName} with results.json`,
    async () => finishedRuns(t, experimentName).find((dir) => !before.includes(dir)),
    RUN_TIMEOUT_MS,
  );
  // results.json is written last and atomically (temporary file + rename): complete once it exists.
  return { runDir, results: JSON.parse(fs.readFileSync(path.join(runDir, RESULTS_FILE), 'utf8')) };
}

function readExperiment(t, file) {
  return JSON.parse(fs.readFileSync(path.join(t.workspace, file), 'utf8'));
}

// ---------------------------------------------------------------- the workbench, as a person uses it

const explorerRow = (t, name) => t.page.locator(`.explorer-folders-view .monaco-list-row[aria-label="${name}"]`);

async function showExplorer(t) {
  if (!(await t.page.locator('.explorer-folders-view').isVisible())) await t.page.keyboard.press('Control+Shift+E');
  await t.page.locator('.explorer-folders-view').waitFor({ state: 'visible', timeout: 10_000 });
}

/** Expands the Explorer's data/ folder (once). */
async function expandData(t) {
  const data = explorerRow(t, 'data');
  if ((await data.getAttribute('aria-expanded')) !== 'true') await data.click();
  await explorerRow(t, IMAGES.z065).waitFor({ timeout: 10_000 });
}

/**
 * Right-clicks `target` and clicks `item` in the context menu. Until the extension's
 * contributions are registered the menu lacks it: then Escape and right-click again. With
 * `selection`, the menu counts only while those Explorer rows are still selected: the editor a
 * plain click opens can take the selection back to its file when it finishes opening (slowly,
 * on a busy machine), and a person would then select again.
 */
async function contextMenu(t, target, item, selection) {
  const labels = t.page.locator('.context-view .monaco-menu .action-item:not(.disabled) .action-label');
  let seen = [];
  await waitUntil(
    `"${item}" in the context menu`,
    async () => {
      await target.click({ button: 'right' });
      await t.page.locator('.context-view .monaco-menu').waitFor({ timeout: 5000 });
      seen = (await labels.allTextContents()).filter(Boolean);
      if (seen.includes(item) && (!selection || (await allSelected(t, selection)))) return true;
      await t.page.keyboard.press('Escape');
      if (selection) await selectInExplorer(t, selection);
      return false;
    },
    60_000,
  ).catch((error) => {
    throw new Error(`${error.message}; the menu had: ${seen.join(' | ')}`);
  });
  // A click that lands while the menu is still settling can go nowhere: the menu stays open (it
  // closes on every action), and a person would click again.
  const menu = t.page.locator('.context-view .monaco-menu');
  for (let attempt = 1; ; attempt++) {
    await labels
      .filter({ hasText: item })
      .first()
      .click()
      .catch(() => {});
    const closed = await menu.waitFor({ state: 'hidden', timeout: 5000 }).then(
      () => true,
      () => false,
    );
    if (closed) return;
    assert.ok(attempt < 3, `the context menu stayed open after ${attempt} clicks on "${item}"`);
  }
}

const quickInput = (t) => quickInputOf(t.page);
const quickPickTitled = (t, title) => pickTitled(t.page, title);
const tickedRows = (t) => tickedRowsOf(t.page);

/** The wizard after the model: images (ticks checked) → masks → series (defaults) → name typed. */
async function answerWizard(t, { ticked, name }) {
  await quickPickTitled(t, 'Analyze Sensitivity (1/3): images');
  await waitUntil('the ticked images', async () => (await tickedRows(t)).length > 0, 10_000);
  assert.deepEqual(await tickedRows(t), [...ticked].sort(), 'the images ticked in the images step');
  await t.page.keyboard.press('Enter');
  await quickPickTitled(t, 'Analyze Sensitivity (2/3): label maps');
  assert.deepEqual(await tickedRows(t), [...ticked].sort(), 'each image with its mask matched by name');
  await t.page.keyboard.press('Enter');
  // The example's model has a card: the wizard offers to review it, and Enter keeps it.
  await quickPickTitled(t, 'Model card of model.onnx');
  assert.equal(
    await quickInput(t)
      .locator('.monaco-list-row.focused')
      .getAttribute('aria-label')
      .then((label) => label?.split(',')[0]),
    'Keep the model card',
  );
  await t.page.keyboard.press('Enter');
  await quickPickTitled(t, 'Analyze Sensitivity (3/3): series');
  assert.deepEqual(await tickedRows(t), ['dihedral'], 'the series of misas.defaultSeries');
  await t.page.keyboard.press('Enter');
  await quickPickTitled(t, 'Analyze Sensitivity: experiment name');
  const input = quickInput(t).locator('input.input');
  await input.fill(name); // select-all + type, as in the box
  await t.page.keyboard.press('Enter');
}

const palette = (t, title) => runFromPalette(t.page, title);

/** The misas view container in the side bar (a click on its activity-bar icon unless it shows). */
async function showExperimentsView(t) {
  const title = t.page.locator('.part.sidebar .composite.title', { hasText: /Experiments/i });
  if (!(await title.isVisible().catch(() => false)))
    await t.page.locator('.activitybar .action-label[aria-label*="misas" i]').click();
  await title.waitFor({ state: 'visible', timeout: 20_000 });
}

const treeRow = (t, label) => t.page.locator('.part.sidebar .monaco-list-row', { hasText: label });

/** A modal dialog (window.dialogStyle custom): checks its message, clicks `button`. */
async function answerDialog(t, message, button, { waitHidden = true } = {}) {
  const dialog = t.page.locator('.monaco-dialog-box');
  await dialog.waitFor({ state: 'visible', timeout: 15_000 });
  const text = await dialog.locator('.dialog-message-text').textContent();
  assert.match(text, message);
  await dialog.locator('.dialog-buttons .monaco-button', { hasText: button }).click();
  if (waitHidden) await dialog.waitFor({ state: 'hidden', timeout: 15_000 });
  return text;
}

// ---------------------------------------------------------------- the steps

const steps = [];
function step(name, run) {
  steps.push({ name, run });
}

step('Explorer: right-click model.onnx → Analyze Sensitivity… → wizard by keyboard → run', async (t) => {
  await showExplorer(t);
  await contextMenu(t, explorerRow(t, 'model.onnx'), 'Analyze Sensitivity…');
  // Only the model right-clicked: the images next to it are ticked.
  await answerWizard(t, { ticked: Object.values(IMAGES), name: 'menu-model' });
  const { results } = await nextRun(t, 'menu-model', []);
  assert.equal(results.status, 'completed');
  assert.deepEqual(
    results.series.map((s) => s.transform),
    ['dihedral'],
  );
  assert.equal(results.inputs.length, 3);
  assert.deepEqual(
    readExperiment(t, 'menu-model.misas.json')
      .inputs.map((i) => i.image)
      .sort(),
    Object.values(IMAGES)
      .map((f) => `data/${f}`)
      .sort(),
  );
});

/** Selects these Explorer rows (click, then Ctrl+click), again until all of them show as selected. */
async function allSelected(t, names) {
  for (const name of names) if ((await explorerRow(t, name).getAttribute('aria-selected')) !== 'true') return false;
  return true;
}

async function selectInExplorer(t, names) {
  await waitUntil(
    `${names.join(' and ')} selected in the Explorer`,
    async () => {
      await explorerRow(t, names[0]).click();
      for (const name of names.slice(1)) await explorerRow(t, name).click({ modifiers: ['Control'] });
      return allSelected(t, names);
    },
    30_000,
  );
}

step('Explorer: model.onnx and an image selected (Ctrl+click) → Analyze Sensitivity… ticks that image', async (t) => {
  await expandData(t);
  const selection = ['model.onnx', IMAGES.z075];
  await selectInExplorer(t, selection);
  await contextMenu(t, explorerRow(t, 'model.onnx'), 'Analyze Sensitivity…', selection);
  await answerWizard(t, { ticked: [IMAGES.z075], name: 'menu-model-image' });
  const { results } = await nextRun(t, 'menu-model-image', []);
  assert.equal(results.status, 'completed');
  assert.deepEqual(readExperiment(t, 'menu-model-image.misas.json').inputs, [
    { image: `data/${IMAGES.z075}`, mask: 'data/colin27_z075_label.nii.gz' },
  ]);
});

step('Explorer: two images selected → Analyze with Model… ticks both', async (t) => {
  const selection = [IMAGES.z065, IMAGES.z085];
  await selectInExplorer(t, selection);
  await contextMenu(t, explorerRow(t, IMAGES.z085), 'Analyze with Model…', selection);
  // One model in the workspace: the wizard takes it without asking.
  await answerWizard(t, { ticked: [IMAGES.z065, IMAGES.z085], name: 'menu-images' });
  const { results } = await nextRun(t, 'menu-images', []);
  assert.equal(results.status, 'completed');
  assert.deepEqual(
    readExperiment(t, 'menu-images.misas.json').inputs.map((i) => i.image),
    [`data/${IMAGES.z065}`, `data/${IMAGES.z085}`],
  );
});

step('Explorer: right-click model.onnx → Inspect Model → its report opens', async (t) => {
  await showExplorer(t);
  await contextMenu(t, explorerRow(t, 'model.onnx'), 'Inspect Model');
  const tab = t.page.locator('.tabs-container .tab', { hasText: 'model.onnx (inspection)' });
  await tab.waitFor({ state: 'visible', timeout: 60_000 });
  const editor = t.page.locator('.editor-instance .view-lines');
  await waitUntil(
    'the inspection report in the editor',
    async () => /orientation/i.test((await editor.first().textContent()) ?? ''),
    30_000,
  );
});

step('Explorer: model.onnx, an image and its mask selected → Fit Check… → the ranked table', async (t) => {
  await expandData(t);
  const selection = ['model.onnx', IMAGES.z075, 'colin27_z075_label.nii.gz'];
  await selectInExplorer(t, selection);
  await contextMenu(t, explorerRow(t, 'model.onnx'), 'Fit Check…', selection);
  // Image and mask come from the selection: no question, the panel opens with the table.
  const tab = t.page.locator('.tabs-container .tab', { hasText: 'Fit Check: model.onnx' });
  await tab.waitFor({ state: 'visible', timeout: 120_000 });
  await t.page.keyboard.press('Escape');
});

step(
  'Explorer: right-click model.onnx → Edit Model Card… → every question, Enter keeps each answer → the card opens',
  async (t) => {
    await showExplorer(t);
    const card = path.join(t.workspace, 'model.onnx.misas.json');
    const before = JSON.parse(fs.readFileSync(card, 'utf8'));
    await contextMenu(t, explorerRow(t, 'model.onnx'), 'Edit Model Card…');
    await quickPickTitled(t, 'Model card (1/');
    // Enter through the questions (each with the card's answer selected) until the last one closes:
    // each Enter waits for the next question (another title) or for the picker to go.
    let questions = 0;
    for (let last = ''; ;) {
      const next = await waitUntil(
        'the next model-card question, or the end',
        async () => {
          if (!(await quickInput(t).isVisible())) return 'done';
          const title = (await quickInput(t).locator('.quick-input-title').textContent()) ?? '';
          return title.includes('Model card') && title !== last ? title : undefined;
        },
        30_000,
      );
      if (next === 'done') break;
      last = next;
      questions++;
      await t.page.keyboard.press('Enter');
    }
    assert.ok(questions >= 3, `${questions} questions asked`);
    await t.page
      .locator('.tabs-container .tab', { hasText: 'model.onnx.misas.json' })
      .waitFor({ state: 'visible', timeout: 30_000 });
    const after = JSON.parse(fs.readFileSync(card, 'utf8'));
    for (const field of ['classes', 'normalization', 'orientation', 'geometry'])
      assert.deepEqual(after[field], before[field], `Enter kept ${field}`);
  },
);

step('Explorer: right-click a folder → New Experiment… → name typed → the file in that folder', async (t) => {
  await contextMenu(t, explorerRow(t, 'data'), 'New Experiment…');
  await quickPickTitled(t, 'New Experiment');
  await quickInput(t).locator('input.input').fill('in-data');
  await t.page.keyboard.press('Enter');
  const file = path.join(t.workspace, 'data', 'in-data.misas.json');
  await waitUntil(`${file}`, async () => fs.existsSync(file));
  assert.equal(JSON.parse(fs.readFileSync(file, 'utf8')).name, 'in-data');
});

step('Explorer: right-click an experiment file → Run Experiment', async (t) => {
  const before = finishedRuns(t, 'menu-model');
  await contextMenu(t, explorerRow(t, 'menu-model.misas.json'), 'Run Experiment');
  const { results } = await nextRun(t, 'menu-model', before);
  assert.equal(results.status, 'completed');
});

step('Experiments view: right-click an experiment → Run Experiment', async (t) => {
  await showExperimentsView(t);
  // The view refreshes a few times after the last step's run, and a command whose tree-item handle
  // was dropped acts as from the palette: on the active editor's experiment. With no editor open
  // it asks instead, which treeCommand sees (stale) and right-clicks again.
  await closeAllEditors(t);
  const before = finishedRuns(t, 'menu-images');
  const started = runFolders(t, 'menu-images');
  const experiment = treeRow(t, 'menu-images').and(t.page.locator('[aria-level="1"]'));
  const askedWhich = async () =>
    (await quickInput(t).isVisible()) &&
    (await quickInput(t).locator('.quick-input-title').textContent()) === 'Run which experiment?';
  await treeCommand(t, experiment, 'Run Experiment', async () =>
    runFolders(t, 'menu-images').length > started.length ? 'done' : (await askedWhich()) ? 'stale' : undefined,
  );
  const { results } = await nextRun(t, 'menu-images', before);
  assert.equal(results.status, 'completed');
  t.runsOfImages = finishedRuns(t, 'menu-images');
  assert.equal(t.runsOfImages.length, 2);
});

/**
 * A tree item's context-menu command. VS Code hands the command the item through a handle that
 * the extension host drops while the view refreshes (after a run, the view refreshes a few times
 * within seconds): a command invoked then gets no item, as it would from the palette, and asks.
 * The re-render can also close the context menu under the click, and nothing happens at all.
 * A person would dismiss the question, or wonder, and right-click again; so does this (`outcome`
 * tells 'done' from 'stale'; no reaction within 30 s counts as lost), and says so.
 */
async function treeCommand(t, row, item, outcome) {
  for (let attempt = 1; ; attempt++) {
    await contextMenu(t, row, item);
    // 'lost': nothing happened at all (the menu went away with a re-render of the view before the click).
    const result = await waitUntil(`${item} to act`, outcome, 30_000).catch(() => 'lost');
    if (result === 'done') return;
    assert.ok(attempt < 3, `${item} did not act on the tree item ${attempt} times (last: ${result})`);
    console.log(
      `    (${item} ${result === 'stale' ? 'got no tree item' : 'did nothing'}: the view was refreshing; right-clicked again)`,
    );
    await t.page.keyboard.press('Escape');
    await t.page
      .locator('.notifications-toasts .codicon-notifications-clear-all, .notification-toast .codicon-close')
      .first()
      .click()
      .catch(() => {});
  }
}

/** A run's item in the Experiments view: labelled "Run <local start time>, <status> · …". */
function runRow(t, results) {
  const started = new Date(results.timing.startedAt);
  const two = (n) => String(n).padStart(2, '0');
  const label = `${started.getFullYear()}-${two(started.getMonth() + 1)}-${two(started.getDate())} ${two(started.getHours())}:${two(started.getMinutes())}:${two(started.getSeconds())}`;
  return t.page.locator(`.part.sidebar .monaco-list-row[aria-label^="Run ${label},"]`);
}

step('Experiments view: right-click a run → Open Results → the results panel', async (t) => {
  assert.equal(await t.page.locator('iframe.webview').count(), 0, 'a webview is open before Open Results');
  const [runDir] = finishedRuns(t, 'menu-images');
  const row = runRow(t, JSON.parse(fs.readFileSync(path.join(runDir, RESULTS_FILE), 'utf8')));
  await row.waitFor({ timeout: 20_000 });
  const resultsPage = async () => {
    for (const frame of t.page.frames()) if (await frame.$('main.results').catch(() => null)) return true;
    return false;
  };
  const askedWhichRun = async () =>
    (await quickInput(t).isVisible()) &&
    (await quickInput(t).locator('.quick-input-title').textContent()) === 'Open Results';
  await treeCommand(t, row, 'Open Results', async () =>
    (await resultsPage()) ? 'done' : (await askedWhichRun()) ? 'stale' : undefined,
  );
  await t.page.locator('.tabs-container .tab.active[aria-label*="menu-images — "]').waitFor({ timeout: 20_000 });
});

step('Experiments view: right-click a run → Compare Runs… → the other run ticked → one panel with both', async (t) => {
  await showExperimentsView(t);
  const [first, second] = finishedRuns(t, 'menu-images');
  const row = runRow(t, JSON.parse(fs.readFileSync(path.join(second, RESULTS_FILE), 'utf8')));
  await row.waitFor({ timeout: 20_000 });
  // Without the tree item (a stale handle) the command would first ask for the experiment.
  const title = async () =>
    (await quickInput(t).isVisible()) ? await quickInput(t).locator('.quick-input-title').textContent() : null;
  await treeCommand(t, row, 'Compare Runs…', async () => {
    const shown = await title();
    return shown === 'Compare Runs' ? 'done' : shown?.startsWith('Compare Runs:') ? 'stale' : undefined;
  });
  // The right-clicked run comes ticked; a person ticks the other one too (its row is the older start time).
  const other = JSON.parse(fs.readFileSync(path.join(first, RESULTS_FILE), 'utf8'));
  const started = new Date(other.timing.startedAt);
  const two = (n) => String(n).padStart(2, '0');
  const label = `${two(started.getHours())}:${two(started.getMinutes())}:${two(started.getSeconds())}`;
  await waitUntil(
    'one run ticked',
    async () => (await quickInput(t).locator('.monaco-list-row[aria-checked="true"]').count()) === 1,
    10_000,
  );
  await quickInput(t).locator('.monaco-list-row', { hasText: label }).click(); // a click on a row of a multi-select pick ticks it
  await waitUntil(
    'both runs ticked',
    async () => (await quickInput(t).locator('.monaco-list-row[aria-checked="true"]').count()) === 2,
    10_000,
  );
  await t.page.keyboard.press('Enter');
  const compared = async () => {
    for (const frame of t.page.frames()) if (await frame.$('.compare-legend').catch(() => null)) return true;
    return false;
  };
  await waitUntil('a results panel comparing the two runs', compared, 60_000);
});

step(
  'Experiments view: right-click an experiment → Reveal in Explorer → the file selected in the Explorer',
  async (t) => {
    await showExperimentsView(t);
    const experiment = treeRow(t, 'menu-images').and(t.page.locator('[aria-level="1"]'));
    await contextMenu(t, experiment, 'Reveal in Explorer');
    const row = explorerRow(t, 'menu-images.misas.json');
    await waitUntil(
      'menu-images.misas.json selected in the Explorer',
      async () => (await row.getAttribute('aria-selected')) === 'true',
      30_000,
    );
  },
);

step('Experiments view: a long run → right-click its running item → Cancel Run → kept as cancelled', async (t) => {
  const file = path.join(t.workspace, 'menu-long.misas.json');
  const experiment = {
    name: 'menu-long',
    model: 'model.onnx',
    inputs: [{ image: `data/${IMAGES.z075}`, mask: 'data/colin27_z075_label.nii.gz' }],
    series: [{ transform: 'rotate', start: -180, stop: 180, steps: 9001 }],
    metrics: ['dice'],
  };
  fs.writeFileSync(file, JSON.stringify(experiment, null, 2));
  await showExperimentsView(t);
  const row = treeRow(t, 'menu-long').and(t.page.locator('[aria-level="1"]'));
  await waitUntil('menu-long in the Experiments view', async () => (await row.count()) > 0, 60_000);
  await contextMenu(t, row, 'Run Experiment');
  const running = t.page.locator('.part.sidebar .monaco-list-row[aria-label^="Run "][aria-label*="running"]');
  await running.first().waitFor({ timeout: 60_000 });
  const root = path.join(t.workspace, DEFAULT_RUNS_FOLDER, 'menu-long');
  const kept = () =>
    fs.existsSync(root)
      ? fs
          .readdirSync(root)
          .map((name) => path.join(root, name, RESULTS_FILE))
          .find((f) => fs.existsSync(f))
      : undefined;
  await treeCommand(t, running.first(), 'Cancel Run', async () => (kept() ? 'done' : undefined));
  const results = JSON.parse(fs.readFileSync(kept(), 'utf8'));
  assert.equal(results.status, 'cancelled');
  assert.ok(results.series[0].rows.length < 9001, `${results.series[0].rows.length} rows kept`);
});

step('Experiments view: right-click a run → Delete Run → confirmed in the modal → the folder is gone', async (t) => {
  await showExperimentsView(t);
  // The oldest run of menu-model; the view labels runs by their local start time.
  const runs = finishedRuns(t, 'menu-model');
  const victim = runs[0];
  const others = finishedRuns(t, 'menu-images').concat(finishedRuns(t, 'menu-model-image'), runs.slice(1));
  const run = runRow(t, JSON.parse(fs.readFileSync(path.join(victim, RESULTS_FILE), 'utf8')));
  await run.waitFor({ timeout: 20_000 });
  const dialog = t.page.locator('.monaco-dialog-box');
  const choose = t.page.locator('.notification-list-item-message', { hasText: 'choose a run to delete' });
  await treeCommand(t, run, 'Delete Run', async () =>
    (await dialog.isVisible()) ? 'done' : (await choose.isVisible()) ? 'stale' : undefined,
  );
  const where = path.relative(t.workspace, victim).split(path.sep).join('/');
  await answerDialog(
    t,
    new RegExp(`^Delete the run ${where.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}\\?$`),
    'Move to Trash',
    { waitHidden: false },
  );
  // VS Code's server file system has no trash: then a second modal (it may replace the first
  // without the box ever hiding) says so and offers deleting permanently.
  const noTrash = dialog.locator('.dialog-message-text', { hasText: 'cannot be moved to the trash' });
  const outcome = await waitUntil(
    `${victim} to be gone, or the question about the trash`,
    async () => (!fs.existsSync(victim) ? 'deleted' : (await noTrash.isVisible()) ? 'ask' : undefined),
    60_000,
  );
  if (outcome === 'ask') {
    await answerDialog(t, /cannot be moved to the trash/, 'Delete Permanently');
    console.log('    (no trash here: deleted permanently after the second modal)');
  }
  await waitUntil(`${victim} to be gone`, async () => !fs.existsSync(victim));
  for (const dir of others) assert.ok(fs.existsSync(path.join(dir, RESULTS_FILE)), `${dir} was deleted too`);
});

step('Palette: F1 → Analyze Sensitivity… → wizard → run', async (t) => {
  await palette(t, 'Analyze Sensitivity…');
  await answerWizard(t, { ticked: Object.values(IMAGES), name: 'from-palette' });
  const { results } = await nextRun(t, 'from-palette', []);
  assert.equal(results.status, 'completed');
});

step('Palette: F1 → Run Experiment runs the experiment in the active editor', async (t) => {
  // The wizard left from-palette.misas.json open in the editor.
  const before = finishedRuns(t, 'from-palette');
  await palette(t, 'Run Experiment');
  const { results } = await nextRun(t, 'from-palette', before);
  assert.equal(results.status, 'completed');
});

step('Palette: F1 → New Experiment… → the file next to the active one', async (t) => {
  await palette(t, 'New Experiment…');
  await quickPickTitled(t, 'New Experiment');
  await quickInput(t).locator('input.input').fill('from-palette-new');
  await t.page.keyboard.press('Enter');
  const file = path.join(t.workspace, 'from-palette-new.misas.json');
  await waitUntil(`${file}`, async () => fs.existsSync(file));
  await waitUntil('the new file in the editor', async () =>
    ((await t.page.locator('.tabs-container .tab.active').getAttribute('aria-label')) ?? '').includes(
      'from-palette-new.misas.json',
    ),
  );
});

// ---------------------------------------------------------------- main

/** What a person would look at when a step fails: the screen and the notifications. */
async function reportFailure(t, index) {
  const file = path.join(screenshotDir, `failure-${index}.png`);
  await t.page.screenshot({ path: file }).catch(() => {});
  const notes = await notificationTexts(t.page);
  console.log(`    screenshot ${file}`);
  if (notes.length) console.log(`    notifications:\n      ${notes.join('\n      ')}`);
  const title = await quickInput(t)
    .locator('.quick-input-title')
    .textContent()
    .catch(() => null);
  if (
    title &&
    (await quickInput(t)
      .isVisible()
      .catch(() => false))
  )
    console.log(`    open quick input: ${title}`);
  if (t.problems.length) console.log(`    workbench errors (last 5):\n      ${t.problems.slice(-5).join('\n      ')}`);
}

async function main({ onTimeout }) {
  checkPrerequisites(extensionPath);
  fs.mkdirSync(screenshotDir, { recursive: true });
  const started = Date.now();
  const scratch = fs.mkdtempSync(path.join(os.tmpdir(), 'misas-menus-'));
  const workspace = makeWorkspace(scratch);
  const userData = prepareUserData(scratch);
  let server;
  let browser;
  let failed = 0;
  try {
    server = await startServer({ scratch, userData, verbose });
    onTimeout(() => server.stop());
    browser = await launchBrowser();
    const page = await browser.newPage({ viewport: { width: 1400, height: 950 } });
    const t = { page, workspace, problems: [] };
    page.on('pageerror', (error) => t.problems.push(`page error: ${error.message}`));
    page.on('console', (message) => {
      if (verbose) console.log(`[page ${message.type()}] ${message.text()}`);
      if (message.type() === 'error') t.problems.push(message.text().slice(0, 300));
    });
    // Generous: on a busy machine the first load of the workbench's scripts takes a while.
    await page.goto(workbenchUrl(server.port, workspace, extensionPath), { timeout: 120_000 });
    await page.waitForSelector('.monaco-workbench', { timeout: 120_000 });
    // The misas icon in the activity bar: the extension's contributions are registered.
    await waitUntil(
      'the misas view container',
      async () => (await page.locator('.activitybar .action-label[aria-label*="misas" i]').count()) > 0,
      60_000,
    );
    console.log('test-menus: the commands through the real menus (code-server + Chromium)');
    for (const { name, run } of steps) {
      const t0 = Date.now();
      try {
        await run(t);
        console.log(`  ✔ ${name} (${Date.now() - t0} ms)`);
      } catch (error) {
        failed++;
        console.log(
          `  ✘ ${name}\n    ${String(error?.stack ?? error)
            .split('\n')
            .slice(0, 6)
            .join('\n    ')}`,
        );
        await reportFailure(t, failed);
        for (let i = 0; i < 3; i++) await page.keyboard.press('Escape').catch(() => {}); // leave no quick input or dialog open
      }
    }
  } finally {
    await browser?.close().catch(() => {});
    await server?.stop();
    if (failed && server && !verbose) fs.writeFileSync(path.join(screenshotDir, 'server.log'), server.output());
    fs.rmSync(scratch, { recursive: true, force: true });
  }
  console.log(
    `test-menus: ${failed === 0 ? 'passed' : `FAILED (${failed})`} in ${((Date.now() - started) / 1000).toFixed(1)} s${failed ? `; screenshots in ${screenshotDir}` : ''}`,
  );
  return failed === 0 ? 0 : 1;
}

runScript('test-menus', TOTAL_TIMEOUT_MS, main);
