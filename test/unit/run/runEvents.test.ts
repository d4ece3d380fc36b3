import * as assert from 'node:assert/strict';
import type { RunEvent } from '../../../src/engine/sweep/runner';
import { PROGRESS_INTERVAL_MS, RunEventStream } from '../../../src/host/runEvents';
import type { EngineEvent } from '../../../src/protocol/engine';

const start: RunEvent = {
  type: 'start',
  total: 4,
  classes: ['background', 'organ'],
  inputs: [{ input: 0, label: 'a.nii.gz', imagePath: '/x/a.nii.gz', dims: [4, 4], spacing: [1, 1], pseudoTruth: false }],
  series: [{ name: 'rotate', transform: 'rotate', options: {}, unit: '°', scale: 'linear', kind: 'spatial', values: [[-1, 0, 1, 2]], identity: [0] }],
};
const row = (value: number): RunEvent => ({ type: 'row', row: { series: 'rotate', input: 0, value, baseline: value === 0, metrics: { dice: { organ: 1 } }, empty: [] } });
const progress = (done: number): RunEvent => ({ type: 'progress', done, total: 4, series: 'rotate', input: 0 });

function stream(clock: { now: number }) {
  const sent: EngineEvent[] = [];
  return { sent, events: new RunEventStream('run-1', (event) => sent.push(event), () => clock.now) };
}

describe('host/RunEventStream', () => {
  it('announces the run with input labels and series names', () => {
    const { sent, events } = stream({ now: 0 });
    events.accept(start);
    assert.deepEqual(sent, [{ type: 'runStarted', runId: 'run-1', total: 4, classes: ['background', 'organ'], inputs: ['a.nii.gz'], series: ['rotate'] }]);
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
    const summary = sent.slice(1).map((event) =>
      event.type === 'runRows' ? `rows ${event.rows.map((r) => r.value).join(',')}` : event.type === 'runProgress' ? `progress ${event.done}/${event.total} ${event.input}` : event.type,
    );
    assert.deepEqual(summary, ['rows -1', 'progress 1/4 a.nii.gz', 'rows 0,1', 'progress 3/4 a.nii.gz', 'rows 2', 'progress 4/4 a.nii.gz']);
    assert.equal(events.rowCount, 4);
  });

  it('flush() sends what is pending (a cancelled run ends between progress events)', () => {
    const clock = { now: 10_000 };
    const { sent, events } = stream(clock);
    events.accept(progress(1));
    events.accept(row(5));
    events.accept(progress(2));
    const before = sent.length;
    events.flush();
    assert.deepEqual(sent.slice(before).map((event) => event.type), ['runRows', 'runProgress']);
    events.flush();
    assert.equal(sent.length, before + 2, 'nothing twice');
  });
});
