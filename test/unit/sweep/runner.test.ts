import * as assert from 'node:assert/strict';
import { mkdtemp, readdir, readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { writeNifti } from '../../../src/engine/io';
import { loadModel, type SegmentationModel } from '../../../src/engine/model';
import { validateJson } from '../../../src/engine/json';
import { resultsFromJson } from '../../../src/engine/report/results';
import RESULTS_SCHEMA from '../../../schemas/results.schema.json';
import { executeRun } from '../../../src/engine/sweep/run/execute';
import type { Experiment } from '../../../src/engine/sweep/experiment/types';
import { resolveExperiment } from '../../../src/engine/sweep/experiment/load';
import type { RunRow } from '../../../src/engine/sweep/rows';
import { runSweeps } from '../../../src/engine/sweep/run/runner';
import { identityAffine, type Volume } from '../../../src/engine/volume';

const THRESHOLD_MODEL = join(import.meta.dirname, '..', '..', 'data', 'models', 'threshold2d.onnx');

/**
 * threshold2d.onnx labels a pixel 0 below 1, 1 between 1 and 2, 2 above 2. The test image has
 * three bands (0.6, 1.4, 2.6), so the ground truth is exact and every expectation below can
 * be computed from the pixel values alone.
 */
const W = 32,
  H = 24;
function bandValue(x: number): number {
  return x < 10 ? 0.6 : x < 22 ? 1.4 : 2.6;
}
function thresholdLabel(v: number): number {
  return v < 1 ? 0 : v < 2 ? 1 : 2;
}
function volume(data: Float32Array | Uint8Array): Volume {
  return { data, dims: [W, H], spacing: [1, 1], affine: identityAffine(), channels: 1 };
}
const image = volume(Float32Array.from({ length: W * H }, (_, i) => bandValue(i % W)));
const truth = volume(Uint8Array.from({ length: W * H }, (_, i) => thresholdLabel(bandValue(i % W))));

/** Dice of one class between two label arrays, written out independently of the engine. */
function diceOf(pred: ArrayLike<number>, gt: ArrayLike<number>, c: number): number {
  let p = 0,
    g = 0,
    both = 0;
  for (let i = 0; i < pred.length; i++) {
    if (pred[i] === c) p++;
    if (gt[i] === c) g++;
    if (pred[i] === c && gt[i] === c) both++;
  }
  return p + g === 0 ? 1 : (2 * both) / (p + g);
}

async function workspace(withMask = true): Promise<{ dir: string; file: string }> {
  const dir = await mkdtemp(join(tmpdir(), 'misas-run-'));
  await writeNifti(join(dir, 'img.nii'), image);
  if (withMask) await writeNifti(join(dir, 'seg.nii'), truth);
  return { dir, file: join(dir, 'exp.misas.json') };
}

function experimentOf(dir: string, file: string, extra: Partial<Experiment> = {}) {
  const data: Experiment = {
    name: 'bands',
    model: '../' + dir.split('/').at(-1) + '/model.onnx',
    inputs: [{ image: 'img.nii', mask: 'seg.nii' }],
    series: [
      { transform: 'brightness', values: [0.5, 2] },
      { transform: 'rotate', values: [-90, 90], params: { interpolation: 'nearest' } },
    ],
    ...extra,
  };
  const resolved = resolveExperiment(data, file, '/');
  return { ...resolved, models: [{ path: THRESHOLD_MODEL, label: 'threshold2d.onnx' }] };
}

/** Counts the images each predict call receives, so tests can see batching and reuse. */
function counting(model: SegmentationModel): { model: SegmentationModel; calls: number[] } {
  const calls: number[] = [];
  const wrapped = Object.create(model) as SegmentationModel;
  wrapped.predict = (images, signal) => {
    calls.push(images.length);
    return model.predict(images, signal);
  };
  return { model: wrapped, calls };
}

async function collectRows(events: AsyncIterable<{ type: string; row?: RunRow }>): Promise<RunRow[]> {
  const rows: RunRow[] = [];
  for await (const event of events) if (event.type === 'row') rows.push(event.row!);
  return rows;
}

describe('sweep runner (real onnxruntime-node, threshold model)', () => {
  let model: SegmentationModel;
  before(async () => {
    model = await loadModel(THRESHOLD_MODEL, { threads: 1, batchSize: 3 });
  });
  after(async () => model.dispose());

  it('scores each step against the equally transformed truth, with the identity as baseline', async () => {
    const { dir, file } = await workspace();
    const rows = await collectRows(runSweeps(experimentOf(dir, file), [model]));
    const byKey = new Map(rows.map((r) => [`${r.series}@${r.value}`, r]));
    assert.deepEqual(
      [...byKey.keys()].sort(),
      ['brightness@0.5', 'brightness@1', 'brightness@2', 'rotate@-90', 'rotate@0', 'rotate@90'].sort(),
    );
    for (const f of [0.5, 1, 2]) {
      const predicted = Array.from(image.data, (v) => thresholdLabel(v * f));
      const row = byKey.get(`brightness@${f}`)!;
      assert.equal(row.baseline, f === 1);
      for (const [c, name] of ['background', 'low', 'high'].entries()) {
        assert.ok(
          Math.abs(row.metrics.dice![name]! - diceOf(predicted, truth.data, c)) < 1e-12,
          `brightness ${f} ${name}`,
        );
      }
    }
    // Nearest-neighbour rotation moves image and truth alike: the thresholds still agree exactly.
    for (const name of ['background', 'low', 'high']) assert.equal(byKey.get('rotate@90')!.metrics.dice![name], 1);
    assert.ok(
      byKey.get('brightness@2')!.metrics.dice!.background! < 0.5,
      'doubling brightness must hurt the background class',
    );
  });

  it('predicts the untransformed input once for all identity steps and fills batches', async () => {
    const { dir, file } = await workspace();
    const { model: wrapped, calls } = counting(model);
    await collectRows(runSweeps(experimentOf(dir, file), [wrapped]));
    // 1 untransformed + 4 transformed images (2 per series); batches of at most 3.
    assert.equal(
      calls.reduce((a, b) => a + b, 0),
      5,
    );
    assert.ok(
      calls.every((n) => n <= 3),
      `batch sizes ${calls}`,
    );
  });

  it('transforms the reference value of a series without a true identity (spike-position)', async () => {
    const { dir, file } = await workspace();
    const { model: wrapped, calls } = counting(model);
    const experiment = experimentOf(dir, file, { series: [{ transform: 'spike-position', values: [0.5] }] });
    const rows = await collectRows(runSweeps(experiment, [wrapped]));
    assert.deepEqual(
      rows.map((r) => [r.value, r.baseline]),
      [[0.5, false]],
    );
    assert.equal(
      calls.reduce((a, b) => a + b, 0),
      2,
      'the untransformed input and the spiked one',
    );
  });

  it('gives identical rows with batches of 3 and one by one', async () => {
    const { dir, file } = await workspace();
    const single = await loadModel(THRESHOLD_MODEL, { threads: 1, batchSize: 1 });
    try {
      const a = await collectRows(runSweeps(experimentOf(dir, file), [model]));
      const b = await collectRows(runSweeps(experimentOf(dir, file), [single]));
      assert.deepEqual(b, a);
    } finally {
      await single.dispose();
    }
  });

  it('uses the untransformed prediction as pseudo-truth when no mask is given', async () => {
    const { dir, file } = await workspace(false);
    const experiment = experimentOf(dir, file, { inputs: [{ image: 'img.nii' }] });
    const events = [];
    for await (const event of runSweeps(experiment, [model])) events.push(event);
    const start = events.find((e) => e.type === 'start')!;
    assert.equal(start.type === 'start' && start.inputs[0].pseudoTruth, true);
    const rows = events.flatMap((e) => (e.type === 'row' ? [e.row] : []));
    const baseline = rows.find((r) => r.series === 'brightness' && r.baseline)!;
    assert.deepEqual(baseline.metrics.dice, { background: 1, low: 1, high: 1 });
    const half = rows.find((r) => r.series === 'brightness' && r.value === 0.5)!;
    const original = Array.from(image.data, (v) => thresholdLabel(v));
    const predicted = Array.from(image.data, (v) => thresholdLabel(v * 0.5));
    assert.ok(Math.abs(half.metrics.dice!.low! - diceOf(predicted, original, 1)) < 1e-12);
  });

  it('writes results.json and results.csv that agree with the rows', async () => {
    const { dir, file } = await workspace();
    const { runDir, results } = await executeRun(experimentOf(dir, file), [model], { outDir: join(dir, 'run') });
    const text = await readFile(join(runDir, 'results.json'), 'utf8');
    validateJson(RESULTS_SCHEMA, JSON.parse(text), 'results.json', 'results');
    const onDisk = resultsFromJson(text);
    assert.deepEqual(onDisk, JSON.parse(JSON.stringify(results)));
    assert.equal(onDisk.status, 'completed');
    assert.match(onDisk.models[0].sha256, /^[0-9a-f]{64}$/);
    assert.match(onDisk.inputs[0].imageSha256!, /^[0-9a-f]{64}$/);
    const csv = (await readFile(join(runDir, 'results.csv'), 'utf8')).trim().split('\n');
    // header + 2 series × 3 values × 3 classes × 1 metric
    assert.equal(csv.length, 1 + 2 * 3 * 3);
    const line = csv.find((l) =>
      l.startsWith('brightness,brightness,threshold2d.onnx,0,img.nii,,2,false,,background,dice,'),
    )!;
    const predicted = Array.from(image.data, (v) => thresholdLabel(v * 2));
    assert.ok(Math.abs(Number(line.split(',').at(-1)) - diceOf(predicted, truth.data, 0)) < 1e-12);
    const summary = onDisk.series[0].summaries.find((s) => s.className === 'low' && s.metric === 'dice')!;
    assert.equal(summary.baseline, 1);
    assert.match(summary.sentence, /^low: Dice/);
  });

  it('scores volumes and ΔVolume% against the truth and the untransformed prediction, without tolerance summaries', async () => {
    const { dir, file } = await workspace();
    const experiment = experimentOf(dir, file, {
      series: [{ transform: 'brightness', values: [0.5, 1, 2] }],
      metrics: ['dice', 'volume', 'dvol', 'dvol_baseline'],
    });
    const { runDir, results } = await executeRun(experiment, [model], { outDir: join(dir, 'run') });
    const count = (labels: ArrayLike<number>, c: number) => Array.from(labels).filter((l) => l === c).length;
    const change = (value: number, reference: number) =>
      reference === 0 ? null : ((value - reference) / reference) * 100;
    const base = Array.from(image.data, (v) => thresholdLabel(v));
    results.classes.forEach((className, c) => {
      for (const row of results.series[0].rows) {
        const predicted = Array.from(image.data, (v) => thresholdLabel(v * row.value));
        // 1 mm pixels: the "volume" of a 2D image is its area in mm², here the pixel count.
        assert.equal(row.metrics.volume![className], count(predicted, c), `volume of ${className} at ${row.value}`);
        assert.equal(row.metrics.dvol![className], change(count(predicted, c), count(truth.data, c)));
        assert.equal(row.metrics.dvol_baseline![className], change(count(predicted, c), count(base, c)));
      }
    });
    // Brightness 2: columns 0–9 (0.6 → 1.2) become "low", 10–31 "high", none background. Truth: 10, 12, 10 columns.
    const atTwo = results.series[0].rows.find((row) => row.value === 2)!;
    assert.equal(atTwo.metrics.dvol!.background, -100);
    assert.ok(Math.abs(atTwo.metrics.dvol!.low! - ((10 - 12) / 12) * 100) < 1e-12);
    assert.ok(Math.abs(atTwo.metrics.dvol!.high! - ((22 - 10) / 10) * 100) < 1e-12);
    assert.equal(results.series[0].rows.find((row) => row.baseline)!.metrics.dvol_baseline!.low, 0);
    assert.deepEqual([...new Set(results.series[0].summaries.map((s) => s.metric))], ['dice']);
    // Each Dice summary reports ΔVolume%'s range over its tolerance interval, also in its sentence.
    for (const summary of results.series[0].summaries) {
      const [lo, hi] = summary.tolerance!;
      const inside = results.series[0].rows
        .filter((row) => row.value >= lo && row.value <= hi)
        .map((row) => row.metrics.dvol![summary.className])
        .filter((v): v is number => v !== null);
      if (inside.length === 0) assert.equal(summary.volumeChange?.dvol, undefined);
      else assert.deepEqual(summary.volumeChange!.dvol, { min: Math.min(...inside), max: Math.max(...inside) });
    }
    const low = results.series[0].summaries.find((s) => s.className === 'low')!;
    assert.deepEqual(low.tolerance, [1, 1]);
    assert.match(low.sentence, /; ΔVolume% vs truth 0\.0 within it; ΔVolume% vs baseline 0\.0 within it$/);
    const text = await readFile(join(runDir, 'results.json'), 'utf8');
    validateJson(RESULTS_SCHEMA, JSON.parse(text), 'results.json', 'results');
    const csv = (await readFile(join(runDir, 'results.csv'), 'utf8')).trim().split('\n');
    assert.ok(
      csv.some((line) => line.includes(',2,false,,background,dvol,-100')),
      'the CSV has the dvol lines',
    );
  });

  it('keeps a descending sweep in the order the user wrote it: values, rows, CSV and aggregates', async () => {
    const { dir, file } = await workspace();
    const experiment = experimentOf(dir, file, {
      series: [
        { transform: 'rotate', start: 90, stop: -90, step: -90, params: { interpolation: 'nearest' } },
        { transform: 'brightness', values: [2, 0.5] },
      ],
    });
    const { runDir, results } = await executeRun(experiment, [model], { outDir: join(dir, 'run') });
    const [rotate, brightness] = results.series;
    assert.deepEqual(rotate.values, [[90, 0, -90]]);
    assert.deepEqual(brightness.values, [[2, 1, 0.5]], 'the identity goes where it falls in the descending order');
    assert.deepEqual([...new Set(brightness.rows.map((r) => r.value))], [2, 1, 0.5]);
    assert.deepEqual(
      brightness.aggregates[0].points.map((p) => p.value),
      [2, 1, 0.5],
    );
    const csvValues = (await readFile(join(runDir, 'results.csv'), 'utf8'))
      .trim()
      .split('\n')
      .slice(1)
      .filter((line) => line.startsWith('brightness,') && line.includes(',background,dice,'))
      .map((line) => Number(line.split(',')[6]));
    assert.deepEqual(csvValues, [2, 1, 0.5]);
  });

  it('refines where a class crosses the tolerance threshold: marked rows in value order, calls and progress counted', async () => {
    // Class "low" (band 1.4) is predicted exactly for factors f with 1 ≤ 1.4·f < 2 and 2.6·f ≥ 2 (else band 2.6
    // turns "low" too): Dice 1 on 0.769…1.428, below 0.9 outside. Refined to 0.01 on the grid from 0.5 and from 1,
    // its tolerance interval is the multiples of 0.01 inside, 0.77…1.42, with breaking points 0.76 and 1.43.
    const { dir, file } = await workspace();
    const experiment = experimentOf(dir, file, {
      series: [{ transform: 'brightness', values: [0.5, 1, 2], refine: { resolution: 0.01 } }],
    });
    const { model: wrapped, calls } = counting(model);
    const progress: Array<{ done: number; total: number }> = [];
    const { runDir, results } = await executeRun(experiment, [wrapped], {
      outDir: join(dir, 'run'),
      onEvent: (event) => {
        if (event.type === 'progress') progress.push({ done: event.done, total: event.total });
      },
    });
    const [brightness] = results.series;
    assert.deepEqual(brightness.values, [[0.5, 1, 2]], 'values are the sweep as written');
    assert.deepEqual(brightness.refine, { resolution: 0.01 });
    const values = brightness.rows.map((row) => row.value);
    assert.deepEqual(
      values,
      [...values].sort((a, b) => a - b),
      'refined rows take their place in value order',
    );
    for (const row of brightness.rows) assert.equal(row.refined, [0.5, 1, 2].includes(row.value) ? undefined : true);
    for (const row of brightness.rows) {
      const predicted = Array.from(image.data, (v) => thresholdLabel(v * row.value));
      assert.ok(Math.abs(row.metrics.dice!.low! - diceOf(predicted, truth.data, 1)) < 1e-12, `Dice at ${row.value}`);
    }
    const low = brightness.summaries.find((s) => s.className === 'low' && s.metric === 'dice' && s.input === 0)!;
    assert.deepEqual(low.tolerance, [0.77, 1.42]);
    assert.deepEqual(low.breakdown, { below: 0.76, above: 1.43 });
    // "high" (band 2.6) crosses in the same places. Bisection: bracket 0.5…1 takes ⌈log₂ 50⌉ = 6 halvings, 1…2
    // ⌈log₂ 100⌉ = 7; then the tolerated rest of both breaking steps is swept at 0.01 (a dip there would end the
    // interval earlier): 0.77…0.99 and 1.01…1.42, 65 values, some of them already visited by the halvings.
    const refinedValues = brightness.rows.filter((row) => row.refined).map((row) => row.value);
    const inside = refinedValues.filter((v) => v >= 0.77 && v <= 1.42);
    assert.equal(inside.length, 65);
    assert.ok(refinedValues.length - inside.length <= 13, `${refinedValues}`);
    const refined = refinedValues.length;
    assert.ok(refined < 148, 'fewer than the 148 values a dense 0.01 sweep adds');
    assert.deepEqual(brightness.modelCalls, { sweep: 2, refinement: refined });
    assert.equal(
      calls.reduce((a, b) => a + b, 0),
      1 + 2 + refined,
      'the untransformed input once, the sweep and the refinement',
    );
    // The total grows as refinement rounds start; the last progress reports every step done.
    assert.ok(
      progress.every((p, i) => i === 0 || (p.total >= progress[i - 1].total && p.done >= progress[i - 1].done)),
    );
    assert.deepEqual(progress.at(-1), { done: 3 + refined, total: 3 + refined });
    const text = await readFile(join(runDir, 'results.json'), 'utf8');
    validateJson(RESULTS_SCHEMA, JSON.parse(text), 'results.json', 'results');
    assert.deepEqual(resultsFromJson(text), JSON.parse(JSON.stringify(results)));
  });

  it('evaluates every refined value on every input and refines the mean curve, counting calls and progress', async () => {
    // Input 0 is the band image, input 1 the same image × 1.25 (its "low" band 1.75 breaks at other factors):
    // each input's refined values are evaluated on the other too, so the mean curve is exact at every one.
    const { dir, file } = await workspace();
    await writeNifti(join(dir, 'bright.nii'), volume(Float32Array.from(image.data, (v) => v * 1.25)));
    const experiment = experimentOf(dir, file, {
      inputs: [
        { image: 'img.nii', mask: 'seg.nii' },
        { image: 'bright.nii', mask: 'seg.nii' },
      ],
      series: [{ transform: 'brightness', values: [0.5, 1, 2], refine: { resolution: 0.01 } }],
    });
    const progress: Array<{ done: number; total: number }> = [];
    const { runDir, results } = await executeRun(experiment, [model], {
      outDir: join(dir, 'run'),
      onEvent: (event) => {
        if (event.type === 'progress') progress.push({ done: event.done, total: event.total });
      },
    });
    const [brightness] = results.series;
    const valuesOf = (input: number) =>
      brightness.rows
        .filter((row) => row.input === input)
        .map((row) => row.value)
        .sort((a, b) => a - b);
    assert.deepEqual(valuesOf(0), valuesOf(1), 'both inputs evaluated the same values');
    const refined = brightness.rows.filter((row) => row.refined).length;
    assert.ok(refined > 0);
    assert.deepEqual(brightness.modelCalls, { sweep: 4, refinement: refined });
    for (const row of brightness.rows) {
      const scale = row.input === 0 ? 1 : 1.25;
      const predicted = Array.from(image.data, (v) => thresholdLabel(v * scale * row.value));
      assert.ok(Math.abs(row.metrics.dice!.low! - diceOf(predicted, truth.data, 1)) < 1e-12, `Dice at ${row.value}`);
    }
    // The mean curve's interval, from the Dice written out above at every value both inputs have.
    const mean = brightness.summaries.find((s) => s.className === 'low' && s.metric === 'dice' && s.input === 'mean')!;
    const meanAt = (value: number) =>
      [1, 1.25].reduce((sum, scale) => {
        const predicted = Array.from(image.data, (v) => thresholdLabel(v * scale * value));
        return sum + diceOf(predicted, truth.data, 1) / 2;
      }, 0);
    const baseline = meanAt(1);
    const tolerated = valuesOf(0).filter((v) => meanAt(v) >= 0.9 * baseline);
    assert.ok(mean.tolerance && tolerated.includes(mean.tolerance[0]) && tolerated.includes(mean.tolerance[1]));
    for (const edge of [mean.breakdown.below, mean.breakdown.above].filter((v): v is number => v !== null)) {
      assert.ok(meanAt(edge) < 0.9 * baseline, `the mean breaks at ${edge}`);
      const inner = edge < 1 ? edge + 0.01 : edge - 0.01;
      assert.ok(
        valuesOf(0).some((v) => Math.abs(v - inner) < 1e-9),
        `the mean's breaking point ${edge} is resolved to 0.01`,
      );
    }
    assert.deepEqual(progress.at(-1), { done: 6 + refined, total: 6 + refined });
    const text = await readFile(join(runDir, 'results.json'), 'utf8');
    validateJson(RESULTS_SCHEMA, JSON.parse(text), 'results.json', 'results');
  });

  it('stops within one batch when cancelled and keeps what finished, leaving earlier runs intact', async () => {
    const { dir, file } = await workspace();
    const first = await executeRun(experimentOf(dir, file), [model], { outDir: join(dir, 'runs', 'first') });
    const before = await readFile(join(first.runDir, 'results.json'), 'utf8');
    const abort = new AbortController();
    const { model: wrapped, calls } = counting(model);
    const many = { transform: 'rotate', values: Array.from({ length: 30 }, (_, i) => i + 1) };
    const { runDir, results } = await executeRun(experimentOf(dir, file, { series: [many] }), [wrapped], {
      outDir: join(dir, 'runs', 'second'),
      signal: abort.signal,
      onEvent: (event) => {
        if (event.type === 'progress') abort.abort();
      },
    });
    assert.equal(results.status, 'cancelled');
    assert.ok(calls.length <= 3, `predict was called ${calls.length} times after cancel`);
    assert.ok(results.series[0].rows.length < 31);
    assert.equal(await readFile(join(first.runDir, 'results.json'), 'utf8'), before);
    assert.ok((await readdir(runDir)).includes('results.json'));
  });
});
