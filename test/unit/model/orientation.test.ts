import * as assert from 'node:assert/strict';
import { inferCard } from '../../../src/engine/model/card';
import type { ModelInspection, TensorDescription } from '../../../src/engine/model/inspect';
import {
  cardSchema,
  inspectModel,
  loadModel,
  readSidecar,
  type OnnxSegmentationModel,
} from '../../../src/engine/model';
import {
  applyOrientation,
  invertOrientation,
  orientationMap,
  orientedDims,
  ORIENTATIONS_2D,
  ORIENTATIONS_3D,
  orientSlice,
  unorientSlice,
  type Orientation,
} from '../../../src/engine/model/orientation';
import { metadataCard } from '../../../src/engine/model/sidecar';
import { createRandom } from '../../../src/engine/random';
import { identityAffine, type Volume } from '../../../src/engine/volume';
import { dimsOf, loadGoldens, type GoldenCase } from '../../helpers/goldens';
import { argmaxAffine, image2d, modelWithSidecar, THRESHOLD } from './fixtures';

const POSGATE = loadGoldens('orientation/posgate.json');
const ALL_3D: Orientation[] = [
  ...ORIENTATIONS_3D.map((o) => o.value),
  { axes: [1, 2, 0], flip: [true, false, true] },
  { axes: [2, 0, 1] },
];

function randomPlanes(n: number, seed: number): Float32Array {
  const random = createRandom(seed);
  return Float32Array.from({ length: n }, () => random.uniform());
}

function volumeOf(golden: GoldenCase, slices = 1): Volume {
  const { image } = golden.arrays;
  const plane = Float32Array.from(image.data);
  const dims = dimsOf(image);
  const data = new Float32Array(plane.length * slices);
  for (let k = 0; k < slices; k++) data.set(plane, k * plane.length);
  const allDims = slices > 1 ? [...dims, slices] : dims;
  return { data, dims: allDims, spacing: allDims.map(() => 1), affine: identityAffine([1, 1, 1]), channels: 1 };
}

async function withModel<T>(file: string, use: (model: OnnxSegmentationModel) => Promise<T>): Promise<T> {
  const model = await loadModel(file);
  try {
    return await use(model);
  } finally {
    await model.dispose();
  }
}

describe('model card orientation', () => {
  describe('the list and the maps', () => {
    it('lists exactly the eight 2D symmetries and the two 3D presets, each named in the schema with a description', () => {
      assert.deepEqual(
        ORIENTATIONS_2D.map((o) => o.value),
        [
          'as-stored',
          'transposed',
          'flipped-vertical',
          'flipped-horizontal',
          'rotated-180',
          'rotated-90',
          'rotated-270',
          'anti-transposed',
        ],
      );
      assert.deepEqual(
        ORIENTATIONS_3D.map((o) => o.value),
        ['as-stored', 'reversed-axes'],
      );
      const schemaNames = (cardSchema.properties.orientation.oneOf[0] as { enum: string[] }).enum;
      for (const o of [...ORIENTATIONS_2D, ...ORIENTATIONS_3D]) {
        assert.ok(schemaNames.includes(o.value), o.value);
        assert.ok(o.description.length > 20, o.value);
      }
      // Eight different maps: no two names mean the same thing.
      assert.equal(new Set(ORIENTATIONS_2D.map((o) => JSON.stringify(o.map))).size, 8);
    });

    it('apply then invert round-trips every value exactly (non-square, two channels), and swaps dims where it transposes', () => {
      const dims2 = [7, 4];
      const data2 = randomPlanes(2 * 28, 1);
      for (const { value } of ORIENTATIONS_2D) {
        const map = orientationMap(value, 2)!;
        const oriented = applyOrientation(data2, dims2, 2, map);
        assert.deepEqual(oriented.dims, map.axes[0] === 1 ? [4, 7] : [7, 4], value);
        assert.deepEqual(oriented.dims, orientedDims(dims2, map));
        if (value !== 'as-stored') assert.notDeepEqual([...oriented.data], [...data2], value);
        assert.deepEqual(invertOrientation(oriented.data, dims2, 2, map), data2, value);
      }
      const dims3 = [5, 3, 2];
      const data3 = randomPlanes(30, 2);
      for (const value of ALL_3D) {
        const map = orientationMap(value, 3)!;
        const oriented = applyOrientation(data3, dims3, 1, map);
        assert.deepEqual(invertOrientation(oriented.data, dims3, 1, map), data3, JSON.stringify(value));
      }
      assert.deepEqual(orientedDims(dims3, orientationMap('reversed-axes', 3)!), [2, 3, 5]);
    });

    it('slice helpers: a transposed 3 × 2 slice is 2 wide and 3 high, and per-class planes come back onto the stored slice', () => {
      // Stored [y][x] = [[0, 1, 2], [3, 4, 5]]; its .T is [[0, 3], [1, 4], [2, 5]].
      const slice = Float32Array.from([0, 1, 2, 3, 4, 5]);
      const oriented = orientSlice(slice, 3, 2, 'transposed');
      assert.deepEqual(
        { w: oriented.w, h: oriented.h, data: [...oriented.data] },
        { w: 2, h: 3, data: [0, 3, 1, 4, 2, 5] },
      );
      // np.rot90([[0, 1, 2], [3, 4, 5]]) = [[2, 5], [1, 4], [0, 3]].
      assert.deepEqual([...orientSlice(slice, 3, 2, 'rotated-90').data], [2, 5, 1, 4, 0, 3]);
      const scores = Float32Array.from([...oriented.data, ...oriented.data.map((v) => 10 + v)]);
      assert.deepEqual([...unorientSlice(scores, 3, 2, 'transposed', 2)], [0, 1, 2, 3, 4, 5, 10, 11, 12, 13, 14, 15]);
    });

    it('does not apply to the other dimensionality', () => {
      assert.equal(orientationMap('reversed-axes', 2), undefined);
      assert.equal(orientationMap('transposed', 3), undefined);
      assert.equal(orientationMap({ axes: [0, 1, 2] }, 2), undefined);
      assert.equal(orientationMap({ axes: [0, 0, 2] }, 3), undefined);
    });
  });

  describe('card resolution', () => {
    const tensor = (name: string, shape: (number | string)[]): TensorDescription => ({
      name,
      elementType: 'float32',
      shape: shape.map((d) => (typeof d === 'number' ? d : null)),
      dimNames: shape.map((d) => (typeof d === 'string' ? d : null)),
    });
    const inspection = (spatial: number[], metadata: Record<string, string> = {}): ModelInspection => ({
      path: '/models/m.onnx',
      metadata,
      inputs: [tensor('image', ['batch', 1, ...spatial])],
      outputs: [tensor('out', ['batch', 3, ...spatial])],
    });

    it('unstated, as-stored is assumed and flagged, with the nibabel hint', () => {
      const r = inferCard(inspection([64, 64]));
      assert.equal(r.card.orientation, 'as-stored');
      assert.equal(r.sources.orientation, 'default');
      const item = r.unresolved.find((u) => u.field === 'orientation')!;
      assert.equal(item.assumed, 'as-stored');
      assert.match(item.reason, /nibabel's data\[:, :, k\] wants transposed/);
      const r3 = inferCard(inspection([16, 16, 16]));
      assert.match(
        r3.unresolved.find((u) => u.field === 'orientation')!.reason,
        /MONAI LoadImage arrays wants reversed-axes/,
      );
    });

    it('comes from the sidecar or from metadata_props (a name, or the axes object as JSON)', () => {
      assert.equal(inferCard(inspection([64, 64]), { orientation: 'transposed' }).sources.orientation, 'sidecar');
      const fromMetadata = inferCard(inspection([64, 64], { 'misas.orientation': 'rotated-90' }));
      assert.equal(fromMetadata.card.orientation, 'rotated-90');
      assert.equal(fromMetadata.sources.orientation, 'metadata');
      const object = { axes: [2, 1, 0], flip: [false, true, false] };
      const r3 = inferCard(inspection([8, 8, 8], { 'misas.orientation': JSON.stringify(object) }));
      assert.deepEqual(r3.card.orientation, object);
      assert.ok(!r3.unresolved.some((u) => u.field === 'orientation'));
    });

    it('an invalid metadata value is ignored with a warning; one for the other dimensionality is refused naming the card', () => {
      const { warnings } = metadataCard({ 'misas.orientation': 'upside-down' }, '/models/m.onnx');
      assert.equal(warnings.length, 1);
      assert.match(warnings[0], /\/models\/m\.onnx \(metadata_props "misas\.orientation"\).*ignored/);
      assert.throws(
        () => inferCard(inspection([64, 64]), { orientation: 'reversed-axes' }),
        /m\.onnx\.misas\.json says orientation reversed-axes, but the model is 2D: orientation is one of as-stored, transposed/,
      );
      assert.throws(
        () => inferCard(inspection([8, 8, 8]), { orientation: 'transposed' }),
        /but the model is 3D: orientation is as-stored, reversed-axes or/,
      );
    });
  });

  describe('real models: the model sees the oriented image, and its labels land back on the stored pixels', () => {
    for (const [name, golden] of Object.entries(POSGATE.cases)) {
      it(`${name}`, async () => {
        const model = name.startsWith('2d/') ? 'posgate2d' : 'posgate3d';
        const file = await modelWithSidecar(model, {
          orientation: golden.params.orientation,
          normalization: { kind: 'none' },
          classes: ['off', 'on'],
        });
        const image = volumeOf(golden);
        await withModel(file, async (m) => {
          const [labels] = await m.predict([image]);
          assert.deepEqual(labels.dims, image.dims);
          assert.deepEqual([...labels.data], golden.arrays.labels.data);
        });
      });
    }

    it('a volume through a 2D model slice by slice, and sliding windows (with padding) over each slice', async () => {
      const golden = POSGATE.cases['2d/transposed'];
      const volume = volumeOf(golden, 3);
      const expected = [0, 1, 2].flatMap(() => golden.arrays.labels.data);
      for (const geometry of [undefined, { policy: 'sliding-window' }]) {
        const file = await modelWithSidecar('posgate2d', {
          orientation: 'transposed',
          normalization: { kind: 'none' },
          classes: ['off', 'on'],
          geometry,
        });
        await withModel(file, async (m) => {
          const [labels] = await m.predict([volume]);
          assert.deepEqual([...labels.data], expected, JSON.stringify(geometry));
        });
      }
    });

    it('pad-crop, pad-to-multiple and many sliding windows on a non-square image give the pointwise labels in every orientation', async () => {
      const image = image2d(21, 13, 7);
      const expected = Array.from(image.data, (x) => argmaxAffine(THRESHOLD, [x]));
      for (const { value } of ORIENTATIONS_2D) {
        for (const geometry of [
          { policy: 'pad-to-multiple', multiple: 8 },
          { policy: 'pad-crop', size: [16, 24] },
          { policy: 'sliding-window', size: [8, 6] },
        ]) {
          const file = await modelWithSidecar('threshold2d', { orientation: value, geometry });
          await withModel(file, async (m) => {
            const [labels] = await m.predict([image]);
            // pad-crop to [16, 24] crops one of the axes unless the orientation swaps them; cropped pixels are background.
            if (geometry.policy === 'pad-crop') {
              const kept = orientedDims([21, 13], orientationMap(value, 2)!)[0] <= 16;
              assert.equal(labels.data.length, expected.length);
              if (kept) assert.deepEqual([...labels.data], expected, `${value} ${geometry.policy}`);
              else {
                // 16 of the 21 columns are kept (which ones depends on the flips); the rest are background.
                const same = expected.filter((label, i) => labels.data[i] === label).length;
                assert.ok(
                  labels.data.every((label, i) => label === expected[i] || label === 0),
                  value,
                );
                assert.ok(same >= 16 * 13, `${value}: ${same}`);
              }
              return;
            }
            assert.deepEqual([...labels.data], expected, `${value} ${geometry.policy}`);
          });
        }
      }
    });

    it('misas inspect (inspectModel + card) reports the orientation and its source', async () => {
      const file = await modelWithSidecar('posgate2d', { orientation: 'transposed' });
      const r = inferCard(await inspectModel(file), await readSidecar(file));
      assert.equal(r.card.orientation, 'transposed');
      assert.equal(r.sources.orientation, 'sidecar');
    });
  });
});
