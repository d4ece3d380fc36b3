/**
 * The work of a run as a list of items (input × model × series, in that order) and the
 * deterministic share of it that one shard runs. Every shard computes the same plan from the
 * experiment and the image headers, so shards never overlap and together cover everything.
 */
import { MisasInputError } from '../../errors';

export interface WorkItem {
  input: number;
  model: number;
  /** Index into the run's series list. */
  series: number;
}

export interface Shard {
  /** 1-based: shard `index` of `count`. */
  index: number;
  count: number;
}

/** Parses "i/N" (1 ≤ i ≤ N); `what` names the source in the error. */
export function parseShard(text: string, what = '--shard'): Shard {
  const match = /^(\d+)\/(\d+)$/.exec(text.trim());
  const index = match ? Number(match[1]) : NaN;
  const count = match ? Number(match[2]) : NaN;
  if (!match || count < 1 || index < 1 || index > count) {
    throw new MisasInputError(what, `"${text}" is not a shard: give i/N with 1 ≤ i ≤ N, e.g. 2/8`);
  }
  return { index, count };
}

/** Every item of the runnable inputs, input-major so a shard reads as few images as it can. */
export function planWork(inputs: readonly number[], modelCount: number, seriesCount: number): WorkItem[] {
  const items: WorkItem[] = [];
  for (const input of inputs) {
    for (let model = 0; model < modelCount; model++) {
      for (let series = 0; series < seriesCount; series++) items.push({ input, model, series });
    }
  }
  return items;
}

/** Shard i of N takes the contiguous block [⌊(i−1)T/N⌋, ⌊iT/N⌋) of the T items. */
export function itemsOfShard<T>(items: readonly T[], shard: Shard | undefined): T[] {
  if (!shard) return [...items];
  const from = Math.floor(((shard.index - 1) * items.length) / shard.count);
  const to = Math.floor((shard.index * items.length) / shard.count);
  return items.slice(from, to);
}
