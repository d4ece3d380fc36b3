/**
 * Occlusion for segmentation (issue 14 item 2): hide one patch of the image and let the metrics
 * say how much each class's prediction changes. The swept parameter is the patch's position on
 * a grid of patches (size × size pixels, or a cube for volumes, every `stride` pixels); position
 * −1 is the unoccluded image. The map of where the model looks is assembled from the rows
 * (src/engine/sweep/analysis/occlusionMap.ts).
 */
import { MisasInputError } from '../../errors';
import { defineTransform } from '../define';
import type { VoxelArray } from '../../volume';
import { mapChannels } from './channels';
import { gaussianFilter } from './gaussianFilter';

/** A patch: voxel ranges [x0, x1) × [y0, y1) × [z0, z1) (z0 = 0, z1 = 1 for 2D images). */
export interface OcclusionPatch {
  x0: number;
  x1: number;
  y0: number;
  y1: number;
  z0: number;
  z1: number;
}

/**
 * Patch starts along one axis of n voxels: 0, stride, 2·stride, … and, when those miss the far
 * edge, one more patch flush with it, so every voxel is covered. A patch larger than the axis
 * covers all of it.
 */
export function patchStarts(n: number, size: number, stride: number): number[] {
  if (size >= n) return [0];
  const starts: number[] = [];
  for (let start = 0; start + size <= n; start += stride) starts.push(start);
  if (starts[starts.length - 1] + size < n) starts.push(n - size);
  return starts;
}

/** The grid of patches of an image: starts per axis (x, y and, for volumes, z), x fastest. */
export function occlusionGrid(dims: readonly number[], size: number, stride: number): number[][] {
  return dims.slice(0, 3).map((n) => patchStarts(n, size, stride));
}

export function occlusionPositionCount(dims: readonly number[], size: number, stride: number): number {
  return occlusionGrid(dims, size, stride).reduce((count, starts) => count * starts.length, 1);
}

/** The patch at `position` (raster order, x fastest). */
export function occlusionPatch(
  dims: readonly number[],
  size: number,
  stride: number,
  position: number,
): OcclusionPatch {
  const grid = occlusionGrid(dims, size, stride);
  const [xs, ys, zs = [0]] = grid;
  const x0 = xs[position % xs.length];
  const y0 = ys[Math.floor(position / xs.length) % ys.length];
  const z0 = zs[Math.floor(position / (xs.length * ys.length))];
  const end = (start: number, n: number) => Math.min(start + size, n);
  return { x0, x1: end(x0, dims[0]), y0, y1: end(y0, dims[1]), z0, z1: dims.length > 2 ? end(z0, dims[2]) : 1 };
}

/** σ in voxels of the 'blur' fill: half the patch, so the patch keeps its mean brightness but no detail. */
export function blurSigma(size: number): number {
  return size / 2;
}

// The runner transforms the same input at every position: blur it once, not once per patch.
const blurredCache = new WeakMap<VoxelArray, { sigma: number; channels: Map<number, Float64Array> }>();

function blurredChannel(
  image: VoxelArray,
  channel: number,
  values: VoxelArray,
  dims: readonly number[],
  sigma: number,
) {
  let entry = blurredCache.get(image);
  if (entry?.sigma !== sigma) {
    entry = { sigma, channels: new Map() };
    blurredCache.set(image, entry);
  }
  let blurred = entry.channels.get(channel);
  if (!blurred) {
    blurred = gaussianFilter(
      values,
      dims,
      dims.map(() => sigma),
    );
    entry.channels.set(channel, blurred);
  }
  return blurred;
}

function mean(values: ArrayLike<number>): number {
  let sum = 0;
  for (let i = 0; i < values.length; i++) sum += values[i];
  return values.length === 0 ? 0 : sum / values.length;
}

export const occlusion = defineTransform({
  name: 'occlusion',
  title: 'Occlusion',
  description:
    'Hides one patch of size × size pixels (a cube in volumes) at the given position of a grid of patches every `stride` pixels (raster order, x fastest; −1 = nothing hidden), filled with zero, the image mean or a blurred copy; the rows give a map of where the model looks.',
  kind: 'intensity',
  parameter: { name: 'position', unit: '', scale: 'linear', integer: true, minimum: -1 },
  identity: -1,
  defaultSweep: (dims, options) => ({
    start: -1,
    stop: occlusionPositionCount(dims, options.size as number, options.stride as number) - 1,
    step: 1,
  }),
  defaultSweepText: 'every position of the grid of patches (its size and stride options), and −1 (nothing hidden)',
  options: {
    size: {
      type: 'integer',
      default: 16,
      minimum: 1,
      description: 'Side of the patch in voxels (in x, y and, for volumes, z).',
    },
    stride: {
      type: 'integer',
      default: 16,
      minimum: 1,
      description:
        'Distance between patch starts in voxels; a last patch is added flush with the far edge where the stride misses it.',
    },
    fill: {
      type: 'string',
      enum: ['zero', 'mean', 'blur'] as const,
      default: 'mean',
      description:
        "What the patch shows: 0, the image's mean (per channel), or the image blurred with σ = size/2 voxels (keeps the brightness, hides the detail).",
    },
  },
  apply(input, value, options) {
    const { dims } = input.image;
    const count = occlusionPositionCount(dims, options.size, options.stride);
    if (!Number.isInteger(value) || value < -1 || value >= count) {
      throw new MisasInputError(
        '',
        `occlusion: position must be a whole number from −1 (nothing hidden) to ${count - 1}: ${options.size}-voxel patches at stride ${options.stride} give ${count} positions on ${dims.join('×')}, got ${value}`,
      );
    }
    if (value === -1) return mapChannels(input, (values) => values);
    const patch = occlusionPatch(dims, options.size, options.stride, value);
    const [nx, ny] = dims;
    return mapChannels(input, (values, { channel }) => {
      const out = Float64Array.from(values);
      const source =
        options.fill === 'blur'
          ? blurredChannel(input.image.data, channel, values, dims, blurSigma(options.size))
          : undefined;
      const fill = options.fill === 'mean' ? mean(values) : 0;
      for (let z = patch.z0; z < patch.z1; z++) {
        for (let y = patch.y0; y < patch.y1; y++) {
          const row = (z * ny + y) * nx;
          for (let i = row + patch.x0; i < row + patch.x1; i++) out[i] = source ? source[i] : fill;
        }
      }
      return out;
    });
  },
});
