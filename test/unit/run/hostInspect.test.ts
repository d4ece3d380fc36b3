import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { inspectForEditor } from '../../../src/host/inspect';

const nhwc = path.resolve('test/data/models/nhwc.onnx');

describe('host/inspect: what the wizard learns from the engine', () => {
  it('lists the unresolved card properties of a model without sidecar or metadata', async () => {
    const info = await inspectForEditor(nhwc);
    assert.equal(info.problem, undefined);
    assert.equal(info.sidecar, undefined);
    assert.deepEqual(
      info.unresolved?.map((u) => u.field),
      ['geometry', 'normalization', 'output', 'classes', 'sliceAxis', 'orientation'],
    );
    assert.deepEqual(info.unresolved?.find((u) => u.field === 'classes')?.assumed, [
      'background',
      'class 1',
      'class 2',
    ]);
  });

  it('resolves with a given card instead of the sidecar, and says when it does not fit the model', async () => {
    const fitting = await inspectForEditor(nhwc, {
      classes: ['background', 'a', 'b'],
      normalization: { kind: 'none' },
    });
    assert.deepEqual(
      fitting.unresolved?.map((u) => u.field),
      ['geometry', 'output', 'sliceAxis', 'orientation'],
    );
    assert.deepEqual((fitting.card as { classes: string[] }).classes, ['background', 'a', 'b']);
    const wrong = await inspectForEditor(nhwc, { classes: ['background', 'a'] });
    assert.match(
      wrong.problem ?? '',
      /^its card .*nhwc\.onnx\.misas\.json says classes 2 names, but its output "logits" .* has 3 classes/,
    );
    assert.equal(wrong.problemFile, nhwc);
  });

  it('reports an existing sidecar', async () => {
    const folder = fs.mkdtempSync(path.join(os.tmpdir(), 'misas-inspect-'));
    try {
      const model = path.join(folder, 'nhwc.onnx');
      fs.copyFileSync(nhwc, model);
      fs.writeFileSync(`${model}.misas.json`, '{ "classes": ["background", "a", "b"] }');
      const info = await inspectForEditor(model);
      assert.equal(info.sidecar, `${model}.misas.json`);
      assert.ok(!info.unresolved?.some((u) => u.field === 'classes'));
    } finally {
      fs.rmSync(folder, { recursive: true, force: true });
    }
  });
});
