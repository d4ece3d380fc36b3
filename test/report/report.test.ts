/**
 * The standalone HTML report in a real browser: builds the webview bundle, writes reports of the
 * committed fixture runs with `misas report`, opens them from file:// in headless Chromium
 * (playwright-core driving Debian's /usr/bin/chromium, or MISAS_E2E_CHROMIUM) and checks what is
 * drawn against numbers computed here from the fixture's rows. Screenshots (light and dark) go
 * to MISAS_REPORT_SCREENSHOTS or <tmp>/misas-report-screenshots.
 */
import * as assert from 'node:assert/strict';
import { cp, mkdir, mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as esbuild from 'esbuild';
import { decode } from 'fast-png';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import type { MetricName } from '../../src/engine/metrics/types';
import { CSV_COLUMNS, resultsFromJson, type RunResults } from '../../src/engine/report/results';
import { checksToShow } from '../../src/engine/sweep/analysis/baselineCheck';
import { parseWebviewMessage } from '../../src/protocol/webview';
import { webviewHtml } from '../../src/extension/webviewHtml';
import { misas } from '../helpers/cli';

const ROOT = join(import.meta.dirname, '..', '..');
const FIXTURES = join(import.meta.dirname, 'fixtures');
// The same variable as the workbench suites (scripts/e2e/paths.mjs): one way to name the browser.
const CHROMIUM = process.env.MISAS_E2E_CHROMIUM || '/usr/bin/chromium';
const SCREENSHOTS = process.env.MISAS_REPORT_SCREENSHOTS ?? join(tmpdir(), 'misas-report-screenshots');
const CHROMIUM_FLAGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
];

/**
 * Builds dist/webview.js and dist/webview.css as scripts/build.mjs does (same entry and
 * options), without the other bundles, so half-finished work elsewhere cannot break this test.
 */
async function buildWebview(): Promise<void> {
  await esbuild.build({
    entryPoints: [join(ROOT, 'webview-ui', 'main.ts')],
    outfile: join(ROOT, 'dist', 'webview.js'),
    bundle: true,
    sourcemap: true,
    legalComments: 'linked',
    platform: 'browser',
    target: 'es2022',
    format: 'iife',
    logLevel: 'silent',
  });
}

/** Points of the main line the chart must draw: mean over inputs where every input has the value, finite. */
function expectedPoints(results: RunResults, seriesIndex: number, metric: MetricName, className: string): number {
  const rows = results.series[seriesIndex].rows;
  const inputs = new Set(rows.map((r) => r.input)).size;
  let count = 0;
  for (const value of new Set(rows.map((r) => r.value))) {
    const at = rows.filter((r) => r.value === value);
    if (at.length !== inputs) continue;
    const scores = at.map((r) => r.metrics[metric]?.[className] ?? null).filter((v): v is number => v !== null);
    if (scores.length > 0 && scores.every(Number.isFinite)) count++;
  }
  return count;
}

/** Points in an SVG path: one per M or L command (d3's linear curve). */
function pathPoints(d: string): number {
  return (d.match(/[ML]/g) ?? []).length;
}

interface PageProblems {
  errors: string[];
  requests: string[];
}

/** Page script (a string: tsx would add helpers to a function) turning CSP violations into console errors. */
const REPORT_CSP_VIOLATIONS = `
  document.addEventListener('securitypolicyviolation', (event) => console.error('CSP violation: ' + event.violatedDirective + ' ' + event.blockedURI));
`;

const openContexts = new Set<BrowserContext>();

async function openReport(
  browser: Browser,
  file: string,
  colorScheme: 'light' | 'dark' = 'light',
): Promise<{ page: Page; problems: PageProblems }> {
  const context = await browser.newContext({
    viewport: { width: 1280, height: 900 },
    colorScheme,
    acceptDownloads: true,
  });
  openContexts.add(context);
  const page = await context.newPage();
  const problems: PageProblems = { errors: [], requests: [] };
  page.on('console', (message) => {
    if (message.type() === 'error' || message.type() === 'warning')
      problems.errors.push(`${message.type()}: ${message.text()}`);
  });
  page.on('pageerror', (error) => problems.errors.push(`page error: ${error.message}`));
  page.on('request', (request) => {
    if (!/^(data|blob):/.test(request.url()) && request.url() !== `file://${file}`)
      problems.requests.push(request.url());
  });
  await page.addInitScript(REPORT_CSP_VIOLATIONS);
  await page.goto(`file://${file}`);
  await page.waitForSelector('.card svg.chart');
  return { page, problems };
}

/** Main lines of one view (a model of a run: 0 = the run shown, or its first model). */
function mainPaths(page: Page, seriesName: string, view = 0) {
  return page.locator(`.card[data-series="${seriesName}"] path.line.main[data-view="${view}"]`);
}

async function classesDrawn(page: Page, seriesName: string): Promise<string[]> {
  return mainPaths(page, seriesName).evaluateAll((paths) => paths.map((p) => p.getAttribute('data-class')!).sort());
}

/** Checks every card's main lines: one per shown class, with the expected number of points. */
async function checkLines(page: Page, results: RunResults, metric: MetricName, shown: string[]): Promise<void> {
  for (let s = 0; s < results.series.length; s++) {
    const name = results.series[s].name;
    assert.deepEqual(await classesDrawn(page, name), [...shown].sort(), `${name}: one main line per shown class`);
    for (const className of shown) {
      const path = mainPaths(page, name).and(page.locator(`[data-class="${className}"]`));
      const d = (await path.getAttribute('d')) ?? '';
      const expected = expectedPoints(results, s, metric, className);
      assert.equal(pathPoints(d), expected, `${name} ${className} ${metric}: points in the path`);
      const dots = page.locator(`.card[data-series="${name}"] circle.dot:not(.off-scale)[data-class="${className}"]`);
      assert.equal(await dots.count(), expected, `${name} ${className} ${metric}: point markers`);
    }
  }
}

/** Pixels close to a colour in a PNG screenshot (proves the class colours of that theme were drawn). */
function pixelsNear(png: Uint8Array, hex: string): number {
  const image = decode(png);
  const [r, g, b] = [1, 3, 5].map((i) => parseInt(hex.slice(i, i + 2), 16));
  const step = image.channels;
  let count = 0;
  for (let i = 0; i < image.data.length; i += step) {
    if (Math.abs(image.data[i] - r) + Math.abs(image.data[i + 1] - g) + Math.abs(image.data[i + 2] - b) < 30) count++;
  }
  return count;
}

describe('standalone HTML report in headless Chromium', function () {
  this.timeout(180_000);
  let browser: Browser;
  let work: string;
  let twoInputs: RunResults;
  let single: string;
  let compared: string;
  let dataset: RunResults;
  let datasetReport: string;
  let baseline: RunResults;
  let baselineReport: string;

  before(async () => {
    await buildWebview();
    work = await mkdtemp(join(tmpdir(), 'misas-report-test-'));
    twoInputs = resultsFromJson(await readFile(join(FIXTURES, 'two-inputs', 'results.json'), 'utf8'));
    // Default output: <run-dir>/report.html.
    const runDir = join(work, 'run');
    await cp(join(FIXTURES, 'two-inputs'), runDir, { recursive: true });
    assert.equal((await misas('report', runDir)).code, 0);
    single = join(runDir, 'report.html');
    compared = join(work, 'compare.html');
    assert.equal(
      (
        await misas(
          'report',
          join(FIXTURES, 'two-inputs'),
          '--html',
          compared,
          '--compare',
          join(FIXTURES, 'one-input'),
        )
      ).code,
      0,
    );
    dataset = resultsFromJson(await readFile(join(FIXTURES, 'dataset', 'results.json'), 'utf8'));
    datasetReport = join(work, 'dataset.html');
    assert.equal((await misas('report', join(FIXTURES, 'dataset'), '--html', datasetReport)).code, 0);
    baseline = resultsFromJson(await readFile(join(FIXTURES, 'baseline', 'results.json'), 'utf8'));
    baselineReport = join(work, 'baseline.html');
    assert.equal((await misas('report', join(FIXTURES, 'baseline'), '--html', baselineReport)).code, 0);
    browser = await chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_FLAGS });
    await mkdir(SCREENSHOTS, { recursive: true });
  });

  afterEach(async () => {
    await Promise.all([...openContexts].map((context) => context.close()));
    openContexts.clear();
  });

  after(async () => {
    await browser?.close();
  });

  it('draws one card per series and one line per shown class with the right points; background hidden by default', async () => {
    const { page, problems } = await openReport(browser, single);
    assert.deepEqual(
      await page.locator('.card').evaluateAll((cards) => cards.map((c) => c.getAttribute('data-series'))),
      twoInputs.series.map((s) => s.name),
    );
    await checkLines(page, twoInputs, 'dice', twoInputs.classes.slice(1));
    assert.equal(await page.locator('.legend-item[data-class="background"]').getAttribute('aria-pressed'), 'false');
    // Two inputs: a faint line per input and shown class, under the mean.
    assert.equal(await page.locator(`.card[data-series="rotate"] path.line.detail`).count(), 2 * 3);
    assert.equal(await page.locator('.run-header h1').textContent(), 'report-fixture');
    assert.equal(
      await page.locator('.notice.warning:not(.baseline-checks)').count(),
      0,
      'ground truth was given: no pseudo-truth warning',
    );
    assert.equal(
      await page.locator('.viewer, #overlay-mode').count(),
      0,
      'no overlay viewer: a report has no engine to compute frames',
    );
    assert.deepEqual(problems, { errors: [], requests: [] });
  });

  it('shades the tolerance interval, marks the identity and uses categorical and log axes', async () => {
    const { page, problems } = await openReport(browser, single);
    assert.ok((await page.locator('rect.band').count()) >= 1, 'a shared tolerance band');
    // One strip per shown class with an interval (a class failing at baseline has none).
    const spikeIntervals = twoInputs.series
      .find((x) => x.name === 'spike')!
      .summaries.filter(
        (x) => x.input === 'mean' && x.metric === 'dice' && x.className !== 'background' && x.tolerance !== null,
      );
    assert.equal(
      await page.locator('.card[data-series="spike"] rect.strip').count(),
      spikeIntervals.length,
      'one tolerance strip per shown class with an interval',
    );
    assert.equal(await page.locator('.card[data-series="rotate"] .identity-line').count(), 1);
    const dihedralTicks = await page
      .locator('.card[data-series="dihedral"] text.x-tick:not(.detail)')
      .allTextContents();
    assert.deepEqual(dihedralTicks, ['k=0', 'k=1', 'k=2', 'k=3', 'k=4', 'k=5', 'k=6', 'k=7']);
    // Log axis: 0.25 → 1 and 1 → 4 are the same factor, so the same distance.
    const xs = await page
      .locator('.card[data-series="brightness"] circle.dot[data-class="cortex"]')
      .evaluateAll((dots) => dots.map((d) => Number(d.getAttribute('cx'))));
    const values = [...new Set(twoInputs.series.find((s) => s.name === 'brightness')!.rows.map((r) => r.value))].sort(
      (a, b) => a - b,
    );
    const at = (v: number) => xs[values.indexOf(v)];
    assert.ok(Math.abs(at(1) - at(0.25) - (at(4) - at(1))) < 0.5, `log spacing: ${at(0.25)} ${at(1)} ${at(4)}`);
    assert.ok(Math.abs(at(2) - at(1) - (at(4) - at(2))) < 0.5);
    assert.deepEqual(problems, { errors: [], requests: [] });
  });

  it('toggles classes from the legend with the mouse and the keyboard', async () => {
    const { page, problems } = await openReport(browser, single);
    const cortex = page.locator('.legend-item[data-class="cortex"]');
    await cortex.click();
    assert.equal(await cortex.getAttribute('aria-pressed'), 'false');
    assert.deepEqual(await classesDrawn(page, 'rotate'), ['cerebellum', 'deep_gm']);
    assert.equal(await page.locator('.card[data-series="rotate"] .sentences li').count(), 2);
    await page.keyboard.press('Space');
    assert.equal(
      await cortex.getAttribute('aria-pressed'),
      'true',
      'the legend button keeps focus and toggles with Space',
    );
    await page.locator('.legend-item[data-class="background"]').focus();
    await page.keyboard.press('Enter');
    assert.deepEqual(await classesDrawn(page, 'rotate'), ['background', 'cerebellum', 'cortex', 'deep_gm']);
    assert.deepEqual(problems, { errors: [], requests: [] });
  });

  it('switches the metric with the selector (HD95: infinite distances off the scale)', async () => {
    const { page, problems } = await openReport(browser, single);
    await page.locator('#metric-select').click();
    await page.getByRole('option', { name: 'HD95' }).click();
    await page.waitForFunction(
      () => document.querySelector('.card .axis-label:last-of-type')?.textContent === 'HD95 (mm)',
    );
    await checkLines(page, twoInputs, 'hd95', twoInputs.classes.slice(1));
    assert.ok((await page.locator('circle.dot.off-scale').count()) > 0, 'the fixture has infinite HD95 values');
    assert.deepEqual(problems, { errors: [], requests: [] });
  });

  it('shows values on hover and with the arrow keys', async () => {
    const { page, problems } = await openReport(browser, single);
    const chart = page.locator('.card[data-series="rotate"] svg.chart');
    await chart.focus();
    await page.keyboard.press('Home');
    const tooltip = page.locator('.card[data-series="rotate"] .tooltip');
    assert.equal(await tooltip.isVisible(), true);
    assert.match((await tooltip.locator('.tooltip-heading').textContent())!, /rotate = −90°/);
    const rotate = twoInputs.series[0].rows.filter((r) => r.value === -90).map((r) => r.metrics.dice!.cortex!);
    const mean = (rotate[0] + rotate[1]) / 2;
    const cortexRow = tooltip.locator('.tooltip-row', { hasText: 'cortex' });
    assert.equal(await cortexRow.locator('.tooltip-value').textContent(), mean.toFixed(3));
    const box = (await chart.boundingBox())!;
    await page.mouse.move(box.x + box.width - 20, box.y + box.height / 2);
    assert.match((await tooltip.locator('.tooltip-heading').textContent())!, /rotate = 90°/);
    assert.deepEqual(problems, { errors: [], requests: [] });
  });

  it('exports the run as CSV and JSON and a chart as SVG and PNG (downloads)', async () => {
    const { page, problems } = await openReport(browser, single);
    const download = async (selector: string) => {
      const [file] = await Promise.all([page.waitForEvent('download'), page.locator(selector).click()]);
      return { name: file.suggestedFilename(), bytes: await readFile((await file.path())!) };
    };
    const csv = await download('#export-run-csv');
    assert.equal(csv.name, 'report-fixture-results.csv');
    const lines = csv.bytes.toString('utf8').trimEnd().split('\n');
    assert.equal(lines[0], CSV_COLUMNS.join(','));
    assert.equal(
      lines.length - 1,
      twoInputs.series.reduce((n, s) => n + s.rows.length, 0) * twoInputs.metrics.length * twoInputs.classes.length,
    );
    const json = await download('#export-run-json');
    assert.deepEqual(resultsFromJson(json.bytes.toString('utf8')), twoInputs);
    const svg = await download('#export-svg-0');
    assert.equal(svg.name, 'report-fixture-rotate-dice.svg');
    const svgText = svg.bytes.toString('utf8');
    assert.match(svgText, /^<\?xml/);
    assert.doesNotMatch(svgText, /var\(--/, 'colours are resolved in the exported SVG');
    assert.equal(
      (svgText.match(/<path /g) ?? []).length,
      3 + 6 + 3,
      'three mean lines, six per-input lines and three SD bands',
    );
    for (const caption of ['rotate · Dice', '>cortex<', '>deep_gm<', '>cerebellum<'])
      assert.ok(svgText.includes(caption), `the exported chart has its title and legend: ${caption}`);
    assert.ok(!svgText.includes('>background<'), 'hidden classes are not in the legend');
    const png = await download('#export-png-0');
    const image = decode(png.bytes);
    assert.deepEqual(
      [image.width, image.height],
      [2 * Number(await page.locator('.card[data-series="rotate"] svg.chart').getAttribute('width')), 2 * (280 + 30)],
      'chart and caption at 2×',
    );
    assert.ok(pixelsNear(png.bytes, '#0072b2') > 100, 'the cortex line is in the PNG');
    assert.deepEqual(problems, { errors: [], requests: [] });
  });

  it('compares runs of the same experiment with a dashed line per run', async () => {
    const { page, problems } = await openReport(browser, compared);
    assert.equal(await page.locator('.compare-legend .run-item').count(), 2);
    const dashed = mainPaths(page, 'rotate', 1);
    assert.equal(await dashed.count(), 3);
    assert.ok(
      (await dashed.evaluateAll((paths) => paths.map((p) => p.getAttribute('stroke-dasharray')))).every(
        (d) => d && d.length > 0,
      ),
    );
    assert.equal(await mainPaths(page, 'rotate', 0).first().getAttribute('stroke-dasharray'), null);
    assert.deepEqual(problems, { errors: [], requests: [] });
  });

  it('shows a dataset run with two models: both models, the dataset size and its problems in the header', async () => {
    const { page, problems } = await openReport(browser, datasetReport);
    const models = await page.locator('.facts .model-item').allTextContents();
    assert.equal(models.length, dataset.models.length);
    dataset.models.forEach((model, i) => {
      assert.ok(models[i].includes(model.label), models[i]);
      assert.ok(models[i].includes(model.sha256.slice(0, 12)), `${models[i]}: short hash`);
    });
    const groups = [...new Set(dataset.inputs.map((input) => input.group))].sort();
    assert.equal(
      await page.locator('.dataset-counts').textContent(),
      `${dataset.inputs.length} inputs · ${groups.length} groups (${groups.join(', ')}) · ${dataset.problems.length} problem`,
    );
    const problem = page.locator('.problem-item');
    assert.equal(await problem.isVisible(), false, 'problems are folded away');
    await page.locator('.problems-details summary').click();
    assert.equal(await problem.count(), dataset.problems.length);
    const file = dataset.problems[0].file.split('/').at(-1)!;
    assert.equal(await problem.first().textContent(), `${file} — ${dataset.problems[0].problem} skipped`);
    assert.equal(await page.locator('.compare-legend h2').textContent(), 'Models');
    assert.equal(await page.locator('.compare-legend .run-item').count(), 2);
    assert.deepEqual(problems, { errors: [], requests: [] });
  });

  it('draws the mean ± SD band where the rows put it, and the other model as a dashed line', async () => {
    const { page, problems } = await openReport(browser, datasetReport);
    const card = '.card[data-series="rotate"]';
    assert.equal(await page.locator(`${card} path.spread-band`).count(), 3, 'one band per shown class');
    const band = page.locator(`${card} path.spread-band[data-class="cortex"]`);
    assert.equal(await band.getAttribute('data-spread'), 'sd');
    const rows = dataset.series[0].rows.filter((r) => r.model === 0);
    const values = [...new Set(rows.map((r) => r.value))].sort((a, b) => a - b);
    const stats = values.map((v) => {
      const xs = rows.filter((r) => r.value === v).map((r) => r.metrics.dice!.cortex!);
      const m = xs.reduce((a, b) => a + b, 0) / xs.length;
      return { m, sd: Math.sqrt(xs.reduce((a, x) => a + (x - m) ** 2, 0) / (xs.length - 1)) };
    });
    // The mean's markers fix the pixel mapping y = a·value + b; the band's edges must follow it.
    const cys = await page
      .locator(`${card} circle.dot[data-class="cortex"]`)
      .evaluateAll((dots) => dots.map((d) => Number(d.getAttribute('cy'))));
    assert.equal(cys.length, values.length);
    const [lo, hi] = [
      stats.indexOf(stats.reduce((a, b) => (a.m < b.m ? a : b))),
      stats.indexOf(stats.reduce((a, b) => (a.m > b.m ? a : b))),
    ];
    const a = (cys[hi] - cys[lo]) / (stats[hi].m - stats[lo].m);
    const b = cys[lo] - a * stats[lo].m;
    const coords = [...((await band.getAttribute('d')) ?? '').matchAll(/[ML](-?[\d.]+),(-?[\d.]+)/g)].map((m) =>
      Number(m[2]),
    );
    assert.equal(coords.length, 2 * values.length, 'upper edge left to right, lower edge back');
    stats.forEach(({ m, sd }, k) => {
      assert.ok(
        Math.abs(coords[k] - (a * (m + sd) + b)) < 0.05,
        `mean + SD at ${values[k]}: ${coords[k]} vs ${a * (m + sd) + b}`,
      );
      assert.ok(Math.abs(coords[2 * values.length - 1 - k] - (a * (m - sd) + b)) < 0.05, `mean − SD at ${values[k]}`);
    });
    const other = mainPaths(page, 'rotate', 1);
    assert.equal(await other.count(), 3, 'the second model’s mean per shown class');
    assert.ok(
      (await other.evaluateAll((paths) => paths.map((p) => p.getAttribute('stroke-dasharray')))).every(
        (d) => d && d.length > 0,
      ),
    );
    assert.equal(await mainPaths(page, 'rotate', 0).first().getAttribute('stroke-dasharray'), null);
    assert.equal(
      await page.locator(`${card} path.line.detail`).count(),
      4 * 3,
      'a faint line per input and shown class',
    );
    assert.deepEqual(problems, { errors: [], requests: [] });
  });

  it('tabulates the tolerance intervals by model with the widest in bold', async () => {
    const { page, problems } = await openReport(browser, datasetReport);
    assert.deepEqual(await page.locator('.model-table thead th').allTextContents(), [
      'Series',
      'Class',
      ...dataset.models.map((m) => m.label),
    ]);
    const rows = page.locator('.model-table tbody tr');
    assert.equal(await rows.count(), dataset.series.length * (dataset.classes.length - 1));
    const number = (v: number) => String(Number(v.toPrecision(3))).replace('-', '\u2212');
    for (let r = 0; r < (await rows.count()); r++) {
      const row = rows.nth(r);
      const seriesName = await row.getAttribute('data-series');
      const series = dataset.series.find((x) => x.name === seriesName)!;
      const className = (await row.getAttribute('data-class'))!;
      const cells = row.locator('td.interval');
      const intervals = dataset.models.map(
        (_, model) =>
          series.summaries.find(
            (x) =>
              x.model === model &&
              x.input === 'mean' &&
              x.group === undefined &&
              x.metric === 'dice' &&
              x.className === className,
          )!.tolerance,
      );
      const width = (i: [number, number] | null) =>
        i === null ? -Infinity : series.scale === 'log' ? Math.log(i[1] / i[0]) : i[1] - i[0];
      const widest = Math.max(...intervals.map(width));
      for (const [model, interval] of intervals.entries()) {
        const unit = series.unit === '°' ? '°' : ` ${series.unit}`;
        const one = (v: number) => `${series.identity[0] === 0 && v > 0 ? '+' : ''}${number(v)}${unit}`;
        const text =
          interval === null
            ? 'none'
            : interval[0] === interval[1]
              ? `${one(interval[0])} only`
              : `${one(interval[0])} … ${one(interval[1])}`;
        assert.equal(await cells.nth(model).textContent(), text, `${series.name} ${className} model ${model}`);
        assert.equal(
          await cells.nth(model).evaluate((td) => td.classList.contains('best')),
          width(interval) === widest && widest > -Infinity,
          `${series.name} ${className} model ${model} emphasis`,
        );
      }
    }
    assert.deepEqual(problems, { errors: [], requests: [] });
  });

  it('lists the inputs worst first and highlights a picked input on every chart (mouse and keyboard)', async () => {
    const { page, problems } = await openReport(browser, datasetReport);
    const inputs = [...new Set(dataset.series[0].rows.map((r) => r.input))];
    const score = (input: number) => {
      const naucs = dataset.series
        .flatMap((x) => x.summaries)
        .filter(
          (x) =>
            x.model === 0 &&
            x.input === input &&
            x.metric === 'dice' &&
            x.className !== 'background' &&
            x.nauc !== null,
        )
        .map((x) => x.nauc!);
      return naucs.reduce((a, b) => a + b, 0) / naucs.length;
    };
    const order = [...inputs].sort((a, b) => score(a) - score(b) || a - b);
    const items = page.locator('.input-list .input-item');
    assert.deepEqual(
      await items.locator('.input-label').allTextContents(),
      order.map((i) => dataset.inputs[i].label),
    );
    assert.deepEqual(
      await items.locator('.input-score').allTextContents(),
      order.map((i) => score(i).toFixed(3)),
    );
    const focusLines = (input: number) => page.locator(`path.line.focus[data-input="${input}"]`);
    await items.nth(1).click();
    assert.equal(await items.nth(1).getAttribute('aria-pressed'), 'true');
    assert.equal(await focusLines(order[1]).count(), dataset.series.length * 3, 'on every chart, one per shown class');
    assert.equal(await page.locator(`path.line.detail[data-input="${order[1]}"]`).count(), 0);
    // Keyboard: Tab order reaches the list; Enter picks, Space on the picked one clears.
    await items.nth(0).focus();
    await page.keyboard.press('Enter');
    assert.deepEqual(
      await items.evaluateAll((buttons) => buttons.map((b) => b.getAttribute('aria-pressed'))),
      order.map((_, i) => String(i === 0)),
    );
    assert.equal(await focusLines(order[0]).count(), dataset.series.length * 3);
    assert.equal(await focusLines(order[1]).count(), 0);
    await page.keyboard.press('Space');
    assert.equal(await page.locator('path.line.focus').count(), 0);
    assert.deepEqual(problems, { errors: [], requests: [] });
  });

  it('switches the band to median + IQR and the per-input display to box plots or none', async () => {
    const { page, problems } = await openReport(browser, datasetReport);
    const card = '.card[data-series="rotate"]';
    await page.locator('#spread-select').click();
    await page.getByRole('option', { name: 'Median + IQR' }).click();
    assert.equal(
      await page.locator(`${card} path.spread-band[data-class="cortex"]`).getAttribute('data-spread'),
      'iqr',
    );
    assert.equal(await mainPaths(page, 'rotate').first().getAttribute('data-input'), 'median');
    assert.match((await page.locator('#spread-note').textContent())!, /interquartile range/);
    await page.locator('#per-input').click();
    await page.getByRole('option', { name: 'Box plots' }).click();
    const values = [...new Set(dataset.series[0].rows.map((r) => r.value))].sort((a, b) => a - b);
    assert.equal(await page.locator(`${card} g.box`).count(), values.length * 3, 'a box per value and shown class');
    assert.equal(await page.locator(`${card} path.line.detail`).count(), 0);
    assert.match(
      (await page.locator(`${card} g.box title`).first().textContent())!,
      /median .* box Q1–Q3 .* whiskers min–max/,
    );
    // The box's median line sits on the median line's marker at the same value.
    const medianDots = await page
      .locator(`${card} circle.dot[data-class="cortex"]`)
      .evaluateAll((dots) => dots.map((d) => Number(d.getAttribute('cy'))));
    const boxMedians = await page
      .locator(`${card} g.box[data-class="cortex"] line.box-median`)
      .evaluateAll((lines) => lines.map((l) => Number(l.getAttribute('y1'))));
    medianDots.forEach((cy, i) => assert.ok(Math.abs(cy - boxMedians[i]) < 0.02, `median at ${values[i]}`));
    await page.locator('#per-input').click();
    await page.getByRole('option', { name: 'None' }).click();
    assert.equal(await page.locator(`${card} g.box, ${card} path.line.detail`).count(), 0);
    assert.equal(await page.locator(`${card} path.spread-band`).count(), 3, 'the band stays');
    assert.deepEqual(problems, { errors: [], requests: [] });
  });

  it('narrows charts and the input list to a group, and puts the other model in focus', async () => {
    const { page, problems } = await openReport(browser, datasetReport);
    const card = '.card[data-series="rotate"]';
    await page.locator('#group-select').click();
    await page.getByRole('option', { name: 'superior' }).click();
    const superior = dataset.inputs.filter((i) => i.group === 'superior').map((i) => String(i.input));
    const drawn = await page
      .locator(`${card} path.line.detail`)
      .evaluateAll((paths) => [...new Set(paths.map((p) => p.getAttribute('data-input')))]);
    assert.deepEqual(drawn.sort(), superior);
    assert.equal(await page.locator('.input-list .input-item').count(), superior.length);
    assert.match((await page.locator('#spread-note').textContent())!, /group superior/);
    await page.locator('#model-select').click();
    await page.getByRole('option', { name: dataset.models[1].label }).click();
    assert.equal(
      await page.locator(`${card} path.line.main.compared[data-view="0"]`).count(),
      3,
      'the first model is now the compared line',
    );
    assert.ok(
      (
        await page
          .locator(`${card} path.line.detail`)
          .evaluateAll((paths) => paths.map((p) => p.getAttribute('data-view')))
      ).every((v) => v === '1'),
    );
    assert.match(
      (await page.locator('.input-list .caption').textContent())!,
      new RegExp(`Model: ${dataset.models[1].label}`),
    );
    assert.deepEqual(problems, { errors: [], requests: [] });
  });

  it('puts the baseline warnings on top: classes failing at baseline and the convention hint (a real run with a wrong card and a transposed slice)', async () => {
    const { page, problems } = await openReport(browser, baselineReport);
    const banner = page.getByRole('region', { name: 'Check the baseline first' });
    assert.equal(await banner.count(), 1);
    // Right under the title, before the facts about the run.
    assert.ok(
      await page.locator('.run-header').evaluate((header) => {
        const children = [...header.children];
        return (
          children.indexOf(header.querySelector('.baseline-checks')!) ===
          children.indexOf(header.querySelector('.title-row')!) + 1
        );
      }),
    );
    const shown = checksToShow(baseline.baselineChecks!);
    assert.deepEqual(
      await banner.locator('li').allTextContents(),
      shown.map((c) => c.message),
    );
    // The real numbers: deep_gm's baseline Dice of each model over the inputs whose truth has it.
    for (const model of [0, 1]) {
      const present = baseline.baselines.filter((b) => b.model === model && b.inTruth!.includes('deep_gm'));
      const mean = present.reduce((sum, b) => sum + b.metrics.dice!.deep_gm!, 0) / present.length;
      assert.ok(mean < 0.5);
      assert.ok(
        shown.some(
          (c) =>
            c.kind === 'fails-at-baseline' &&
            c.model === model &&
            c.input === 'mean' &&
            c.message.includes(`fails at baseline (Dice ${mean.toFixed(2)})`),
        ),
        `model ${model}: deep_gm ${mean}`,
      );
    }
    assert.ok(
      shown.some((c) => c.kind === 'convention' && c.series === 'dihedral'),
      'the transposed slice: a dihedral value beats the identity',
    );
    assert.match((await banner.textContent()) ?? '', /misas fit <model> <image> --mask <mask>/);
    // The banner uses the warning colours of the theme.
    assert.equal(await banner.evaluate((el) => getComputedStyle(el).borderLeftColor), 'rgb(184, 149, 0)');
    // The sentences and the table say "fails at baseline" for deep_gm, never an interval or "never breaks".
    const sentences = await page.locator('.card[data-series="dihedral"] .sentences li').allTextContents();
    const deepGm = sentences.filter((text) => text.startsWith('deep_gm'));
    assert.ok(
      deepGm.length > 0 &&
        deepGm.every((text) => /fails at baseline \(Dice \d\.\d\d\); no tolerance computed$/.test(text)),
      deepGm.join(' | '),
    );
    const cells = page.locator('.model-table tbody tr[data-series="rotate"][data-class="deep_gm"] td.interval');
    assert.deepEqual(
      await cells.allTextContents(),
      [0, 1].map(
        (model) =>
          `fails at baseline (Dice ${baseline.series[1].summaries.find((x) => x.model === model && x.input === 'mean' && x.metric === 'dice' && x.className === 'deep_gm')!.failsAtBaseline!.dice.toFixed(2)})`,
      ),
    );
    assert.equal(
      await page.locator('.card[data-series="dihedral"] rect.strip[data-class="deep_gm"]').count(),
      0,
      'no tolerance strip for a class failing at baseline',
    );
    for (const scheme of ['light', 'dark'] as const) {
      const themed = await openReport(browser, baselineReport, scheme);
      await themed.page
        .locator('.baseline-checks')
        .screenshot({ path: join(SCREENSHOTS, `baseline-banner-${scheme}.png`) });
      assert.deepEqual(themed.problems, { errors: [], requests: [] });
    }
    assert.deepEqual(problems, { errors: [], requests: [] });
  });

  it('follows the light and dark colour schemes (screenshots)', async () => {
    const expectations = {
      light: { background: 'rgb(255, 255, 255)', cortex: '#0072b2' },
      dark: { background: 'rgb(31, 31, 31)', cortex: '#4aa8e8' },
    } as const;
    for (const scheme of ['light', 'dark'] as const) {
      for (const [name, file] of [
        ['report', single],
        ['compare', compared],
        ['dataset', datasetReport],
      ] as const) {
        const { page, problems } = await openReport(browser, file, scheme);
        assert.equal(
          await page.evaluate(() => getComputedStyle(document.body).backgroundColor),
          expectations[scheme].background,
        );
        const path = join(SCREENSHOTS, `${name}-${scheme}.png`);
        const png = await page.screenshot({ path, fullPage: true });
        assert.ok(pixelsNear(png, expectations[scheme].cortex) > 500, `${path}: cortex lines in the ${scheme} palette`);
        assert.deepEqual(problems, { errors: [], requests: [] });
      }
    }
  });
});

/**
 * The same bundle as a VS Code webview would load it: webviewHtml's strict CSP, a stand-in
 * acquireVsCodeApi that records posted messages and keeps the state, results sent by message
 * after the `ready` handshake.
 */
const STAND_IN_VSCODE_API = `
  window.posted = [];
  window.savedState = JSON.parse(sessionStorage.getItem('state') || 'null');
  // Overlay frames as the extension answers them: 8×6 pixels; the prediction's class-1 band
  // moves with the value, so frames of neighbouring values differ. Series "spike" fails.
  const answerFrame = (m) => setTimeout(() => {
    if (m.series === 'spike') return window.postMessage({ type: 'error', requestId: m.requestId, message: 'No overlay frames in Restricted Mode.' }, '*');
    const w = 8, h = 6;
    const image = new Float32Array(w * h).map((_, i) => i);
    const truth = new Uint8Array(w * h).map((_, i) => (i % w < 4 ? 1 : 2));
    const shift = Math.abs(Math.round(m.value * 7)) % w;
    const prediction = new Uint8Array(w * h).map((_, i) => (((i % w) + shift) % w < 4 ? 1 : 3));
    window.postMessage({ type: 'frame', requestId: m.requestId, width: w, height: h, image: image.buffer, truth: truth.buffer, prediction: prediction.buffer, range: [0, w * h - 1], pseudoTruth: m.input === 1 }, '*');
  }, 5);
  window.acquireVsCodeApi = () => ({
    postMessage: (message) => {
      window.posted.push(message);
      if (message.type === 'frame') answerFrame(message);
    },
    getState: () => window.savedState,
    setState: (state) => {
      window.savedState = state;
      sessionStorage.setItem('state', JSON.stringify(state));
    },
  });
`;

describe('results panel as a webview (strict CSP, messages, state)', function () {
  this.timeout(180_000);
  let browser: Browser;
  let page: Page;
  let problems: PageProblems;
  let file: string;

  before(async () => {
    await buildWebview();
    const dir = await mkdtemp(join(tmpdir(), 'misas-webview-test-'));
    file = join(dir, 'panel.html');
    const html = webviewHtml({
      scriptUri: `file://${ROOT}/dist/webview.js`,
      styleUri: `file://${ROOT}/dist/webview.css`,
      cspSource: 'file:',
      nonce: 'testNonce0123456789abcdef',
    });
    await writeFile(file, html);
    browser = await chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_FLAGS });
    const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
    // A string, not a function: tsx's transform would add helpers the page does not have.
    await context.addInitScript(STAND_IN_VSCODE_API + REPORT_CSP_VIOLATIONS);
    page = await context.newPage();
    problems = { errors: [], requests: [] };
    page.on('console', (message) => {
      if (message.type() === 'error' || message.type() === 'warning')
        problems.errors.push(`${message.type()}: ${message.text()}`);
    });
    page.on('pageerror', (error) => problems.errors.push(`page error: ${error.message}`));
    page.on('request', (request) => {
      if (
        !/^(data|blob):/.test(request.url()) &&
        !request.url().startsWith(`file://${ROOT}/dist/webview.`) &&
        request.url() !== `file://${file}`
      )
        problems.requests.push(request.url());
    });
  });

  after(async () => {
    await browser?.close();
  });

  async function load(fixture = 'two-inputs'): Promise<void> {
    await page.goto(`file://${file}`);
    await page.waitForFunction(() =>
      (window as unknown as { posted: Array<{ type: string }> }).posted.some((m) => m.type === 'ready'),
    );
    const primary = await readFile(join(FIXTURES, fixture, 'results.json'), 'utf8');
    await page.evaluate((text) => window.postMessage({ type: 'results', primary: text, compare: [] }, '*'), primary);
    await page.waitForSelector('.card svg.chart');
  }

  it('says ready, renders the results it is sent, and loads nothing but its own files', async () => {
    await load();
    const posted = await page.evaluate(() => (window as unknown as { posted: unknown[] }).posted);
    assert.deepEqual(parseWebviewMessage(posted[0]), { type: 'ready', protocol: 1 });
    assert.equal(await page.locator('.card').count(), 4);
    assert.deepEqual(await classesDrawn(page, 'rotate'), ['cerebellum', 'cortex', 'deep_gm']);
    assert.deepEqual(problems, { errors: [], requests: [] });
    // The CSP is in force (so "no violations" above means something): an inline style is refused.
    await page.evaluate(() => document.body.insertAdjacentHTML('beforeend', '<div style="color: red"></div>'));
    await new Promise((resolve) => setTimeout(resolve, 200));
    const { errors } = problems as PageProblems;
    assert.ok(
      errors.some((e) => e.includes('CSP violation: style-src')),
      errors.join('\n'),
    );
    errors.length = 0;
  });

  it('keeps the chosen classes and metric in the webview state, across a reload', async () => {
    await load();
    await page.locator('.legend-item[data-class="deep_gm"]').click();
    await page.locator('#metric-select').click();
    await page.getByRole('option', { name: 'HD95' }).click();
    // The select reports its change on its own schedule: wait for the state, not for the click.
    await page.waitForFunction(
      () =>
        (window as unknown as { savedState?: { metric?: string; hiddenClasses?: string[] } }).savedState?.metric ===
        'hd95',
    );
    const state = await page.evaluate(() => (window as unknown as { savedState: unknown }).savedState);
    assert.deepEqual(state, {
      metric: 'hd95',
      hiddenClasses: ['background', 'deep_gm'],
      perInput: 'lines',
      spread: 'sd',
      model: 0,
      group: null,
      focusInput: null,
      overlayMode: 'fill',
      overlayOpacity: 0.45,
    });
    await load();
    assert.deepEqual(await classesDrawn(page, 'rotate'), ['cerebellum', 'cortex']);
    assert.equal(await page.locator('.card[data-series="rotate"] .axis-label').last().textContent(), 'HD95 (mm)');
    assert.deepEqual(problems, { errors: [], requests: [] });
  });

  it('asks the host to save exports (PNG bytes as an ArrayBuffer) and takes the theme from VS Code body classes', async () => {
    await load();
    await page.locator('#export-png-1').click();
    await page.waitForFunction(() =>
      (window as unknown as { posted: Array<{ type: string }> }).posted.some((m) => m.type === 'export'),
    );
    const message = await page.evaluate(() => {
      const m = (window as unknown as { posted: Array<{ type: string; data: unknown }> }).posted.find(
        (x) => x.type === 'export',
      )!;
      const bytes = m.data instanceof ArrayBuffer ? Array.from(new Uint8Array(m.data.slice(0, 8))) : null;
      return { ...m, data: null, bytes };
    });
    assert.equal(message.type, 'export');
    const requestId = (message as unknown as { requestId: number }).requestId;
    // The file name carries the metric shown; which one that is depends on the state the previous
    // test left, so it is read from the page rather than assumed.
    const metric = await page
      .locator('#metric-select')
      .evaluate((select) => (select as unknown as { value: string }).value);
    assert.ok(['dice', 'hd95'].includes(metric), `metric ${metric}`);
    assert.deepEqual(parseWebviewMessage({ ...message, data: new ArrayBuffer(8) }), {
      type: 'export',
      requestId,
      format: 'png',
      fileName: `report-fixture-dihedral-${metric}.png`,
      data: new ArrayBuffer(8),
    });
    assert.deepEqual(message.bytes, [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a], 'PNG signature');
    const colour = () =>
      page.evaluate(() => getComputedStyle(document.body).getPropertyValue('--misas-class-0').trim());
    assert.equal(await colour(), '#0072b2');
    await page.evaluate(() => document.body.classList.add('vscode-dark'));
    assert.equal(await colour(), '#4aa8e8');
    assert.deepEqual(problems, { errors: [], requests: [] });
  });

  it('shows overlay frames fetched one at a time: identity first, then the slider, chart hover, fill/contour and errors', async () => {
    await page.evaluate(() => sessionStorage.clear());
    await load();
    const viewer = page.locator('.viewer[data-series="rotate"]');
    await viewer.scrollIntoViewIfNeeded();
    await page.waitForFunction(
      () => document.querySelector('.viewer[data-series="rotate"]')?.getAttribute('data-frame') === '0',
    );
    const frameRequests = () =>
      page.evaluate(() =>
        (window as unknown as { posted: Array<{ type: string; series: string; value: number; input: number }> }).posted
          .filter((m) => m.type === 'frame' && m.series === 'rotate')
          .map((m) => [m.input, m.value]),
      );
    // The viewer's identity frame first; then the thumbnails on screen, each frame asked for once.
    const onlyOnce = async () => {
      const asked = (await frameRequests()).map((r) => JSON.stringify(r));
      assert.equal(new Set(asked).size, asked.length, `no frame asked for twice: ${asked.join(' ')}`);
    };
    assert.deepEqual((await frameRequests())[0], [0, 0], 'the identity frame of the visible viewer comes first');
    await onlyOnce();
    const canvas = () => viewer.locator('canvas.prediction').evaluate((c) => (c as HTMLCanvasElement).toDataURL());
    assert.deepEqual(
      await viewer
        .locator('canvas.prediction')
        .evaluate((c) => [(c as HTMLCanvasElement).width, (c as HTMLCanvasElement).height]),
      [8, 6],
    );
    const atIdentity = await canvas();

    await viewer.locator('.value-slider').focus();
    await page.keyboard.press('ArrowRight');
    await page.waitForFunction(
      () => document.querySelector('.viewer[data-series="rotate"]')?.getAttribute('data-frame') === '15',
    );
    assert.notEqual(await canvas(), atIdentity, 'the frame at 15° is drawn');
    assert.equal(await viewer.locator('.value-label:not(.slice-label)').textContent(), '15°');
    assert.equal(
      await page.locator('.card[data-series="rotate"] .selected-line').getAttribute('data-value'),
      '15',
      'the chart marks the value',
    );

    await page.keyboard.press('ArrowLeft');
    await page.waitForFunction(
      () => document.querySelector('.viewer[data-series="rotate"]')?.getAttribute('data-frame') === '0',
    );
    assert.equal(await canvas(), atIdentity, 'back at the identity');
    await onlyOnce(); // the identity frame came from the cache

    // Thumbnails: one per value, fetched while on screen, drawn; a click selects that value.
    const thumbs = viewer.locator('.thumb');
    assert.equal(await thumbs.count(), 13);
    await page.waitForFunction(
      () =>
        document.querySelector('.viewer[data-series="rotate"] .thumb[data-value="-90"]')?.getAttribute('data-state') ===
        'shown',
    );
    await viewer.locator('.thumb[data-value="-90"]').click();
    await page.waitForFunction(
      () => document.querySelector('.viewer[data-series="rotate"]')?.getAttribute('data-frame') === '-90',
    );
    assert.equal(await viewer.locator('.thumb.selected').getAttribute('data-value'), '-90');
    // Keyboard: one Tab stop in the strip; → moves the focus, Enter selects.
    assert.deepEqual(
      await thumbs.evaluateAll((b) =>
        b.filter((x) => (x as HTMLElement).tabIndex === 0).map((x) => x.getAttribute('data-value')),
      ),
      ['-90'],
    );
    await page.keyboard.press('ArrowRight');
    await page.keyboard.press('Enter');
    await page.waitForFunction(
      () => document.querySelector('.viewer[data-series="rotate"]')?.getAttribute('data-frame') === '-75',
    );
    await viewer.locator('.thumb[data-value="-90"]').click();
    await page.waitForFunction(
      () => document.querySelector('.viewer[data-series="rotate"]')?.getAttribute('data-frame') === '-90',
    );
    await onlyOnce();
    // The stand-in's frame at −90°: truth 1 in columns 0–3, 2 in 4–7; the prediction is 1 where
    // (x + |round(−90·7)| mod 8) mod 8 < 4, i.e. columns 2–5, else 3. Per row of 8: truth 1 →
    // 2 pixels of 1 and 2 of 3, truth 2 → 2 of 1 and 2 of 3; six rows.
    const cells = await viewer
      .locator('.confusion-table td.cell')
      .evaluateAll((tds) => tds.map((td) => Number(td.getAttribute('data-count'))));
    assert.deepEqual(
      cells,
      [0, 0, 0, 0, 0, 12, 0, 12, 0, 12, 0, 12, 0, 0, 0, 0],
      'counts (rows = truth, columns = prediction)',
    );
    assert.equal(await viewer.locator('.confusion-table').getAttribute('data-total'), '48');

    // Hovering the chart selects the nearest value.
    const chart = page.locator('.card[data-series="rotate"] svg.chart');
    await chart.scrollIntoViewIfNeeded(); // clicking the thumbnail scrolled the page down
    const box = (await chart.boundingBox())!;
    await page.mouse.move(box.x + box.width - 20, box.y + box.height / 2);
    await page.waitForFunction(
      () => document.querySelector('.viewer[data-series="rotate"]')?.getAttribute('data-frame') === '90',
    );

    // Play steps on from the last value and wraps around to the first; Pause stops it.
    const play = viewer.locator('.play');
    await play.click();
    assert.equal(await play.getAttribute('aria-pressed'), 'true');
    assert.equal((await play.textContent())?.trim(), 'Pause');
    await page.waitForFunction(
      () => document.querySelector('.viewer[data-series="rotate"]')?.getAttribute('data-frame') === '-90',
    );
    await play.click();
    assert.equal(await play.getAttribute('aria-pressed'), 'false');
    assert.equal((await play.textContent())?.trim(), 'Play');

    const filled = await canvas();
    await page.locator('#overlay-mode').click();
    await page.getByRole('option', { name: 'Contour' }).click();
    assert.notEqual(await canvas(), filled, 'contours are drawn differently');
    assert.equal(
      (await page.evaluate(() => (window as unknown as { savedState: { overlayMode: string } }).savedState))
        .overlayMode,
      'contour',
    );

    const spike = page.locator('.viewer[data-series="spike"]');
    await spike.scrollIntoViewIfNeeded();
    await page.waitForFunction(() =>
      document.querySelector('.viewer[data-series="spike"]')?.classList.contains('failed'),
    );
    assert.equal(await spike.locator('.viewer-status').textContent(), 'No overlay frames in Restricted Mode.');
    assert.deepEqual(problems, { errors: [], requests: [] });
  });

  it('draws non-square voxels in their proportions, and says a live run is running with its run exports off', async () => {
    await page.evaluate(() => sessionStorage.clear());
    await page.goto(`file://${file}`);
    await page.waitForFunction(() =>
      (window as unknown as { posted: Array<{ type: string }> }).posted.some((m) => m.type === 'ready'),
    );
    // Input 0 with 0.7 × 1.4 mm pixels: the stand-in's 8×6 frames are 5.6 mm × 8.4 mm, so the
    // canvas is 2/3 as wide as tall, its height (the larger side) the width 8 pixels get today.
    const run = JSON.parse(await readFile(join(FIXTURES, 'two-inputs', 'results.json'), 'utf8')) as {
      inputs: Array<{ spacing: number[] }>;
    };
    run.inputs[0].spacing = [0.7, 1.4];
    const send = (live?: { done: number; total: number }) =>
      page.evaluate(
        ([text, progress]) =>
          window.postMessage(
            { type: 'results', primary: text, compare: [], ...(progress ? { live: progress } : {}) },
            '*',
          ),
        [JSON.stringify(run), live] as const,
      );
    await send({ done: 3, total: 10 });
    await page.waitForSelector('.card svg.chart');
    const status = page.locator('.run-header .status');
    assert.equal(await status.textContent(), 'running · 3/10 steps');
    assert.equal(await status.getAttribute('class'), 'status status-running');
    for (const id of ['export-run-csv', 'export-run-json']) {
      const button = page.locator(`#${id}`);
      assert.equal(await button.getAttribute('disabled'), '', `${id} is disabled while the run goes`);
      assert.match((await button.getAttribute('title'))!, /available when the run has finished$/);
      await button.evaluate((b) => (b as HTMLElement).click());
    }
    assert.match((await page.locator('.run-exports').getAttribute('title'))!, /available when the run has finished$/);
    assert.ok(
      !(await page.evaluate(() =>
        (window as unknown as { posted: Array<{ type: string }> }).posted.some((m) => m.type === 'export'),
      )),
      'no run export while live',
    );

    // While live no overlay frames are asked for (the host would refuse them); the page says when they come,
    // and tells the host it has drawn the update (the host sends the next one only then).
    assert.equal(await page.locator('.viewer').count(), 0, 'no overlay viewer while the run goes');
    assert.match(
      (await page.locator('.card[data-series="rotate"] .viewer-live-note').textContent())!,
      /shown when the run has finished/,
    );
    await page.waitForFunction(() =>
      (window as unknown as { posted: Array<{ type: string }> }).posted.some((m) => m.type === 'liveShown'),
    );
    assert.ok(
      !(await page.evaluate(() =>
        (window as unknown as { posted: Array<{ type: string }> }).posted.some((m) => m.type === 'frame'),
      )),
      'no frame requested while live',
    );

    // The run finished: completed, exports back.
    await send();
    await page.waitForFunction(() => document.querySelector('.run-header .status')?.textContent === 'completed');
    assert.equal(await page.locator('#export-run-json').getAttribute('disabled'), null);

    const viewer = page.locator('.viewer[data-series="rotate"]');
    await viewer.scrollIntoViewIfNeeded();
    await page.waitForFunction(
      () => document.querySelector('.viewer[data-series="rotate"]')?.getAttribute('data-frame') === '0',
    );
    const truth = await viewer.locator('canvas.truth').evaluate((c) => {
      const box = c.getBoundingClientRect();
      const figure = c.parentElement!.getBoundingClientRect();
      return {
        width: box.width,
        height: box.height,
        figure: figure.width,
        pixels: [(c as HTMLCanvasElement).width, (c as HTMLCanvasElement).height],
      };
    });
    assert.deepEqual(truth.pixels, [8, 6], 'the pixel buffer stays the frame');
    assert.ok(Math.abs(truth.width / truth.height - 2 / 3) < 0.01, `truth canvas ${truth.width}×${truth.height}`);
    assert.ok(Math.abs(truth.height - truth.figure) < 1, `height ${truth.height} = today's width ${truth.figure}`);
    const prediction = await viewer.locator('canvas.prediction').boundingBox();
    assert.ok(
      Math.abs(prediction!.width / prediction!.height - 2 / 3) < 0.01,
      `prediction canvas ${prediction!.width}×${prediction!.height}`,
    );
    await page.waitForFunction(() =>
      document.querySelector('.viewer[data-series="rotate"] .thumb[data-state="shown"]'),
    );
    const thumb = await viewer.locator('.thumb[data-state="shown"] canvas').first().boundingBox();
    assert.ok(Math.abs(thumb!.width / thumb!.height - 2 / 3) < 0.03, `thumbnail ${thumb!.width}×${thumb!.height}`);
    // Input 1 keeps 1 mm pixels: square, the canvas as wide as its figure.
    await page.locator('#viewer-0-input').evaluate((select) => {
      (select as unknown as { value: string }).value = '1';
      select.dispatchEvent(new Event('change'));
    });
    await page.waitForFunction(
      () =>
        (document.querySelector('.viewer[data-series="rotate"] canvas.truth') as HTMLCanvasElement).style
          .aspectRatio === '',
    );
    const square = (await viewer.locator('canvas.truth').boundingBox())!;
    assert.ok(Math.abs(square.width / square.height - 8 / 6) < 0.01, `input 1 canvas ${square.width}×${square.height}`);

    assert.deepEqual(problems, { errors: [], requests: [] });
  });

  it('drills down from the input list: the overlay viewers switch to the picked input', async () => {
    await page.evaluate(() => sessionStorage.clear());
    await load('dataset');
    const frameInputs = () =>
      page.evaluate(() =>
        (window as unknown as { posted: Array<{ type: string; series: string; input: number }> }).posted
          .filter((m) => m.type === 'frame' && m.series === 'rotate')
          .map((m) => m.input),
      );
    await page.waitForFunction(
      () => document.querySelector('.viewer[data-series="rotate"]')?.getAttribute('data-frame') === '0',
    );
    assert.ok(!(await frameInputs()).includes(2));
    await page.locator('.input-item[data-input="2"]').click();
    await page.waitForFunction(() =>
      (window as unknown as { posted: Array<{ type: string; series: string; input: number }> }).posted.some(
        (m) => m.type === 'frame' && m.series === 'rotate' && m.input === 2,
      ),
    );
    assert.equal(
      await page.locator('#viewer-0-input').evaluate((select) => (select as unknown as { value: string }).value),
      '2',
    );
    assert.equal(
      (await page.evaluate(() => (window as unknown as { savedState: { focusInput: number } }).savedState)).focusInput,
      2,
    );
    assert.deepEqual(problems, { errors: [], requests: [] });
  });
});
