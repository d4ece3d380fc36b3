/**
 * Issue 13's acceptance check on the example, kept quick: rotate on a 15° grid refined to 1°
 * gives the tolerance intervals of a dense 1° sweep (within 1°) with at most 40% of its model
 * calls. One slice (z045) over −180…180°, and z045 with z085 (a dip: its cerebellum, absent from
 * the truth, is predicted at −20° alone) over ±45° with their mean curve;
 * `MISAS_BENCH_CASE=refine npm run bench` runs all five slices over −180…180° (bench/refine.ts,
 * which both use).
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

  it('finds the dip on z085 and the mean curve of two slices like the dense sweep, within ±45°', async () => {
    const example = await loadExperiment(EXAMPLE);
    const experiment = { ...example, inputs: [example.inputs[0], example.inputs[3]] };
    const result = await compareRefinement(experiment, model, { range: 45, coarse: 15, resolution: 1 });
    assert.equal(result.denseCalls, 2 * 90);
    const z085 = result.intervals.find((row) => row.input === 1 && row.className === 'cerebellum')!;
    assert.deepEqual(z085.dense, [-19, 25], 'the dense sweep breaks at the one-degree dip at −20°');
    assert.deepEqual(z085.refined, z085.dense);
    assert.ok(result.intervals.some((row) => row.input === 'mean'));
    assert.ok(result.maxDifference <= 1, JSON.stringify(result.intervals));
    // Over ±45° the breaking steps are much of the range: fewer calls, but not the 40% of a full turn.
    assert.ok(result.refinedCalls < result.denseCalls, `${result.refinedCalls} refined calls`);
  });
});
