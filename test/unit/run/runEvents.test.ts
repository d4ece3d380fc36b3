import * as assert from 'node:assert/strict';
import { join } from 'node:path';
import type { ResolvedExperiment } from '../../../src/engine/sweep/experiment/types';
import type { RunEvent } from '../../../src/engine/sweep/rows';
import { describeRunStart, PROGRESS_INTERVAL_MS, RunEventStream, type StartEvent } from '../../../src/host/runEvents';
import type { EngineEvent, EngineRunStart } from '../../../src/protocol/engine';

const folder = join('/work', 'exp');
const start: StartEvent = {
  type: 'start',
  total: 4,
  classes: ['background', 'organ'],
  models: [{ index: 0, label: 'unet', path: join(folder, 'models', 'unet.onnx') }],
  inputs: [
    {
      input: 0,
      entry: 0,
      label: 'a.nii.gz',
      imagePath: join(folder, 'data', 'a.nii.gz'),
      maskPath: join(folder, 'data', 'a_seg.nii.gz'),
      dims: [4, 4],
      spacing: [1, 1],
      pseudoTruth: false,
    },
  ],
  series: [
    {
      name: 'rotate',
      transform: 'rotate',
      options: {},
      unit: '°',
      scale: 'linear',
      kind: 'spatial',
      values: [[-1, 0, 1, 2]],
      identity: [0],
    },
  ],
  problems: [{ file: join(folder, 'data', 'b.nii.gz'), problem: 'no mask', action: 'skipped' }],
};
const row = (value: number): RunEvent => ({
  type: 'row',
  row: {
    series: 'rotate',
    model: 0,
    input: 0,
    value,
    baseline: value === 0,
    metrics: { dice: { organ: 1 } },
    empty: [],
    slices: [{ metrics: { dice: { organ: 1 } }, empty: [] }],
  },
});
const progress = (done: number): RunEvent => ({ type: 'progress', done, total: 4, series: 'rotate', input: 0 });
const fakeStart = { startedAt: 'fake' } as EngineRunStart;

function stream(clock: { now: number }) {
  const sent: EngineEvent[] = [];
  return {
    sent,
    events: new RunEventStream(
      'run-1',
      (event) => sent.push(event),
      () => fakeStart,
      () => clock.now,
    ),
  };
}

describe('host/RunEventStream', () => {
  it('announces the run with what describeStart makes of the start event', () => {
    const sent: EngineEvent[] = [];
    const seen: StartEvent[] = [];
    const events = new RunEventStream(
      'run-1',
      (event) => sent.push(event),
      (event) => (seen.push(event), fakeStart),
    );
    events.accept(start);
    assert.deepEqual(sent, [{ type: 'runStarted', runId: 'run-1', total: 4, run: fakeStart }]);
    assert.deepEqual(seen, [start]);
  });

  it('batches rows and throttles progress, rows always before the progress that counts them', () => {
    const clock = { now: 10_000 };
    const { sent, events } = stream(clock);
    events.accept(start);
    events.accept(row(-1));
    events.accept(progress(1)); // first progress: more than an interval since "never"
    events.accept(row(0));
    clock.now += PROGRESS_INTERVAL_MS / 2;
    events.accept(progress(2)); // within the interval: held back
    events.accept(row(1));
    clock.now += PROGRESS_INTERVAL_MS;
    events.accept(progress(3)); // interval passed: sends rows 0 and 1, then 3/4
    events.accept(row(2));
    events.accept(progress(4)); // the last step is never held back
    const summary = sent
      .slice(1)
      .map((event) =>
        event.type === 'runRows'
          ? `rows ${event.rows.map((r) => r.value).join(',')}`
          : event.type === 'runProgress'
            ? `progress ${event.done}/${event.total} ${event.input}`
            : event.type,
      );
    assert.deepEqual(summary, [
      'rows -1',
      'progress 1/4 a.nii.gz',
      'rows 0,1',
      'progress 3/4 a.nii.gz',
      'rows 2',
      'progress 4/4 a.nii.gz',
    ]);
    assert.equal(events.rowCount, 4);
  });

  it('sends baselines and input problems with the rows, and leaves per-slice metrics out', () => {
    const { sent, events } = stream({ now: 10_000 });
    events.accept(start);
    events.accept({
      type: 'baseline',
      baseline: { model: 0, input: 0, metrics: { dice: { organ: 0.9 } }, empty: [], slices: [] },
    });
    events.accept(row(0));
    events.accept({
      type: 'problem',
      problem: { file: '/x/c.nii.gz', problem: 'corrupt', action: 'skipped', input: 1 },
    });
    events.accept(progress(1));
    const batch = sent.find((event) => event.type === 'runRows');
    assert.deepEqual(batch, {
      type: 'runRows',
      runId: 'run-1',
      rows: [
        { series: 'rotate', model: 0, input: 0, value: 0, baseline: true, metrics: { dice: { organ: 1 } }, empty: [] },
      ],
      baselines: [{ model: 0, input: 0, metrics: { dice: { organ: 0.9 } }, empty: [] }],
      problems: [{ file: '/x/c.nii.gz', problem: 'corrupt', action: 'skipped', input: 1 }],
    });
  });

  it('flush() sends what is pending (a cancelled run ends between progress events)', () => {
    const clock = { now: 10_000 };
    const { sent, events } = stream(clock);
    events.accept(progress(1));
    events.accept(row(5));
    events.accept(progress(2));
    const before = sent.length;
    events.flush();
    assert.deepEqual(
      sent.slice(before).map((event) => event.type),
      ['runRows', 'runProgress'],
    );
    events.flush();
    assert.equal(sent.length, before + 2, 'nothing twice');
  });
});

describe('host/describeRunStart', () => {
  const experiment = {
    file: join(folder, 'exp.misas.json'),
    root: '/work',
    experiment: { name: 'exp', model: 'models/unet.onnx', inputs: 'data/*.nii.gz', series: [{ transform: 'rotate' }] },
    models: [{ path: join(folder, 'models', 'unet.onnx'), label: 'unet' }],
    inputs: [],
    problems: [],
    series: [],
    metrics: ['dice', 'hd95'],
    seed: 7,
    tolerance: 0.8,
  } as unknown as ResolvedExperiment;

  it('describes the run as results.json will: paths relative to the experiment, no hashes yet', () => {
    const startedAt = new Date('2026-12-01T10:00:00.000Z');
    const described = describeRunStart(start, {
      experiment,
      models: [{ classNames: ['background', 'organ'], card: { spatialDims: 2 } }],
      startedAt,
      engineVersion: '9.9.9',
    });
    assert.deepEqual(described, {
      format: 'misas-results',
      formatVersion: 2,
      engineVersion: '9.9.9',
      experiment: { file: 'exp.misas.json', content: experiment.experiment },
      models: [
        {
          index: 0,
          label: 'unet',
          path: join('models', 'unet.onnx'),
          sha256: '',
          classNames: ['background', 'organ'],
          card: { spatialDims: 2 },
        },
      ],
      inputs: [{ ...start.inputs[0], imagePath: join('data', 'a.nii.gz'), maskPath: join('data', 'a_seg.nii.gz') }],
      problems: start.problems,
      classes: ['background', 'organ'],
      metrics: ['dice', 'hd95'],
      seed: 7,
      tolerance: 0.8,
      startedAt: '2026-12-01T10:00:00.000Z',
      series: start.series,
    });
  });
});
