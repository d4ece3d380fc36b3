import * as assert from 'node:assert/strict';
import { cp, mkdir, mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { formatInspectReport } from '../../../src/engine/model/inspectReport';
import { inferCard, inspectModel, loadModel, readSidecar } from '../../../src/engine/model';
import type { ModelInspection, TensorDescription } from '../../../src/engine/model/inspect';
import { argmaxAffine, modelFile, THRESHOLD, volume3d } from './fixtures';

const BUNDLE = resolve('test/data/monai-bundle');
const BUNDLE_MODEL = join(BUNDLE, 'models', 'model.onnx');
const BUNDLE_METADATA = join(BUNDLE, 'configs', 'metadata.json');

const tensor = (name: string, shape: (number | string)[]): TensorDescription => ({
  name,
  elementType: 'float32',
  shape: shape.map((d) => (typeof d === 'number' ? d : null)),
  dimNames: shape.map((d) => (typeof d === 'string' ? d : null)),
});
const inspection = (metadata: Record<string, string>): ModelInspection => ({
  path: '/models/liver.onnx',
  metadata,
  inputs: [tensor('image', ['n', 1, 'h', 'w'])],
  outputs: [tensor('out', ['n', 3, 'h', 'w'])],
});

/** The fixture's metadata.json, loosely typed for editing. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Metadata = Record<string, any>;

/** A copy of the bundle fixture (or of another model laid out as a bundle) with a changed metadata.json. */
async function bundleCopy(
  metadata: string | ((original: Metadata) => unknown),
  model = BUNDLE_MODEL,
  sidecar?: unknown,
): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'misas-bundle-'));
  await mkdir(join(dir, 'configs'));
  await mkdir(join(dir, 'models'));
  const file = join(dir, 'models', 'model.onnx');
  await cp(model, file);
  const text =
    typeof metadata === 'string'
      ? metadata
      : JSON.stringify(metadata(JSON.parse(await readFile(BUNDLE_METADATA, 'utf8'))));
  await writeFile(join(dir, 'configs', 'metadata.json'), text);
  if (sidecar !== undefined) await writeFile(`${file}.misas.json`, JSON.stringify(sidecar));
  return file;
}

describe('class names and cards that models already carry', () => {
  describe('metadata_props "classes" / "labels" (not only misas.*)', () => {
    const forms: [string, Record<string, string>][] = [
      ['a JSON list under "classes"', { classes: '["background", "liver", "tumour"]' }],
      ['comma-separated names under "labels"', { labels: 'background, liver, tumour' }],
      ['an index map (keys in any order)', { classes: '{"1": "liver", "0": "background", "2": "tumour"}' }],
      ['an index map under misas.classes', { 'misas.classes': '{"0": "background", "1": "liver", "2": "tumour"}' }],
    ];
    for (const [what, metadata] of forms) {
      it(what, () => {
        const r = inferCard(inspection(metadata));
        assert.deepEqual(r.card.classes, ['background', 'liver', 'tumour']);
        assert.equal(r.sources.classes, 'metadata');
        assert.ok(!r.unresolved.some((u) => u.field === 'classes'));
        assert.deepEqual(r.warnings, []);
      });
    }

    it('misas.classes wins over "classes", and "classes" over "labels"', () => {
      assert.deepEqual(inferCard(inspection({ 'misas.classes': 'bg,a,b', classes: 'x,y,z' })).card.classes, [
        'bg',
        'a',
        'b',
      ]);
      assert.deepEqual(inferCard(inspection({ classes: 'x,y,z', labels: 'p,q,r' })).card.classes, ['x', 'y', 'z']);
    });

    it('names that cannot be read are a warning naming the model and the key; the names are then assumed', () => {
      const r = inferCard(inspection({ labels: '{"0": "background", "2": "liver"}' }));
      assert.deepEqual(r.card.classes, ['background', 'class 1', 'class 2']);
      assert.equal(r.sources.classes, 'default');
      assert.match(
        r.warnings.join('\n'),
        /^\/models\/liver\.onnx \(metadata_props "labels"\): not read as class names: its keys must be the label values 0 … 1, not "2"; ignored\.$/,
      );
      assert.match(inferCard(inspection({ classes: 'a, a, b' })).warnings[0], /"a" is named twice/);
    });
  });

  describe('a MONAI bundle around the model (configs/metadata.json)', () => {
    it('fills channels, layout, geometry and classes from network_data_format, each with source monai-bundle; orientation is suggested, not stated', async () => {
      const r = inferCard(await inspectModel(BUNDLE_MODEL));
      assert.equal(r.bundle, BUNDLE_METADATA);
      assert.deepEqual(r.warnings, []);
      assert.deepEqual(r.card.classes, ['background', 'grey matter', 'white matter']);
      assert.deepEqual(r.card.geometry, {
        policy: 'sliding-window',
        size: [8, 8, 8],
        padValue: 'min',
        overlap: 0.25,
        blend: 'gaussian',
      });
      assert.equal(r.card.layout, 'NCDHW');
      for (const field of ['classes', 'geometry', 'layout', 'channels', 'orientation'] as const)
        assert.equal(r.sources[field], 'monai-bundle', field);
      assert.equal(r.card.orientation, 'reversed-axes');
      assert.match(
        r.unresolved.find((u) => u.field === 'orientation')!.reason,
        /MONAI loads volumes with LoadImage in nibabel axis order/,
      );
      assert.deepEqual(
        r.unresolved.map((u) => u.field),
        ['normalization', 'output', 'orientation'],
      );
    });

    it('misas inspect names the bundle file and the source of every field', async () => {
      const report = formatInspectReport({
        inspection: await inspectModel(BUNDLE_MODEL),
        resolution: inferCard(await inspectModel(BUNDLE_MODEL)),
      });
      assert.match(
        report,
        new RegExp(`MONAI bundle metadata: ${BUNDLE_METADATA.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&')}`),
      );
      assert.match(report, /classes: \["background","grey matter","white matter"\] {2}← monai-bundle/);
      assert.match(report, /orientation: "reversed-axes" {2}← monai-bundle/);
      assert.match(report, /spatialDims: 3 {2}← model/);
      assert.match(report, /normalization: .* {2}← default/);
    });

    it('a sidecar overrides the bundle field by field (metadata_props do too: see the 2D case)', async () => {
      const file = await bundleCopy((m) => m, BUNDLE_MODEL, { classes: ['bg', 'gm', 'wm'], orientation: 'as-stored' });
      const r = inferCard(await inspectModel(file), await readSidecar(file));
      assert.deepEqual(r.card.classes, ['bg', 'gm', 'wm']);
      assert.equal(r.sources.classes, 'sidecar');
      assert.equal(r.sources.orientation, 'sidecar');
      assert.equal(r.sources.geometry, 'monai-bundle');
    });

    it("runs: sliding 8³ windows over a 10×9×12 volume in reversed-axes orientation give the pointwise labels on the volume's own grid", async () => {
      const file = await bundleCopy((m) => m, BUNDLE_MODEL, { normalization: { kind: 'none' } });
      const warnings: string[] = [];
      const model = await loadModel(file, { onWarning: (w) => warnings.push(w) });
      try {
        assert.equal(model.card.orientation, 'reversed-axes');
        assert.match(warnings.join('\n'), /orientation assumed "reversed-axes" \(a MONAI bundle/);
        const volume = volume3d([10, 9, 12], 3);
        const [labels] = await model.predict([volume]);
        assert.deepEqual(labels.dims, [10, 9, 12]);
        assert.deepEqual(
          [...labels.data],
          Array.from(volume.data, (x) => argmaxAffine(THRESHOLD, [x])),
        );
      } finally {
        await model.dispose();
      }
    });

    it('malformed or contradicting bundle metadata never fails the load: each problem is a warning naming the file', async () => {
      const cases: [string, string | ((m: Metadata) => unknown), RegExp][] = [
        [
          'not JSON',
          '{ "network_data_format": ',
          /metadata\.json: MONAI bundle metadata cannot be read \(.*\); ignored\.$/,
        ],
        [
          'no network_data_format',
          '{"name": "x"}',
          /metadata\.json: MONAI bundle metadata has no network_data_format object; ignored\.$/,
        ],
        [
          '4 input channels',
          (m) => ({
            ...m,
            network_data_format: {
              ...m.network_data_format,
              inputs: { image: { ...m.network_data_format.inputs.image, num_channels: 4 } },
            },
          }),
          /inputs\.image\.num_channels is 4; misas feeds 1 or 3 channels; ignored\./,
        ],
        [
          'a spatial_shape that differs from the model',
          (m) => ({
            ...m,
            network_data_format: {
              ...m.network_data_format,
              inputs: { image: { ...m.network_data_format.inputs.image, spatial_shape: [96, 96, 96] } },
            },
          }),
          /inputs\.image\.spatial_shape \[96, 96, 96\] differs from the model's input \[batch, 1, 8, 8, 8\]; ignored\./,
        ],
        [
          'two names for three channels',
          (m) => ({
            ...m,
            network_data_format: {
              ...m.network_data_format,
              outputs: { pred: { num_channels: 2, channel_def: { 0: 'background', 1: 'brain' } } },
            },
          }),
          /outputs\.pred\.channel_def names 2 classes, but the model's output "logits" has 3 channels; ignored\./,
        ],
      ];
      for (const [what, metadata, message] of cases) {
        const file = await bundleCopy(metadata);
        const r = inferCard(await inspectModel(file));
        assert.match(r.warnings.join('\n'), message, what);
        assert.ok(
          r.warnings.every((w) => w.includes(join('configs', 'metadata.json'))),
          what,
        );
        assert.equal(r.card.spatialDims, 3, what);
      }
    });

    it('a 2D model with spatial_shape "16*n" gets pad-to-multiple 16; channel-first layout', async () => {
      const file = await bundleCopy(
        () => ({
          network_data_format: {
            inputs: { image: { num_channels: 1, spatial_shape: ['16*n', '16*n'], is_patch_data: false } },
            outputs: { pred: { num_channels: 3, channel_def: { 0: 'background', 1: 'low', 2: 'high' } } },
          },
        }),
        modelFile('threshold2d'),
      );
      const r = inferCard(await inspectModel(file));
      assert.deepEqual(r.card.geometry, { policy: 'pad-to-multiple', multiple: 16, padValue: 'min' });
      assert.equal(r.sources.geometry, 'monai-bundle');
      // threshold2d's own metadata_props name its classes: they win over the bundle.
      assert.equal(r.sources.classes, 'metadata');
      assert.equal(r.card.orientation, 'transposed');
    });
  });
});
