/**
 * A run over a DICOM series says how far reading it has got before its first row: a large
 * series takes a while to read and decode, and the progress would otherwise stand still.
 */
import * as assert from 'node:assert/strict';
import { join } from 'node:path';
import { loadModel, type SegmentationModel } from '../../../src/engine/model';
import { resolveExperiment } from '../../../src/engine/sweep/experiment/load';
import type { RunEvent } from '../../../src/engine/sweep/rows';
import { runSweeps } from '../../../src/engine/sweep/run/runner';

const DATA = join(import.meta.dirname, '..', '..', 'data');
const THRESHOLD_MODEL = join(DATA, 'models', 'threshold2d.onnx');

describe('progress while an input is read', () => {
  let model: SegmentationModel;
  before(async () => {
    model = await loadModel(THRESHOLD_MODEL, { threads: 1 });
  });
  after(async () => model.dispose());

  it('reports every file of a DICOM series read, before the baseline and rows, with the step count unchanged', async () => {
    const experiment = resolveExperiment(
      {
        name: 'series',
        model: 'model.onnx',
        inputs: [{ image: 'oblique', mask: 'reference_mask.nii.gz' }],
        series: [{ transform: 'brightness', values: [0.5, 2] }],
      },
      join(DATA, 'dicom-series', 'exp.misas.json'),
      DATA,
    );
    const events: RunEvent[] = [];
    for await (const event of runSweeps({ ...experiment, models: [{ path: THRESHOLD_MODEL, label: 'threshold2d' }] }, [
      model,
    ]))
      events.push(event);
    const reading = events.flatMap((event) => (event.type === 'progress' && event.reading ? [event] : []));
    // Reports that come while the consumer is busy are merged (the latest wins): increasing, ending at 10 of 10.
    const done = reading.map((event) => event.reading!.done);
    assert.ok(reading.length > 0, 'no reading progress');
    assert.ok(
      done.every((d, k) => k === 0 || d > done[k - 1]),
      `not increasing: ${done}`,
    );
    assert.deepEqual(reading.at(-1)!.reading, { done: 10, total: 10 });
    assert.ok(reading.every((event) => event.done === 0 && event.series === 'brightness' && event.input === 0));
    const firstBaseline = events.findIndex((event) => event.type === 'baseline');
    assert.ok(firstBaseline > events.indexOf(reading.at(-1)!), 'the reading reports come before the baseline');
    assert.ok(events.some((event) => event.type === 'row'));
  });
});
