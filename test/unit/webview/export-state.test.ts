import * as assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { CSV_COLUMNS } from '../../../src/engine/report/results';
import { parseWebviewMessage } from '../../../src/protocol/webview';
import { chartData } from '../../../webview-ui/data/chart-data';
import { CHART_CSV_COLUMNS, chartCsv, exportFileName, runCsv } from '../../../webview-ui/data/export';
import { formatMetric, formatParameter, labelledLogTicks } from '../../../webview-ui/data/format';
import { classColor, paletteCss, PALETTE_SIZE } from '../../../webview-ui/data/palette';
import { defaultViewState, reconcileViewState, toggleClass } from '../../../webview-ui/data/view-state';
import { realRun, row, run, series } from './fixtures';

describe('webview exports', () => {
  it('writes one CSV row per plotted point, Inf for infinite distances and empty for undefined', () => {
    const results = run([
      series('rotate', [
        row(0, -10, { hd95: { background: 1, lv: Infinity, myo: null } }),
        row(0, 0, { hd95: { background: 1, lv: 2, myo: 3 } }, true),
      ]),
    ]);
    const csv = chartCsv(chartData(results, 0, 'hd95'), ['run A'])
      .trimEnd()
      .split('\n');
    assert.equal(csv[0], CHART_CSV_COLUMNS.join(','));
    assert.equal(csv.length, 1 + 3 * 2);
    assert.ok(csv.includes('rotate,hd95,run A,0,lv,-10,Inf,,,'));
    assert.ok(csv.includes('rotate,hd95,run A,0,myo,-10,,,,'));
  });

  it('exports the run CSV with one row per series × input × value × metric × class', () => {
    const results = realRun('two-inputs');
    const lines = runCsv(results).trimEnd().split('\n');
    assert.equal(lines[0], CSV_COLUMNS.join(','));
    const rows = results.series.reduce((n, s) => n + s.rows.length, 0);
    assert.equal(lines.length - 1, rows * results.metrics.length * results.classes.length);
  });

  it('names files so the extension accepts them', () => {
    const results = run([], { experiment: { file: 'x', content: { name: 'my exp/../../etc' } as never } });
    const name = exportFileName(results, ['bias field', 'hd95'], 'png');
    assert.equal(name, 'my-exp-etc-bias-field-hd95.png');
    assert.ok(
      parseWebviewMessage({ type: 'export', requestId: 1, format: 'png', fileName: name, data: new ArrayBuffer(1) }),
    );
  });
});

describe('webview formatting', () => {
  it('formats parameters without SI prefixes and metrics by unit', () => {
    assert.equal(formatParameter(0.3), '0.3');
    assert.equal(formatParameter(-15), '\u221215');
    assert.equal(formatParameter(0.70710678), '0.707');
    assert.equal(formatMetric(0.91234, ''), '0.912');
    assert.equal(formatMetric(12.345, 'mm'), '12.3 mm');
    assert.equal(formatMetric(Infinity, 'mm'), '∞ mm');
    assert.equal(formatMetric(null, ''), 'undefined');
  });

  it('labels log ticks 1-2-3-5 when there are many', () => {
    const ticks = [0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9, 1, 2, 3, 4];
    assert.deepEqual([...labelledLogTicks(ticks)], [0.3, 0.5, 1, 2, 3]);
    assert.equal(labelledLogTicks([1, 2, 4]).size, 3);
  });
});

describe('webview class colours and view state', () => {
  it('gives foreground classes distinct palette slots and the background a neutral one', () => {
    assert.equal(classColor(0, 4).slot, 'bg');
    assert.deepEqual(
      [1, 2, 3].map((i) => classColor(i, 4).slot),
      [0, 1, 2],
    );
    assert.equal(classColor(0, 1).slot, 0, 'a single class is not background');
    assert.equal(
      new Set(Array.from({ length: PALETTE_SIZE }, (_, i) => classColor(i + 1, PALETTE_SIZE + 1).light)).size,
      PALETTE_SIZE,
    );
  });

  it('keeps the stylesheet in step with the palette (light at :root, dark for dark themes and the dark report)', () => {
    const css = readFileSync(join(import.meta.dirname, '..', '..', '..', 'webview-ui', 'styles.css'), 'utf8').replace(
      /\s+/g,
      ' ',
    );
    const blocks = css.split('}');
    const block = (selector: string) => blocks.find((b) => b.includes(selector))!;
    for (const line of paletteCss('light').split('\n')) assert.ok(block(':root {').includes(line), line);
    for (const line of paletteCss('dark').split('\n')) {
      assert.ok(block('body.vscode-dark,').includes(line), `dark theme ${line}`);
      assert.ok(block('@media (prefers-color-scheme: dark)').includes(line), `dark report ${line}`);
    }
  });

  it('hides the background by default and reconciles a saved state with the run', () => {
    const results = run([]);
    const defaults = {
      metric: 'dice',
      hiddenClasses: ['background'],
      perInput: 'lines',
      spread: 'sd',
      model: 0,
      group: null,
      focusInput: null,
      overlayMode: 'fill',
      overlayOpacity: 0.45,
    };
    assert.deepEqual(defaultViewState(results), defaults);
    const saved = {
      metric: 'hd95',
      hiddenClasses: ['lv', 'gone'],
      perInput: 'boxes',
      spread: 'iqr',
      overlayMode: 'contour',
      overlayOpacity: 0.8,
    };
    assert.deepEqual(reconcileViewState(results, saved), {
      ...defaults,
      metric: 'hd95',
      hiddenClasses: ['lv'],
      perInput: 'boxes',
      spread: 'iqr',
      overlayMode: 'contour',
      overlayOpacity: 0.8,
    });
    assert.equal(
      reconcileViewState(results, { showInputs: false }).perInput,
      'none',
      'a state saved before box plots: per-input lines off',
    );
    const odd = reconcileViewState(results, { overlayMode: 'sparkles', overlayOpacity: 3 });
    assert.deepEqual([odd.overlayMode, odd.overlayOpacity], ['fill', 0.45], 'unknown overlay settings fall back');
    assert.equal(reconcileViewState(results, { metric: 'assd' }).metric, 'dice', 'a metric the run lacks falls back');
    assert.deepEqual(reconcileViewState(results, 'junk'), defaultViewState(results));
    assert.deepEqual(toggleClass(toggleClass(defaultViewState(results), 'lv'), 'background').hiddenClasses, ['lv']);
  });
});
