import * as assert from 'node:assert/strict';
import { inferCard } from '../../../src/engine/model/card';
import type { ModelInspection, TensorDescription } from '../../../src/engine/model/inspect';
import { inspectModel, loadModel, readSidecar } from '../../../src/engine/model';
import { modelFile, modelWithSidecar } from './fixtures';

const PATH = '/models/unet.onnx';

/** A tensor description from a shape where strings are symbolic (dynamic) dims. */
function tensor(name: string, shape: (number | string)[], elementType = 'float32'): TensorDescription {
  return {
    name,
    elementType,
    shape: shape.map((d) => (typeof d === 'number' ? d : null)),
    dimNames: shape.map((d) => (typeof d === 'string' ? d : null)),
  };
}

function inspection(
  input: (number | string)[],
  output: (number | string)[],
  metadata: Record<string, string> = {},
  outputType = 'float32',
): ModelInspection {
  return { path: PATH, inputs: [tensor('image', input)], outputs: [tensor('out', output, outputType)], metadata };
}

const fields = (resolution: ReturnType<typeof inferCard>) => resolution.unresolved.map((u) => u.field).sort();

describe('inferCard: what the shapes imply', () => {
  it('a fixed-size NCHW logits model: layout, channels, size from shapes; resize, z-score, names assumed', () => {
    const r = inferCard(inspection(['batch', 1, 128, 96], ['batch', 4, 128, 96]));
    assert.equal(r.card.spatialDims, 2);
    assert.equal(r.card.layout, 'NCHW');
    assert.equal(r.card.channels, 1);
    assert.equal(r.card.channelMode, 'grey');
    // size is [width, height] = [W, H] = [96, 128].
    assert.deepEqual(r.card.geometry, { policy: 'resize', size: [96, 128], padValue: 'min' });
    assert.deepEqual(r.card.normalization, { kind: 'z-score', statistics: 'image' });
    assert.deepEqual(r.card.output, { kind: 'logits', name: 'out', layout: 'NCHW' });
    assert.deepEqual(r.card.classes, ['background', 'class 1', 'class 2', 'class 3']);
    assert.equal(r.card.sliceAxis, 2);
    assert.deepEqual(fields(r), ['classes', 'geometry', 'normalization', 'orientation', 'output', 'sliceAxis']);
    assert.equal(r.sources.layout, 'model');
    assert.equal(r.sources.channels, 'model');
  });

  it('channels-last, 3 channels, dynamic size: NHWC, repeat-grey, pad-to-multiple of 16', () => {
    const r = inferCard(inspection(['n', 'h', 'w', 3], ['n', 'h', 'w', 2]));
    assert.equal(r.card.layout, 'NHWC');
    assert.equal(r.card.channels, 3);
    assert.equal(r.card.channelMode, 'repeat-grey');
    assert.deepEqual(r.card.geometry, { policy: 'pad-to-multiple', multiple: 16, padValue: 'min' });
    assert.equal(r.card.output.layout, 'NHWC');
  });

  it('a 5D input is a 3D model without a slice axis', () => {
    const r = inferCard(inspection([1, 1, 32, 64, 48], [1, 3, 32, 64, 48]));
    assert.equal(r.card.spatialDims, 3);
    assert.equal(r.card.layout, 'NCDHW');
    assert.deepEqual(r.card.geometry.size, [48, 64, 32]);
    assert.equal(r.card.sliceAxis, undefined);
  });

  it('integer outputs and outputs without a channel axis are label maps; one channel is sigmoid', () => {
    assert.equal(inferCard(inspection(['n', 1, 'h', 'w'], ['n', 'h', 'w'], {}, 'int64')).card.output.kind, 'labels');
    assert.equal(inferCard(inspection(['n', 1, 'h', 'w'], ['n', 1, 'h', 'w'], {}, 'int32')).card.output.kind, 'labels');
    const sigmoid = inferCard(inspection(['n', 1, 'h', 'w'], ['n', 1, 'h', 'w']));
    assert.deepEqual(sigmoid.card.output, {
      kind: 'sigmoid',
      name: 'out',
      layout: 'NCHW',
      threshold: 0.5,
      sigmoidApplied: false,
    });
    assert.deepEqual(sigmoid.card.classes, ['background', 'class 1']);
  });

  it('an ambiguous layout is assumed channels-first and flagged', () => {
    const r = inferCard(inspection(['n', 'c', 'h', 'w'], ['n', 'k', 'h', 'w']));
    assert.equal(r.card.layout, 'NCHW');
    assert.ok(fields(r).includes('layout') && fields(r).includes('channels'));
  });
});

describe('inferCard: metadata_props and sidecar', () => {
  it('reads misas.* metadata: JSON values and string shorthands', () => {
    const r = inferCard(
      inspection(['n', 1, 'h', 'w'], ['n', 3, 'h', 'w'], {
        'misas.classes': 'bg, liver, tumour',
        'misas.normalization': 'min-max',
        'misas.output': '{"kind": "probabilities"}',
        'misas.geometry': '{"policy": "pad-to-multiple", "multiple": 32}',
        'misas.sliceAxis': '0',
        'misas.orientation': 'transposed',
        'other.key': 'ignored',
      }),
    );
    assert.deepEqual(r.card.classes, ['bg', 'liver', 'tumour']);
    assert.equal(r.card.normalization.kind, 'min-max');
    assert.equal(r.card.output.kind, 'probabilities');
    assert.equal(r.card.geometry.multiple, 32);
    assert.equal(r.card.sliceAxis, 0);
    assert.deepEqual(r.unresolved, []);
    assert.equal(r.sources.classes, 'metadata');
  });

  it('reads a whole card from misas.card; the sidecar overrides it property by property', () => {
    const metadata = {
      'misas.card': JSON.stringify({ normalization: { kind: 'scale', factor: 0.5 }, classes: ['a', 'b'] }),
    };
    const r = inferCard(inspection(['n', 1, 'h', 'w'], ['n', 2, 'h', 'w'], metadata), { classes: ['x', 'y'] });
    assert.deepEqual(r.card.normalization, { kind: 'scale', factor: 0.5, statistics: 'image' });
    assert.deepEqual(r.card.classes, ['x', 'y']);
    assert.equal(r.sources.classes, 'sidecar');
    assert.equal(r.sources.normalization, 'metadata');
  });

  it('ignores invalid metadata entries with a warning naming the model and the key, keeping the rest', () => {
    const r = inferCard(
      inspection(['n', 1, 'h', 'w'], ['n', 2, 'h', 'w'], {
        'misas.normalization': '{"kind": "percentile", "lo": 1}',
        'misas.sliceAxis': 'z',
        'misas.classes': 'a,b',
      }),
    );
    assert.deepEqual(r.card.classes, ['a', 'b']);
    assert.equal(r.card.normalization.kind, 'z-score');
    assert.ok(fields(r).includes('normalization') && fields(r).includes('sliceAxis'));
    assert.equal(r.warnings.length, 2);
    assert.match(
      r.warnings[0],
      /^\/models\/unet\.onnx \(metadata_props "misas\.normalization"\): invalid model card entry: \$\.normalization: missing required property "hi"; ignored\.$/,
    );
    assert.match(
      r.warnings[1],
      /\(metadata_props "misas\.sliceAxis"\): .*\$\.sliceAxis: must be one of 0, 1, 2; ignored\.$/,
    );
  });

  it("understands compact shorthands and snake_case keys (the Colin27 example's metadata)", () => {
    const r = inferCard(
      inspection(['batch', 1, 128, 128], ['batch', 4, 128, 128], {
        'misas.classes': 'background,cortex,deep_gm,cerebellum',
        'misas.normalization': 'scale:1/255',
        'misas.output': 'logits',
        'misas.layout': 'NCHW',
        'misas.geometry': 'resize:128x128:linear',
        'misas.slice_axis': '2',
        'misas.orientation': '"as-stored"',
        'misas.training': 'free text for humans',
      }),
    );
    assert.deepEqual(r.card.normalization, { kind: 'scale', factor: 1 / 255, statistics: 'image' });
    assert.deepEqual(r.card.geometry, { policy: 'resize', size: [128, 128], padValue: 'min' });
    assert.deepEqual(r.card.classes, ['background', 'cortex', 'deep_gm', 'cerebellum']);
    assert.equal(r.sources.sliceAxis, 'metadata');
    assert.deepEqual(r.unresolved, []);
    assert.deepEqual(r.warnings, []);
    const more = inferCard(
      inspection(['n', 1, 'h', 'w'], ['n', 2, 'h', 'w'], {
        'misas.normalization': 'percentile:0.5:99.5',
        'misas.geometry': 'pad-to-multiple:32',
      }),
    );
    assert.deepEqual(more.card.normalization, { kind: 'percentile', lo: 0.5, hi: 99.5, statistics: 'image' });
    assert.equal(more.card.geometry.multiple, 32);
    assert.deepEqual(
      inferCard(inspection(['n', 1, 'h', 'w'], ['n', 2, 'h', 'w'], { 'misas.normalization': 'fixed:100:25' })).card
        .normalization,
      { kind: 'fixed', mean: 100, std: 25, statistics: 'image' },
    );
  });

  const conflicts: [string, Parameters<typeof inferCard>[1], RegExp][] = [
    ['channels', { channels: 3 }, /says channels 3, but its input "image" \[batch, 1, 128, 128\] takes 1 channel/],
    [
      'channelMode',
      { channelMode: 'repeat-grey' },
      /says channelMode repeat-grey \(3 channels\), but its input "image" .* takes 1 channel/,
    ],
    ['spatialDims', { spatialDims: 3 }, /says spatialDims 3, but its input "image" \[batch, 1, 128, 128\] is 2D/],
    ['layout', { layout: 'NCDHW' }, /says layout NCDHW, but .* is 2D/],
    [
      'size',
      { geometry: { policy: 'resize', size: [64, 64] } },
      /says geometry size \[64, 64\], but its input "image" .* takes \[128, 128\]/,
    ],
    [
      'pad-to-multiple',
      { geometry: { policy: 'pad-to-multiple' } },
      /says geometry policy pad-to-multiple, but its input size is fixed/,
    ],
    [
      'classes',
      { classes: ['a', 'b'] },
      /says classes 2 names, but its output "out" \[batch, 4, 128, 128\] \(logits\) has 4 classes/,
    ],
    ['labels', { output: { kind: 'labels' } }, /says output kind labels, but its output "out" .* has 4 channels/],
  ];
  for (const [what, card, message] of conflicts) {
    it(`refuses a card that contradicts the shapes: ${what}`, () => {
      assert.throws(
        () => inferCard(inspection(['batch', 1, 128, 128], ['batch', 4, 128, 128]), card),
        (e: Error) => e.message.startsWith(`${PATH}: its card ${PATH}.misas.json says`) && message.test(e.message),
      );
    });
  }

  it('sigmoid outputs computed by a Sigmoid node are probabilities; a card saying otherwise is refused', () => {
    const endsInSigmoid = { ...inspection(['n', 1, 'h', 'w'], ['n', 1, 'h', 'w']), outputOps: { out: 'Sigmoid' } };
    assert.equal(inferCard(endsInSigmoid).card.output.sigmoidApplied, true);
    assert.equal(inferCard({ ...endsInSigmoid, outputOps: { out: 'Conv' } }).card.output.sigmoidApplied, false);
    assert.throws(
      () => inferCard(endsInSigmoid, { output: { kind: 'sigmoid', sigmoidApplied: false } }),
      /computed by a Sigmoid node, so it holds probabilities/,
    );
  });

  it('refuses logits on a single channel and a sigmoid card with the wrong class count', () => {
    assert.throws(
      () => inferCard(inspection(['n', 1, 'h', 'w'], ['n', 1, 'h', 'w']), { output: { kind: 'logits' } }),
      /single channel/,
    );
    assert.throws(
      () =>
        inferCard(inspection(['n', 1, 'h', 'w'], ['n', 2, 'h', 'w']), {
          output: { kind: 'sigmoid' },
          classes: ['a', 'b'],
        }),
      /has 3 classes \(background \+ one per channel\)/,
    );
  });
});

describe('model cards on disk', () => {
  it('reads, validates and applies a sidecar next to the model', async () => {
    const file = await modelWithSidecar(
      'fixed128',
      '\uFEFF' + JSON.stringify({ geometry: { policy: 'pad-crop' }, sliceAxis: 1 }),
    );
    const model = await loadModel(file);
    try {
      assert.deepEqual(model.card.geometry, { policy: 'pad-crop', size: [128, 128], padValue: 'min' });
      assert.equal(model.card.sliceAxis, 1);
      assert.deepEqual(model.classNames, ['background', 'low', 'high']); // from the model's metadata_props
      assert.equal(model.maxBatch, 1); // a fixed batch of 1
    } finally {
      await model.dispose();
    }
  });

  it('names the sidecar and the JSON path of each problem', async () => {
    const file = await modelWithSidecar('fixed128', { geometry: { policy: 'stretch' }, classes: [], colour: 'red' });
    await assert.rejects(
      readSidecar(file),
      (e: Error) =>
        e.message.startsWith(`${file}.misas.json: invalid model card`) &&
        e.message.includes('$.geometry.policy: must be one of "resize", "pad-crop", "pad-to-multiple"') &&
        e.message.includes('$.classes: needs at least 2 entries') &&
        e.message.includes('$: unknown property "colour"'),
    );
  });

  it('inspectModel reports names, types, symbolic dims and metadata', async () => {
    const inspected = await inspectModel(modelFile('threshold2d'));
    assert.deepEqual(inspected.inputs, [
      {
        name: 'image',
        elementType: 'float32',
        shape: [null, 1, null, null],
        dimNames: ['batch', null, 'height', 'width'],
      },
    ]);
    assert.deepEqual(inspected.outputs[0].shape, [null, 3, null, null]);
    assert.equal(inspected.metadata['misas.output'], 'logits');
  });
});
