/** Shared fixtures of the model tests: the test models' known weights and small volumes. */
import { copyFile, mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { basename, join, resolve } from 'node:path';
import { createRandom } from '../../../src/engine/random';
import { identityAffine, type Volume } from '../../../src/engine/volume';

export const MODELS = resolve('test/data/models');
export const modelFile = (name: string) => join(MODELS, `${name}.onnx`);

/** The weights tools/testmodels/make_models.py gives its 1×1 convolutions (logits_c = W[c]·x + B[c]). */
export const THRESHOLD = { W: [[0], [1], [2]], B: [0, -1, -3] };
export const RGB = {
  W: [
    [0, 0, 0],
    [1, 0.5, -0.5],
    [0.5, 1, 1],
  ],
  B: [0, -1, -3],
};
export const SIGMOID = { W: [[1], [2]], B: [-1, -4] };

/** argmax_c (W[c]·x + B[c]), first maximum wins, and by how much it wins (the margin to the runner-up). */
export function argmaxAffineWithMargin(
  weights: { W: number[][]; B: number[] },
  x: number[],
): { label: number; margin: number } {
  const logits = weights.W.map((w, c) => w.reduce((sum, wi, i) => sum + wi * x[i], weights.B[c]));
  let label = 0;
  logits.forEach((logit, c) => {
    if (logit > logits[label]) label = c;
  });
  const margin = Math.min(...logits.filter((_, c) => c !== label).map((logit) => logits[label] - logit));
  return { label, margin };
}

export function argmaxAffine(weights: { W: number[][]; B: number[] }, x: number[]): number {
  return argmaxAffineWithMargin(weights, x).label;
}

/** Values in [lo, hi) that stay ≥ 0.01 away from the test models' thresholds (multiples of 0.5). */
export function randomValues(n: number, seed: number, lo = 0, hi = 3): Float32Array {
  const random = createRandom(seed);
  const values = new Float32Array(n);
  for (let i = 0; i < n; i++) {
    let v: number;
    do v = lo + (hi - lo) * random.uniform();
    while (Math.abs(v - Math.round(v * 2) / 2) < 0.01);
    values[i] = v;
  }
  return values;
}

export function image2d(nx: number, ny: number, seed: number, channels = 1): Volume {
  return {
    data: randomValues(nx * ny * channels, seed),
    dims: [nx, ny],
    spacing: [0.5, 0.7],
    affine: identityAffine([0.5, 0.7, 1]),
    channels,
  };
}

export function volume3d(dims: number[], seed: number): Volume {
  return {
    data: randomValues(dims[0] * dims[1] * dims[2], seed),
    dims,
    spacing: [1, 2, 3],
    affine: identityAffine([1, 2, 3]),
    channels: 1,
  };
}

/** A copy of a test model (by name, or an .onnx path) in a fresh temporary folder, with the given sidecar card (if any). */
export async function modelWithSidecar(nameOrPath: string, card?: unknown): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'misas-model-'));
  const source = nameOrPath.endsWith('.onnx') ? nameOrPath : modelFile(nameOrPath);
  const file = join(dir, basename(source));
  await copyFile(source, file);
  if (card !== undefined) await writeFile(`${file}.misas.json`, typeof card === 'string' ? card : JSON.stringify(card));
  return file;
}
