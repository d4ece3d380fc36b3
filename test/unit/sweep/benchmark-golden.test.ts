/**
 * Benchmark metrics against numpy (tools/goldens/benchmark.py): ROOD-MRI's Overall and
 * Degradation and ImageNet-C's CE, rCE and their means on a random table of 2 models × 6
 * subjects, one series at levels 1…5 and one at levels 2 and 4, with undefined HD95 values.
 */
import * as assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { benchmarkOf, type BenchmarkRow, type BenchmarkSeries } from '../../../src/engine/sweep/analysis/benchmark';
import type { InputBaseline } from '../../../src/engine/sweep/rows';

type Cell = number | 'nan';
interface Golden {
  alpha: number;
  reference: number;
  table: Array<[number, number, string, number, Cell, Cell]>;
  robustness: Array<[number, string, 'dice' | 'hd95', number, number, number]>;
  corruption: Array<[number, string, number, number]>;
  mean: Array<[number, number, number]>;
}

const golden = JSON.parse(
  readFileSync(join(import.meta.dirname, '..', '..', 'goldens', 'benchmark', 'benchmark.json'), 'utf8'),
) as Golden;
const value = (cell: Cell): number | null => (cell === 'nan' ? null : cell);
const metrics = (dice: Cell, hd95: Cell) => ({ dice: { bg: 1, fg: value(dice) }, hd95: { bg: 0, fg: value(hd95) } });
const close = (actual: number | null | undefined, expected: number, label: string) =>
  assert.ok(
    typeof actual === 'number' && Math.abs(actual - expected) <= 1e-12 * Math.max(1, Math.abs(expected)),
    `${label}: got ${actual}, expected ${expected}`,
  );

describe('benchmark metrics against numpy (tools/goldens/benchmark.py)', () => {
  const baselines: InputBaseline[] = golden.table
    .filter((r) => r[2] === 'Clean')
    .map(([model, input, , , dice, hd95]) => ({ model, input, metrics: metrics(dice, hd95), empty: [] }));
  const series: BenchmarkSeries[] = ['A', 'B'].map((name) => ({
    name,
    transform: 'rotate',
    severities: [],
    rows: golden.table
      .filter((r) => r[2] === name)
      .map(([model, input, , severity, dice, hd95]): BenchmarkRow => ({
        model,
        input,
        severity,
        metrics: metrics(dice, hd95),
      })),
  }));
  const result = benchmarkOf(series, baselines, {
    classes: ['bg', 'fg'],
    metrics: ['dice', 'hd95'],
    modelCount: 2,
    referenceModel: golden.reference,
  })!;

  it('Overall and Degradation for Dice and HD95 (sign flipped), undefined values left out', () => {
    close(result.alpha, golden.alpha, 'alpha');
    assert.equal(result.robustness.length, golden.robustness.length);
    for (const [model, name, metric, clean, overall, degradation] of golden.robustness) {
      const score = result.robustness.find((r) => r.model === model && r.series === name && r.metric === metric)!;
      const label = `model ${model} ${name} ${metric}`;
      close(score.clean, clean, `${label} M0`);
      close(score.overall, overall, `${label} Overall`);
      close(score.degradation, degradation, `${label} Degradation`);
    }
  });

  it('CE, relative CE, mCE and relative mCE against the reference model', () => {
    for (const [model, name, ce, rce] of golden.corruption) {
      const found = result.corruptionErrors!.find((c) => c.model === model && c.series === name)!;
      close(found.ce, ce, `model ${model} ${name} CE`);
      close(found.relativeCe, rce, `model ${model} ${name} rCE`);
    }
    for (const [model, mce, rmce] of golden.mean) {
      const found = result.meanCorruptionErrors!.find((m) => m.model === model)!;
      close(found.mce, mce, `model ${model} mCE`);
      close(found.relativeMce, rmce, `model ${model} relative mCE`);
    }
  });
});
