/**
 * Inference in worker threads (src/engine/model/inference): the same labels and the same rows
 * as a session on the calling thread, failures that name the problem, and pools that never
 * keep a process alive. Real onnxruntime-node in real worker threads.
 */
import * as assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { join } from 'node:path';
import * as ort from 'onnxruntime-node';
import { loadModel, sessionOptions, type SegmentationModel } from '../../../src/engine/model';
import { InferencePool } from '../../../src/engine/model/inference/pool';
import { loadExperiment } from '../../../src/engine/sweep/experiment/load';
import type { RunRow } from '../../../src/engine/sweep/rows';
import { runSweeps } from '../../../src/engine/sweep/run/runner';
import type { Volume } from '../../../src/engine/volume';
import { modelFile, volume3d } from './fixtures';

const ROOT = join(import.meta.dirname, '..', '..', '..');
const EXAMPLE = join(ROOT, 'examples', 'colin27', 'colin27.misas.json');

async function withModels<T>(
  file: string,
  workerCounts: readonly number[],
  use: (models: SegmentationModel[]) => Promise<T>,
): Promise<T> {
  const models: SegmentationModel[] = [];
  try {
    for (const workers of workerCounts) models.push(await loadModel(file, { workers, threads: 2 }));
    return await use(models);
  } finally {
    await Promise.all(models.map((model) => model.dispose()));
  }
}

async function rowsOf(model: SegmentationModel, series: string[]): Promise<RunRow[]> {
  const example = await loadExperiment(EXAMPLE);
  // A NIfTI and a PNG input keep the test quick; the bench sweeps them all.
  // rotate refined to 2°: refinement rounds go through the same batches and must not depend on the workers either.
  const experiment = {
    ...example,
    inputs: example.inputs.slice(2, 4),
    series: example.series.map((s) => (s.name === 'rotate' ? { ...s, refine: { resolution: 2 } } : s)),
  };
  const rows: RunRow[] = [];
  for await (const event of runSweeps(experiment, [model], { seriesFilter: series })) {
    if (event.type === 'row') rows.push(event.row);
  }
  return rows;
}

function labelsOf(volumes: Volume[]): number[][] {
  return volumes.map((volume) => Array.from(volume.data));
}

describe('inference in worker threads (real onnxruntime-node)', function () {
  this.timeout(120_000);

  it('sweeps the example with the same rows, in the same order, on 0, 1 and 2 workers', async () => {
    // A spatial, an intensity, a k-space and a seeded random series.
    const series = ['rotate', 'brightness', 'spike', 'bias-field'];
    await withModels(join(ROOT, 'examples', 'colin27', 'model.onnx'), [0, 1, 2], async (models) => {
      assert.deepEqual(
        models.map((model) => model.callsAhead),
        [0, 2, 3],
        'a pool keeps one call per worker and one more started',
      );
      const [inProcess, ...pooled] = await Promise.all(models.map((model) => rowsOf(model, series)));
      assert.ok(inProcess.length > 60, `${inProcess.length} rows`);
      assert.ok(
        inProcess.some((row) => (row.metrics.dice?.cortex ?? 1) < 0.8),
        'the sweep changes the predictions (identical rows are no accident)',
      );
      assert.ok(
        inProcess.some((row) => row.refined),
        'refinement rounds ran',
      );
      for (const rows of pooled) assert.deepEqual(rows, inProcess);
    });
  });

  it('predicts volumes slice by slice and by sliding windows with the same labels as on the calling thread', async () => {
    const volumes = [volume3d([9, 7, 5], 1), volume3d([6, 8, 11], 2)];
    for (const file of [modelFile('threshold2d'), modelFile('window3d_conv')]) {
      await withModels(file, [0, 2], async ([inProcess, pooled]) => {
        const [expected, actual] = await Promise.all([inProcess.predict(volumes), pooled.predict(volumes)]);
        assert.ok(new Set(expected.flatMap((v) => Array.from(v.data))).size > 1, `${file} predicts several labels`);
        assert.deepEqual(labelsOf(actual), labelsOf(expected), file);
      });
    }
  });

  it("rejects a call onnxruntime refuses with onnxruntime's message, and keeps running the next ones", async () => {
    const file = modelFile('threshold2d');
    const pool = await InferencePool.open({
      workers: 1,
      modelPath: file,
      sessionOptions: sessionOptions('cpu', 1),
      inputName: 'image',
      outputName: 'logits',
      describe: (problem) => new Error(`worker: ${problem}`),
    });
    try {
      const wrongRank = new ort.Tensor('float32', new Float32Array(6), [2, 3]);
      await assert.rejects(pool.run(wrongRank), /^Error: worker: .*(rank|dimension|Invalid)/i);
      const output = await pool.run(new ort.Tensor('float32', Float32Array.from([0.5, 1.5, 2.5, 0]), [1, 1, 2, 2]));
      assert.deepEqual(output.dims, [1, 3, 2, 2]);
    } finally {
      await pool.release();
    }
    await assert.rejects(pool.run(new ort.Tensor('float32', new Float32Array(4), [1, 1, 2, 2])), /released/);
  });

  it('says which model a worker cannot open', async () => {
    await assert.rejects(
      InferencePool.open({
        workers: 2,
        modelPath: modelFile('truncated'),
        sessionOptions: sessionOptions('cpu', 1),
        inputName: 'image',
        outputName: 'logits',
        describe: (problem) => new Error(`truncated.onnx: ${problem}`),
      }),
      /^Error: truncated\.onnx: /,
    );
  });

  it('never keeps a process alive: a script that forgets to dispose its model still exits', async () => {
    const script = [
      `const { loadModel } = await import(${JSON.stringify(join(ROOT, 'src/engine/model/index.ts'))});`,
      `const model = await loadModel(${JSON.stringify(modelFile('threshold2d'))}, { workers: 2 });`,
      `const [labels] = await model.predict([{ data: new Float32Array([0.5, 1.5, 2.5, 0]), dims: [2, 2], spacing: [1, 1], affine: [[1,0,0,0],[0,1,0,0],[0,0,1,0],[0,0,0,1]], channels: 1 }]);`,
      `console.log(Array.from(labels.data).join(','));`,
    ].join('\n');
    const child = spawn(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script], {
      cwd: ROOT,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    const [code] = (await once(child, 'exit')) as [number];
    assert.equal(code, 0, stderr);
    assert.equal(stdout.trim(), '0,1,2,0');
  });
});
