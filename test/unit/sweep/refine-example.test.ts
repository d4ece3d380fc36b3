/**
 * Issue 13's acceptance check on the example, kept quick: rotate on a 15° grid refined to 1°
 * gives the tolerance intervals of a dense 1° sweep (within 1°) with at most 40% of its model
 * calls. One slice (z045) over −180…180°; `MISAS_BENCH_CASE=refine npm run bench` runs all five
 * (bench/refine.ts, which both use), where one slice's class differs by more (docs/ALGORITHMS.md).
 */
import * as assert from 'node:assert/strict';
import { join } from 'node:path';
import { compareRefinement } from '../../../bench/refine';
import { loadModel, type SegmentationModel } from '../../../src/engine/model';
import { loadExperiment } from '../../../src/engine/sweep/experiment/load';

const EXAMPLE = join(import.meta.dirname, '..', '..', '..', 'examples', 'colin27', 'colin27.misas.json');

describe('adaptive refinement on the example (real model)', function () {
  this.timeout(120_000);
  let model: SegmentationModel;
  before(async () => {
    model = await loadModel(join(import.meta.dirname, '..', '..', '..', 'examples', 'colin27', 'model.onnx'), {
      threads: 1,
    });
  });
  after(async () => model.dispose());

  it('rotate 15° refined to 1° matches the dense 1° sweep within 1° with at most 40% of its calls', async () => {
    const example = await loadExperiment(EXAMPLE);
    // z045: cortex and cerebellum break within ±40° there.
    const experiment = { ...example, inputs: example.inputs.slice(0, 1) };
    const result = await compareRefinement(experiment, model, { range: 180, coarse: 15, resolution: 1 });
    assert.equal(result.denseCalls, 360, 'the dense sweep: 361 values but the identity');
    assert.ok(
      result.refinedCalls <= 0.4 * result.denseCalls,
      `${result.refinedCalls} refined calls against ${result.denseCalls} dense ones`,
    );
    assert.ok(
      result.intervals.some((row) => row.dense && row.dense[1] - row.dense[0] < 60),
      'some class breaks inside the range (the comparison is not trivial)',
    );
    assert.ok(result.maxDifference <= 1, JSON.stringify(result.intervals));
  });
});
