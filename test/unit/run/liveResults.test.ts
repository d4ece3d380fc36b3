// A run's results while it goes (src/extension/run/liveResults.ts), fed the way the extension is
// fed: the engine's events through the host's RunEventStream. Once every row has arrived they must
// equal the results.json the run wrote (except hashes and the end time); before that, they hold
// the rows so far.
import * as assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { loadModel, type OnnxSegmentationModel } from '../../../src/engine/model';
import { resultsFromJson, resultsToJson, type RunResults } from '../../../src/engine/report/results';
import { executeRun } from '../../../src/engine/sweep/run/execute';
import { resolveExperiment } from '../../../src/engine/sweep/experiment/load';
import { describeRunStart, RunEventStream } from '../../../src/host/runEvents';
import { LiveResults } from '../../../src/extension/run/liveResults';
import { ENGINE_VERSION } from '../../../src/engine/version';
import type { EngineEvent } from '../../../src/protocol/engine';

const example = resolve(fileURLToPath(import.meta.url), '../../../../examples/colin27');

/** What the page would get: the text of the results, read back. */
const throughJson = (results: RunResults) => resultsFromJson(resultsToJson(results));

/** Drops what only the finished file has: file hashes and the end time. */
function comparable(results: RunResults) {
  const { timing, models, inputs, ...rest } = results;
  return {
    ...rest,
    startedAt: timing.startedAt,
    models: models.map(({ sha256: _sha, ...model }) => model),
    inputs: inputs.map(({ imageSha256: _image, maskSha256: _mask, ...input }) => input),
  };
}

describe('extension/LiveResults: a run while it goes', function () {
  this.timeout(60_000);
  let model: OnnxSegmentationModel;
  let outDir: string;

  before(async () => {
    model = await loadModel(join(example, 'model.onnx'), { threads: 1 });
    outDir = mkdtempSync(join(tmpdir(), 'misas-live-'));
  });

  after(async () => {
    await model.dispose();
    rmSync(outDir, { recursive: true, force: true });
  });

  it('equals the written results.json once every row is in, and holds fewer rows before', async () => {
    const experiment = resolveExperiment(
      {
        name: 'live',
        models: [{ path: 'model.onnx', name: 'unet' }],
        inputs: [
          { image: 'data/colin27_z075_image.nii.gz', mask: 'data/colin27_z075_label.nii.gz' },
          { image: 'data/colin27_z115_image.nii.gz' },
        ],
        series: [
          { transform: 'rotate', values: [-30, 0, 30] },
          { transform: 'brightness', values: [0.5, 1, 2] },
        ],
        metrics: ['dice', 'hd95'],
        seed: 5,
      },
      join(example, 'live.misas.json'),
    );
    let live: LiveResults | undefined;
    const partials: RunResults[] = [];
    const receive = (event: EngineEvent) => {
      if (event.type === 'runStarted') live = new LiveResults(event.run);
      if (event.type === 'runRows') {
        live!.add(event);
        partials.push(throughJson(live!.results(new Date())));
      }
    };
    let startedAt: Date | undefined;
    const now = () => (startedAt ??= new Date());
    const stream = new RunEventStream(
      'run-1',
      receive,
      (start) =>
        describeRunStart(start, { experiment, models: [model], startedAt: startedAt!, engineVersion: ENGINE_VERSION }),
      () => 0,
    );
    // Every progress event flushes: the clock never moves, but the first interval counts from 0.
    const { results } = await executeRun(experiment, [model], {
      outDir: join(outDir, 'run'),
      onEvent: (event) => {
        stream.accept(event);
        if (event.type === 'progress') stream.flush();
      },
      now,
    });
    stream.flush();

    const written = resultsFromJson(readFileSync(join(outDir, 'run', 'results.json'), 'utf8'));
    assert.deepEqual(written, throughJson(results));
    const rowsOf = (r: RunResults) => r.series.reduce((sum, s) => sum + s.rows.length, 0);
    assert.equal(rowsOf(written), 2 * (3 + 3));

    const final = throughJson(live!.results(new Date(written.timing.finishedAt)));
    assert.deepEqual(comparable(final), comparable(written));
    assert.equal(final.timing.startedAt, written.timing.startedAt);
    assert.equal(final.status, 'completed');

    assert.ok(partials.length >= 2, `${partials.length} batches`);
    const first = partials[0];
    assert.ok(rowsOf(first) > 0 && rowsOf(first) < rowsOf(written), `first batch: ${rowsOf(first)} rows`);
    assert.deepEqual(
      first.series.map((s) => s.name),
      ['rotate', 'brightness'],
      'every series is there from the start, rows or not',
    );
    assert.deepEqual(
      first.inputs.map((input) => input.label),
      written.inputs.map((input) => input.label),
    );
    for (const partial of partials) {
      for (const series of partial.series) {
        for (const row of series.rows) {
          const same = written.series
            .find((s) => s.name === series.name)!
            .rows.find((r) => r.input === row.input && r.value === row.value && r.model === row.model);
          assert.deepEqual(row, same, `${series.name} input ${row.input} at ${row.value}`);
        }
      }
    }
  });
});
