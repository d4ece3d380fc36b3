/**
 * Intensity normalisation per model card. Statistics come from the image (or slice) itself,
 * over all its model channels together; the result is one linear map per channel, with an
 * optional clip before it (percentile).
 */
import type { NormalizationSpec } from './cardTypes';

export interface IntensityMap {
  /** y = (clip(x) − offset[c]) · gain[c] */
  offset: number[];
  gain: number[];
  clip?: [number, number];
}

/** Percentile with linear interpolation between order statistics (numpy's default). */
function percentile(sorted: Float32Array, p: number): number {
  const position = (p / 100) * (sorted.length - 1);
  const below = Math.floor(position);
  const above = Math.min(below + 1, sorted.length - 1);
  return sorted[below] + (sorted[above] - sorted[below]) * (position - below);
}

function perChannel(value: number | number[] | undefined, channels: number, fallback: number): number[] {
  if (value === undefined) return Array<number>(channels).fill(fallback);
  if (typeof value === 'number') return Array<number>(channels).fill(value);
  return Array.from({ length: channels }, (_, c) => value[value.length === 1 ? 0 : c]);
}

/** The map of a normalisation that needs no statistics of the image ('none', 'scale', 'fixed'), else undefined. */
export function statisticFreeMap(spec: NormalizationSpec, channels: number): IntensityMap | undefined {
  const uniform = (gain: number): IntensityMap => ({
    offset: Array<number>(channels).fill(0),
    gain: Array<number>(channels).fill(gain),
  });
  switch (spec.kind) {
    case 'none':
      return uniform(1);
    case 'scale':
      return uniform(spec.factor ?? 1);
    case 'fixed':
      return { offset: perChannel(spec.mean, channels, 0), gain: perChannel(spec.std, channels, 1).map((s) => 1 / s) };
    default:
      return undefined;
  }
}

/** Builds the map for the given channels (each one plane of model-channel data). */
export function intensityMapFor(spec: NormalizationSpec, channels: readonly Float32Array[]): IntensityMap {
  return intensityMapOfChunks(spec, channels.length, (visit) => channels.forEach((plane, c) => visit(plane, c)));
}

/**
 * Model-channel data in pieces, for statistics without a float copy of a whole volume: calls
 * `visit` for every piece of channel 0 in storage order, then of channel 1, … Each call is one
 * pass over the data (z-score and percentile make two).
 */
export type ChannelChunks = (visit: (values: Float32Array, channel: number) => void) => void;

/**
 * intensityMapFor over data given in pieces. The pieces are visited in the order the whole
 * planes would be, so sums (and so the map) are bit-identical to intensityMapFor's.
 */
export function intensityMapOfChunks(spec: NormalizationSpec, n: number, chunks: ChannelChunks): IntensityMap {
  const fixed = statisticFreeMap(spec, n);
  if (fixed) return fixed;
  const uniform = (offset: number, gain: number, clip?: [number, number]): IntensityMap => ({
    offset: Array<number>(n).fill(offset),
    gain: Array<number>(n).fill(gain),
    ...(clip ? { clip } : {}),
  });
  switch (spec.kind) {
    case 'min-max': {
      let min = Infinity,
        max = -Infinity;
      chunks((plane) => {
        for (let i = 0; i < plane.length; i++) {
          const v = plane[i];
          if (v < min) min = v;
          if (v > max) max = v;
        }
      });
      if (!(min <= max)) return uniform(0, 1);
      return uniform(min, max > min ? 1 / (max - min) : 1);
    }
    case 'z-score': {
      let sum = 0,
        count = 0;
      chunks((plane) => {
        for (let i = 0; i < plane.length; i++) sum += plane[i];
        count += plane.length;
      });
      const mean = count ? sum / count : 0;
      let squares = 0;
      chunks((plane) => {
        for (let i = 0; i < plane.length; i++) squares += (plane[i] - mean) * (plane[i] - mean);
      });
      const sd = count ? Math.sqrt(squares / count) : 0;
      return uniform(mean, sd > 0 ? 1 / sd : 1);
    }
    case 'percentile': {
      let count = 0;
      chunks((plane) => (count += plane.length));
      // Float32 holds the float32 values exactly: half the memory of a float64 copy, the same order statistics.
      const all = new Float32Array(count);
      let at = 0;
      chunks((plane) => {
        all.set(plane, at);
        at += plane.length;
      });
      if (!all.length) return uniform(0, 1);
      all.sort();
      const lo = percentile(all, spec.lo ?? 0);
      const hi = percentile(all, spec.hi ?? 100);
      return uniform(lo, hi > lo ? 1 / (hi - lo) : 1, [lo, hi]);
    }
    default:
      return uniform(0, 1); // not reached: the statistic-free kinds are handled above
  }
}

/**
 * The map applied to `source`'s planes (`size` values each) while they are copied into float32
 * `planes`: the values applyIntensityMap gives on a float32 copy, in one pass instead of two.
 */
export function applyIntensityMapFrom(
  map: IntensityMap,
  source: ArrayLike<number>,
  size: number,
  planes: Float32Array[],
): void {
  for (let c = 0; c < planes.length; c++) {
    const plane = planes[c];
    const offset = map.offset[c];
    const gain = map.gain[c];
    const base = c * size;
    if (map.clip) {
      const [lo, hi] = map.clip;
      for (let i = 0; i < size; i++)
        plane[i] = (Math.min(Math.max(Math.fround(source[base + i]), lo), hi) - offset) * gain;
    } else {
      // Math.fround: the float32 copy's value, which the map is applied to.
      for (let i = 0; i < size; i++) plane[i] = (Math.fround(source[base + i]) - offset) * gain;
    }
  }
}

/** Applies the map in place. */
export function applyIntensityMap(map: IntensityMap, channels: Float32Array[]): void {
  for (let c = 0; c < channels.length; c++) {
    const plane = channels[c];
    const offset = map.offset[c];
    const gain = map.gain[c];
    if (map.clip) {
      const [lo, hi] = map.clip;
      for (let i = 0; i < plane.length; i++) plane[i] = (Math.min(Math.max(plane[i], lo), hi) - offset) * gain;
    } else {
      // Without a clip (min/max against ±Infinity is the identity, NaN included).
      for (let i = 0; i < plane.length; i++) plane[i] = (plane[i] - offset) * gain;
    }
  }
}
