/**
 * A dataset run end to end with the real example U-Net on real Colin27 slices: a glob with a
 * mask pairing rule, a missing mask and a corrupt file in the middle, two models, groups from a
 * manifest; aggregates recomputed here independently; shards merged equal a single run.
 */
import * as assert from 'node:assert/strict';
import { copyFile, mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { validateJson } from '../../../src/engine/json';
import { loadModel, type SegmentationModel } from '../../../src/engine/model';
import { resultsFromJson, type RunResults } from '../../../src/engine/report/results';
import { executeRun } from '../../../src/engine/sweep/run/execute';
import type { Experiment } from '../../../src/engine/sweep/experiment/types';
import { loadExperiment } from '../../../src/engine/sweep/experiment/load';
import { mergeShards } from '../../../src/engine/report/merge';
import { runSweeps } from '../../../src/engine/sweep/run/runner';
import RESULTS_SCHEMA from '../../../schemas/results.schema.json';

const EXAMPLE = join(import.meta.dirname, '..', '..', '..', 'examples', 'colin27');
const SLICES = ['z045', 'z065', 'z075', 'z115'];

/** data/<z>_img.nii.gz + data/<z>_seg.nii.gz for the real slices, plus the two broken inputs. */
async function dataset(): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'misas-dataset-'));
  await mkdir(join(dir, 'data'));
  for (const z of SLICES) {
    await copyFile(join(EXAMPLE, 'data', `colin27_${z}_image.nii.gz`), join(dir, 'data', `${z}_img.nii.gz`));
    await copyFile(join(EXAMPLE, 'data', `colin27_${z}_label.nii.gz`), join(dir, 'data', `${z}_seg.nii.gz`));
  }
  // z050: a truncated file with a mask; z055: an image whose mask is missing.
  const whole = await readFile(join(EXAMPLE, 'data', 'colin27_z065_image.nii.gz'));
  await writeFile(join(dir, 'data', 'z050_img.nii.gz'), whole.subarray(0, Math.floor(whole.length / 2)));
  await copyFile(join(EXAMPLE, 'data', 'colin27_z065_label.nii.gz'), join(dir, 'data', 'z050_seg.nii.gz'));
  await copyFile(join(EXAMPLE, 'data', 'colin27_z075_image.nii.gz'), join(dir, 'data', 'z055_img.nii.gz'));
  await copyFile(join(EXAMPLE, 'model.onnx'), join(dir, 'model.onnx'));
  await copyFile(join(EXAMPLE, 'model.onnx.misas.json'), join(dir, 'model.onnx.misas.json'));
  return dir;
}

function experiment(extra: Partial<Experiment> = {}): Experiment {
  return {
    name: 'dataset',
    models: [
      { path: 'model.onnx', name: 'A' },
      { path: 'model.onnx', name: 'B' },
    ],
    inputs: { images: 'data/*_img.nii.gz', masks: 'data/{id}_seg.nii.gz' },
    series: [
      { transform: 'rotate', values: [-30, 30] },
      { transform: 'gaussian-noise', values: [0.1, 0.3] },
    ],
    seed: 3,
    ...extra,
  };
}

async function run(
  dir: string,
  data: Experiment,
  out: string,
  models: SegmentationModel[],
  options: { shard?: { index: number; count: number }; memoryBudgetBytes?: number } = {},
): Promise<RunResults> {
  const file = join(dir, 'exp.misas.json');
  await writeFile(file, JSON.stringify(data));
  const resolved = await loadExperiment(file);
  return (await executeRun(resolved, models.slice(0, resolved.models.length), { outDir: join(dir, out), ...options }))
    .results;
}

function withoutTiming(results: RunResults): unknown {
  const { timing: _timing, ...rest } = JSON.parse(JSON.stringify(results)) as RunResults;
  return rest;
}

/** numpy's default ('linear') percentile of sorted values, written out here independently. */
function percentile(sorted: number[], q: number): number {
  const position = (sorted.length - 1) * q;
  const lower = Math.floor(position);
  const upper = Math.min(lower + 1, sorted.length - 1);
  return sorted[lower] + (sorted[upper] - sorted[lower]) * (position - lower);
}

describe('dataset runs (real example U-Net, real Colin27 slices)', function () {
  this.timeout(120_000);
  let dir: string;
  let model: SegmentationModel;
  let single: RunResults;
  before(async () => {
    dir = await dataset();
    model = await loadModel(join(dir, 'model.onnx'), { threads: 2 });
    single = await run(dir, experiment(), 'single', [model, model]);
  });
  after(async () => {
    await model.dispose();
    await rm(dir, { recursive: true, force: true });
  });

  it('reports the missing mask and the corrupt file and runs every other input', async () => {
    const text = await readFile(join(dir, 'single', 'results.json'), 'utf8');
    validateJson(RESULTS_SCHEMA, JSON.parse(text), 'results.json', 'results');
    assert.deepEqual(resultsFromJson(text), JSON.parse(JSON.stringify(single)));
    assert.equal(single.status, 'completed');
    // Sorted by path: z045, z050 (corrupt), z065, z075, z115; z055 has no mask and is skipped.
    assert.deepEqual(
      single.inputs.map((i) => i.label),
      ['z045_img.nii.gz', 'z050_img.nii.gz', 'z065_img.nii.gz', 'z075_img.nii.gz', 'z115_img.nii.gz'],
    );
    const missing = single.problems.find((p) => p.file.endsWith('z055_img.nii.gz'));
    assert.ok(missing, JSON.stringify(single.problems));
    assert.equal(missing.action, 'skipped');
    assert.match(missing.problem, /z055_seg\.nii\.gz/);
    const corrupt = single.problems.find((p) => p.file.endsWith('z050_img.nii.gz'));
    assert.ok(corrupt && corrupt.input === 1 && corrupt.action === 'skipped', JSON.stringify(single.problems));
    assert.ok(single.inputs[1].problem);
    for (const series of single.series) {
      const inputsWithRows = [...new Set(series.rows.map((r) => r.input))].sort();
      assert.deepEqual(inputsWithRows, [0, 2, 3, 4]);
      // 2 models × 4 inputs × (2 values + the identity)
      assert.equal(series.rows.length, 2 * 4 * 3);
    }
    assert.equal(single.baselines.length, 2 * 4);
    assert.ok(single.inputs.filter((i) => !i.problem).every((i) => /^[0-9a-f]{64}$/.test(i.imageSha256 ?? '')));
  });

  it('aggregates every value over the inputs: mean, SD, median and IQR recomputed independently', () => {
    const series = single.series.find((s) => s.name === 'rotate')!;
    for (const className of ['cortex', 'cerebellum']) {
      const aggregate = series.aggregates.find(
        (a) => a.model === 1 && a.group === undefined && a.metric === 'dice' && a.className === className,
      )!;
      assert.deepEqual(
        aggregate.points.map((p) => p.value),
        [-30, 0, 30],
      );
      for (const point of aggregate.points) {
        const values = series.rows
          .filter((r) => r.model === 1 && r.value === point.value)
          .map((r) => r.metrics.dice![className]!);
        const sorted = [...values].sort((a, b) => a - b);
        const mean = values.reduce((a, b) => a + b, 0) / values.length;
        const sd = Math.sqrt(values.reduce((a, b) => a + (b - mean) ** 2, 0) / (values.length - 1));
        assert.equal(point.n, 4);
        for (const [got, want] of [
          [point.mean, mean],
          [point.sd, sd],
          [point.median, percentile(sorted, 0.5)],
          [point.q1, percentile(sorted, 0.25)],
          [point.q3, percentile(sorted, 0.75)],
          [point.min, sorted[0]],
          [point.max, sorted[3]],
        ] as const) {
          assert.ok(Math.abs(got! - want) < 1e-12, `${className} @${point.value}: ${got} vs ${want}`);
        }
      }
    }
  });

  it('runs every series on each model', () => {
    const rows = single.series[0].rows;
    const a = rows.filter((r) => r.model === 0).map(({ model: _m, ...r }) => r);
    const b = rows.filter((r) => r.model === 1).map(({ model: _m, ...r }) => r);
    assert.deepEqual(a, b, 'the same model file twice gives the same rows');
    assert.deepEqual(
      single.models.map((m) => m.label),
      ['A', 'B'],
    );
    assert.ok(single.series[0].summaries.some((s) => s.model === 1 && s.input === 'mean'));
  });

  it('merges shards into the results a single run writes', async () => {
    const shards = [];
    for (let index = 1; index <= 3; index++) {
      const results = await run(dir, experiment(), `shard${index}`, [model, model], { shard: { index, count: 3 } });
      assert.deepEqual(results.shard, { index, count: 3 });
      shards.push(results);
    }
    const rowCounts = shards.map((s) => s.series.reduce((n, series) => n + series.rows.length, 0));
    assert.equal(
      rowCounts.reduce((a, b) => a + b, 0),
      2 * 2 * 4 * 3,
      `rows per shard ${rowCounts}`,
    );
    assert.ok(
      rowCounts.every((n) => n > 0),
      `every shard does some of the work: ${rowCounts}`,
    );
    const merged = await mergeShards([3, 1, 2].map((i) => join(dir, `shard${i}`)));
    assert.deepEqual(withoutTiming(merged), withoutTiming(single));
    await assert.rejects(mergeShards([join(dir, 'shard1'), join(dir, 'shard2')]), /shards 3\/3 are missing/);
    await assert.rejects(mergeShards([join(dir, 'shard1'), join(dir, 'single')]), /is not a shard/);
  });

  it('refuses inputs that would not fit in memory before any model call, and a run left with none', async () => {
    const counted = Object.create(model) as SegmentationModel;
    let calls = 0;
    counted.predict = (images, signal) => {
      calls++;
      return model.predict(images, signal);
    };
    // A 181×217 slice needs several MiB in flight (dataset/memory.ts); 1 MiB is too little for any.
    await assert.rejects(
      run(dir, experiment({ models: ['model.onnx'] }), 'tight', [counted], { memoryBudgetBytes: 2 ** 20 }),
      /none of the 5 inputs can be run: .*z055_img\.nii\.gz: .*z045_img\.nii\.gz: needs about \d+\.\d\d GiB in memory, more than the limit of 0\.00 GiB/,
    );
    assert.equal(calls, 0);
  });

  it('aggregates the groups a manifest names', async () => {
    const manifest = [
      'image,mask,group',
      ...SLICES.map((z, i) => `data/${z}_img.nii.gz,data/${z}_seg.nii.gz,${i < 2 ? 'site A' : 'site B'}`),
    ].join('\n');
    await writeFile(join(dir, 'manifest.csv'), manifest + '\n');
    const results = await run(
      dir,
      experiment({ models: ['model.onnx'], inputs: { manifest: 'manifest.csv' } }),
      'groups',
      [model],
    );
    assert.deepEqual(
      results.inputs.map((i) => i.group),
      ['site A', 'site A', 'site B', 'site B'],
    );
    const series = results.series.find((s) => s.name === 'gaussian-noise')!;
    const siteB = series.aggregates.find(
      (a) => a.group === 'site B' && a.metric === 'dice' && a.className === 'cortex',
    )!;
    for (const point of siteB.points) {
      const values = series.rows
        .filter((r) => r.input >= 2 && r.value === point.value)
        .map((r) => r.metrics.dice!.cortex!);
      assert.equal(point.n, 2);
      assert.ok(Math.abs(point.mean! - (values[0] + values[1]) / 2) < 1e-12);
    }
    assert.ok(series.summaries.some((s) => s.group === 'site A' && s.input === 'mean'));
  });
});

describe('volumes with a 2D model (real example U-Net, real Colin27 crop)', function () {
  this.timeout(60_000);
  const VOLUME = join(import.meta.dirname, '..', '..', 'data', 'colin27', 'ch2bet_crop40x48x10.nii.gz');

  /** Dice of class c over the voxels [from, to) of two label arrays, written out here. */
  function dice(pred: ArrayLike<number>, truth: ArrayLike<number>, c: number, from = 0, to = pred.length): number {
    let p = 0,
      g = 0,
      both = 0;
    for (let i = from; i < to; i++) {
      if (pred[i] === c) p++;
      if (truth[i] === c) g++;
      if (pred[i] === c && truth[i] === c) both++;
    }
    return p + g === 0 ? 1 : (2 * both) / (p + g);
  }

  it('scores the stacked prediction per volume and, with perSlice, per slice', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'misas-volume-'));
    try {
      await copyFile(VOLUME, join(dir, 'crop.nii.gz'));
      await copyFile(join(EXAMPLE, 'model.onnx'), join(dir, 'model.onnx'));
      await copyFile(join(EXAMPLE, 'model.onnx.misas.json'), join(dir, 'model.onnx.misas.json'));
      const file = join(dir, 'exp.misas.json');
      await writeFile(
        file,
        JSON.stringify({
          name: 'volume',
          model: 'model.onnx',
          inputs: 'crop.nii.gz',
          perSlice: true,
          series: [{ transform: 'brightness', values: [0.5] }],
        }),
      );
      const resolved = await loadExperiment(file);
      const model = await loadModel(resolved.models[0].path, { threads: 2 });
      const predictions = new Map<number, ArrayLike<number>>();
      // The runner's prediction hook hands out the stacked volumes it scored.
      for await (const _event of runSweeps(resolved, [model], {
        onPrediction: ({ value, prediction }) => void predictions.set(value, prediction.data),
      }))
        void _event;
      const { results } = await executeRun(resolved, [model], { outDir: join(dir, 'run') });
      await model.dispose();
      const [nx, ny, nz] = [40, 48, 10];
      const row = results.series[0].rows.find((r) => r.value === 0.5)!;
      const truth = predictions.get(1)!; // pseudo-truth: the prediction on the untransformed volume
      const halved = predictions.get(0.5)!;
      assert.equal(halved.length, nx * ny * nz);
      for (const [c, name] of results.classes.entries()) {
        assert.ok(Math.abs(row.metrics.dice![name]! - dice(halved, truth, c)) < 1e-12, `volume ${name}`);
        assert.equal(row.slices!.length, nz);
        for (let z = 0; z < nz; z++) {
          const want = dice(halved, truth, c, z * nx * ny, (z + 1) * nx * ny);
          assert.ok(Math.abs(row.slices![z].metrics.dice![name]! - want) < 1e-12, `slice ${z} ${name}`);
        }
      }
      const csv = await readFile(join(dir, 'run', 'results.csv'), 'utf8');
      assert.equal(
        csv
          .trim()
          .split('\n')
          .filter((line) => line.startsWith('brightness,brightness,model.onnx,0,crop.nii.gz,,0.5,false,')).length,
        (1 + nz) * results.classes.length,
      );
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
