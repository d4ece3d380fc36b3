/**
 * The bundled Colin27 example model against torch: examples/colin27/reference/ holds the exact
 * model-grid inputs torch was given (written by tools/train-colin27/export.py) and torch's argmax.
 */
import * as assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { decode } from 'fast-png';
import * as ort from 'onnxruntime-node';
import { loadModel } from '../../../src/engine/model';
import { itemInput, prepareImage } from '../../../src/engine/model/preprocess';
import { identityAffine, type Volume } from '../../../src/engine/volume';
import { modelWithSidecar } from './fixtures';

const EXAMPLE = resolve('examples/colin27');
const REFERENCE = join(EXAMPLE, 'reference');
const MODEL = join(EXAMPLE, 'model.onnx');

interface ReferenceItem {
  id: string;
  input: string;
  argmax: string;
  logits?: string;
  minTop2Margin: number;
  /** null (NaN in Python's JSON) where the class is absent from both prediction and truth. */
  diceOriginalGrid: (number | null)[];
}
interface Manifest {
  inputShape: number[];
  items: ReferenceItem[];
}

// Python's json writes NaN for a Dice of 0/0, which JSON.parse refuses.
const manifest = JSON.parse(
  readFileSync(join(REFERENCE, 'manifest.json'), 'utf8').replace(/\bNaN\b/g, 'null'),
) as Manifest;

function readF32(name: string): Float32Array {
  const bytes = readFileSync(join(REFERENCE, name));
  return new Float32Array(bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength));
}

function volume2d(data: Float32Array | Uint8Array, nx: number, ny: number): Volume {
  return { data, dims: [nx, ny], spacing: [1, 1], affine: identityAffine(), channels: 1 };
}

/** The example slices that also exist as 8-bit PNGs (image and label). */
function pngSlices(): { item: ReferenceItem; image: Volume; label: Uint8Array }[] {
  return manifest.items.flatMap((item) => {
    const stem = join(EXAMPLE, 'data', `colin27_${item.id}`);
    try {
      const image = decode(readFileSync(`${stem}_image.png`));
      const label = decode(readFileSync(`${stem}_label.png`));
      return [
        {
          item,
          image: volume2d(Uint8Array.from(image.data), image.width, image.height),
          label: Uint8Array.from(label.data),
        },
      ];
    } catch {
      return [];
    }
  });
}

function dice(prediction: ArrayLike<number>, truth: ArrayLike<number>, label: number): number {
  let both = 0,
    p = 0,
    t = 0;
  for (let i = 0; i < truth.length; i++) {
    const inP = prediction[i] === label,
      inT = truth[i] === label;
    if (inP) p++;
    if (inT) t++;
    if (inP && inT) both++;
  }
  return (2 * both) / (p + t);
}

describe('Colin27 example model: onnxruntime-node vs torch', () => {
  it("argmax through SegmentationModel on torch's exact model-grid inputs equals torch's argmax", async () => {
    // The reference inputs are already resized and scaled: feed them as they are.
    const file = await modelWithSidecar(MODEL, { normalization: { kind: 'none' } });
    const model = await loadModel(file);
    try {
      const [h, w] = manifest.inputShape.slice(2);
      const labels = await model.predict(manifest.items.map((item) => volume2d(readF32(item.input), w, h)));
      let total = 0,
        differing = 0;
      manifest.items.forEach((item, i) => {
        const torch = readFileSync(join(REFERENCE, item.argmax));
        assert.equal(labels[i].data.length, torch.length);
        for (let p = 0; p < torch.length; p++) if (labels[i].data[p] !== torch[p]) differing++;
        total += torch.length;
      });
      assert.ok(differing / total <= 1e-4, `${differing} of ${total} pixels differ`);
    } finally {
      await model.dispose();
    }
  });

  it("onnxruntime's logits are within 1e-3 of torch's", async () => {
    const item = manifest.items.find((i) => i.logits)!;
    const session = await ort.InferenceSession.create(MODEL);
    try {
      const out = await session.run({ image: new ort.Tensor('float32', readF32(item.input), manifest.inputShape) });
      const ours = out.logits.data as Float32Array;
      const torch = readF32(item.logits!);
      let max = 0;
      for (let i = 0; i < torch.length; i++) max = Math.max(max, Math.abs(ours[i] - torch[i]));
      assert.ok(max < 1e-3, `max |logit difference| ${max}`);
    } finally {
      await session.release();
    }
  });

  it("the card's pre-processing turns the original slices into torch's inputs", async () => {
    const model = await loadModel(MODEL);
    try {
      const slices = pngSlices();
      assert.ok(slices.length >= 1);
      for (const { item, image } of slices) {
        const input = itemInput(
          { image: 0, gridDims: image.dims, orientedDims: image.dims, modelDims: model.card.geometry.size! },
          prepareImage(image, model.card),
          model.card,
          image.dims,
        );
        const torch = readF32(item.input);
        let max = 0;
        for (let i = 0; i < torch.length; i++) max = Math.max(max, Math.abs(input[i] - torch[i]));
        assert.ok(max < 1e-6, `${item.id}: max |input difference| ${max}`);
      }
    } finally {
      await model.dispose();
    }
  });

  it('end to end on the original grid: Dice per class equals the reference (logits resized back, argmax)', async () => {
    const model = await loadModel(MODEL);
    try {
      for (const { item, image, label } of pngSlices()) {
        const [prediction] = await model.predict([image]);
        assert.deepEqual(prediction.dims, image.dims);
        const ours = [1, 2, 3].map((c) => dice(prediction.data, label, c));
        ours.forEach((d, k) => {
          const reference = item.diceOriginalGrid[k];
          if (reference === null) assert.ok(Number.isNaN(d), `${item.id} class ${k + 1}: Dice ${d}, reference 0/0`);
          else assert.ok(Math.abs(d - reference) < 2e-4, `${item.id} class ${k + 1}: Dice ${d} vs ${reference}`);
        });
      }
    } finally {
      await model.dispose();
    }
  });
});
