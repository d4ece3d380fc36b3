// Physical proportions of overlay frames: which spacing a frame's pixel has (2D inputs, picked
// slices, whole volumes cut along the model card's slice axis, including axis 0), how big a
// frame is shown (larger side kept, the other following the millimetres), the canvas CSS that
// says so, and the nearest-neighbour resampling the GIF export stretches frames with. Expected
// sizes are worked out by hand from the spacings in millimetres.
import * as assert from 'node:assert/strict';
import type { RunResults } from '../../../src/engine/report/results';
import { extractSlice } from '../../../src/engine/sweep/run/loadInput';
import { identityAffine, type Volume } from '../../../src/engine/volume';
import {
  canvasBox,
  canvasBoxStyle,
  displaySize,
  framePixelAspect,
  modelSliceAxis,
  pixelAspect,
  planeAxes,
} from '../../../webview-ui/data/pixel-aspect';
import { resampleNearest } from '../../../webview-ui/data/resample';
import { realRun } from './fixtures';

function close(actual: number, expected: number, message?: string): void {
  assert.ok(
    Math.abs(actual - expected) <= 1e-9 * Math.max(1, Math.abs(expected)),
    `${message ?? ''} ${actual} ≠ ${expected}`,
  );
}

/** The dataset fixture with its inputs' spacing (and dims) and its models' slice axes replaced. */
function runWith(
  inputs: Array<{ dims: number[]; spacing?: number[]; slice?: { axis: number; index: number } }>,
  sliceAxes: Array<number | undefined>,
): RunResults {
  const run = realRun('dataset');
  const base = run.inputs[0];
  return {
    ...run,
    inputs: inputs.map((input, i) => {
      const { spacing: _spacing, ...rest } = { ...base, input: i, dims: input.dims };
      return {
        ...rest,
        ...(input.spacing ? { spacing: input.spacing } : {}),
        ...(input.slice ? { slice: input.slice } : {}),
      };
    }),
    models: sliceAxes.map((axis, i) => {
      const card = { ...(run.models[0].card as Record<string, unknown>) };
      delete card.sliceAxis;
      return { ...run.models[0], index: i, card: axis === undefined ? card : { ...card, sliceAxis: axis } };
    }),
  };
}

describe('webview pixel aspect', () => {
  describe('pixelAspect', () => {
    it('is spacing x over spacing y for a 2D input', () => {
      close(pixelAspect([0.7, 1.4]), 0.5);
      close(pixelAspect([1.4, 0.7]), 2);
      close(pixelAspect([0.5, 0.5]), 1);
    });

    it('uses the two axes other than the slice axis of a volume (default axis 2)', () => {
      // A 1×1×3 mm volume: axial planes (x, y) are square, the others three times as tall as wide.
      close(pixelAspect([1, 1, 3]), 1);
      close(pixelAspect([1, 1, 3], 2), 1);
      close(pixelAspect([1, 1, 3], 1), 1 / 3);
      close(pixelAspect([1, 1, 3], 0), 1 / 3);
      // All three different: (y, z) for axis 0, (x, z) for axis 1, (x, y) for axis 2.
      close(pixelAspect([2, 1, 3], 0), 1 / 3);
      close(pixelAspect([2, 1, 3], 1), 2 / 3);
      close(pixelAspect([2, 1, 3], 2), 2);
    });

    it('is square when the spacing is missing or unusable', () => {
      assert.equal(pixelAspect(undefined), 1);
      assert.equal(pixelAspect([]), 1);
      assert.equal(pixelAspect([1]), 1);
      assert.equal(pixelAspect([1, 2, 3, 4]), 1);
      assert.equal(pixelAspect([0, 1]), 1);
      assert.equal(pixelAspect([-1, 1]), 1);
      assert.equal(pixelAspect([Number.NaN, 1]), 1);
      assert.equal(pixelAspect([Infinity, 1]), 1);
    });

    it('names the axes the engine keeps when it cuts a slice (its extractSlice, on a volume with distinct sizes and spacings)', () => {
      const dims = [5, 4, 3];
      const spacing = [0.5, 2, 7];
      const volume: Volume = {
        data: new Float32Array(60),
        dims,
        spacing,
        affine: identityAffine(spacing),
        channels: 1,
      };
      for (const axis of [0, 1, 2]) {
        const plane = extractSlice(volume, axis, 1);
        const [across, down] = planeAxes(3, axis);
        assert.deepEqual(plane.dims, [dims[across], dims[down]], `axis ${axis}: frame width and height`);
        close(pixelAspect(spacing, axis), plane.spacing[0] / plane.spacing[1], `axis ${axis}`);
      }
      assert.deepEqual(planeAxes(2), [0, 1]);
    });
  });

  describe('the run: model slice axis and input spacing', () => {
    it('reads the slice axis from the recorded model card, default 2', () => {
      const run = runWith([{ dims: [4, 4, 4], spacing: [1, 1, 3] }], [0, undefined, 1]);
      assert.equal(modelSliceAxis(run, 0), 0);
      assert.equal(modelSliceAxis(run, 1), 2);
      assert.equal(modelSliceAxis(run, 2), 1);
      assert.equal(modelSliceAxis(run, 7), 2, 'a model the run does not have');
      const odd = runWith([{ dims: [4, 4] }], [2]);
      (odd.models[0].card as Record<string, unknown>).sliceAxis = 5;
      assert.equal(modelSliceAxis(odd, 0), 2);
      assert.equal(modelSliceAxis({ ...odd, models: [{ ...odd.models[0], card: null }] }, 0), 2);
    });

    it('gives each input the aspect of its frames, per model', () => {
      const run = runWith(
        [
          { dims: [181, 217], spacing: [0.7, 1.4] },
          { dims: [64, 64, 20], spacing: [1, 1, 3] },
          // A picked slice: recorded with its plane's dims and spacing already.
          { dims: [64, 20], spacing: [1, 3], slice: { axis: 1, index: 10 } },
          { dims: [10, 10] },
        ],
        [0, undefined],
      );
      close(framePixelAspect(run, 0, 0), 0.5);
      close(framePixelAspect(run, 1, 0), 1 / 3, 'model 0 cuts along axis 0: (y, z) planes');
      close(framePixelAspect(run, 1, 1), 1, 'model 1 cuts along axis 2: (x, y) planes');
      close(framePixelAspect(run, 2, 0), 1 / 3, 'a picked slice ignores the slice axis');
      assert.equal(framePixelAspect(run, 3), 1, 'no spacing recorded');
      assert.equal(framePixelAspect(run, 9), 1, 'no such input');
    });

    it('is square for the committed fixture runs (1 mm slices)', () => {
      for (const name of ['dataset', 'two-inputs', 'one-input'] as const) {
        const run = realRun(name);
        for (const input of run.inputs)
          assert.equal(framePixelAspect(run, input.input), 1, `${name} input ${input.input}`);
      }
    });
  });

  describe('display size', () => {
    it('leaves square pixels alone', () => {
      assert.deepEqual(displaySize(200, 100, 1), { width: 200, height: 100 });
      assert.deepEqual(displaySize(181, 217, 1), { width: 181, height: 217 });
    });

    it('keeps the larger side and gives the other the physical proportion', () => {
      // 0.7×1.4 mm pixels, 181×217: 126.7 mm × 303.8 mm; the height keeps its 217.
      const tall = displaySize(181, 217, 0.5);
      close(tall.height, 217);
      close(tall.width, (217 * 126.7) / 303.8);
      // A sagittal cut (axis 0) of a 1×1×3 mm volume, 217×181 pixels: 217 mm × 543 mm, now taller than wide.
      const sagittal = displaySize(217, 181, 1 / 3);
      close(sagittal.height, 217);
      close(sagittal.width, (217 * 217) / 543);
      // Wide pixels on a square frame: 100×100 pixels of 2×1 mm are 200 mm × 100 mm.
      const wide = displaySize(100, 100, 2);
      close(wide.width, 100);
      close(wide.height, 50);
    });

    it("turns it into the canvas CSS: a share of today's width (never more) and the physical aspect ratio", () => {
      const tall = canvasBox(181, 217, 0.5);
      close(tall.widthShare, (217 * 126.7) / 303.8 / 181);
      close(tall.aspectRatio, 126.7 / 303.8);
      // Wider pixels on a tall frame: 100×200 pixels of 4×1 mm are 400 mm × 200 mm; the larger
      // side would become 200 wide, twice today's width, so it stays at today's width.
      const capped = canvasBox(100, 200, 4);
      assert.equal(capped.widthShare, 1);
      close(capped.aspectRatio, 2);
      const narrow = canvasBox(100, 100, 0.5);
      close(narrow.widthShare, 0.5);
      close(narrow.aspectRatio, 0.5);
    });

    it('writes CSSOM values, and none for square pixels', () => {
      assert.deepEqual(canvasBoxStyle(181, 217, 1), { width: '', aspectRatio: '' });
      assert.deepEqual(canvasBoxStyle(100, 100, 0.5), { width: '50%', aspectRatio: '0.5' });
      assert.deepEqual(canvasBoxStyle(100, 100, 2), { width: '100%', aspectRatio: '2' });
      assert.deepEqual(canvasBoxStyle(0, 10, 2), { width: '', aspectRatio: '' });
    });
  });

  describe('resampleNearest', () => {
    const source = Uint8Array.from([0, 1, 2, 3, 4, 5]); // 3×2: row 0 = 0 1 2, row 1 = 3 4 5

    it('returns the same array at the same size', () => {
      assert.equal(resampleNearest(source, 3, 2, 3, 2), source);
    });

    it('stretches one axis only', () => {
      assert.deepEqual(Array.from(resampleNearest(source, 3, 2, 3, 4)), [0, 1, 2, 0, 1, 2, 3, 4, 5, 3, 4, 5]);
      assert.deepEqual(Array.from(resampleNearest(source, 3, 2, 6, 2)), [0, 0, 1, 1, 2, 2, 3, 3, 4, 4, 5, 5]);
    });

    it("takes the source pixel under each output pixel's centre when shrinking or stretching by a fraction", () => {
      // 4 → 2 columns: centres at 1 and 3; 2 → 3 rows: centres at 1/3, 1, 5/3 → rows 0, 1, 1.
      const wide = Uint8Array.from([10, 11, 12, 13, 20, 21, 22, 23]);
      assert.deepEqual(Array.from(resampleNearest(wide, 4, 2, 2, 3)), [11, 13, 21, 23, 21, 23]);
    });

    it('repeats every pixel at integer factors', () => {
      assert.deepEqual(
        Array.from(resampleNearest(Uint8Array.from([1, 2, 3, 4, 5, 6]), 3, 2, 6, 4)),
        [1, 1, 2, 2, 3, 3, 1, 1, 2, 2, 3, 3, 4, 4, 5, 5, 6, 6, 4, 4, 5, 5, 6, 6],
      );
      const noise = Uint8Array.from({ length: 7 * 5 }, (_, i) => (i * 37) % 251);
      for (const factor of [1, 2, 3, 4]) {
        const big = resampleNearest(noise, 7, 5, 7 * factor, 5 * factor);
        for (let y = 0; y < 5 * factor; y++)
          for (let x = 0; x < 7 * factor; x++)
            assert.equal(
              big[x + 7 * factor * y],
              noise[Math.floor(x / factor) + 7 * Math.floor(y / factor)],
              `×${factor} at ${x},${y}`,
            );
      }
    });
  });
});
