/**
 * Overlay frames the viewer has fetched, least recently used first out: scrubbing back and forth
 * over a sweep reuses them instead of asking the engine again, and memory stays bounded
 * (a 256×256 frame is about 400 KB).
 */

/** A frame as the viewer draws it: 2D planes, first axis fastest, `width`×`height`. */
export interface OverlayFrame {
  width: number;
  height: number;
  image: Float32Array;
  /** [min, max] of `image`: the window for display. */
  range: [number, number];
  truth?: Uint8Array | Uint16Array;
  prediction: Uint8Array | Uint16Array;
  pseudoTruth: boolean;
  /** Volumes: the slice count along the slice axis and the slice shown. */
  slices?: number;
  slice?: number;
}

export interface FrameKey {
  series: string;
  input: number;
  value: number;
  slice?: number;
  /** Which of the run's models predicted (default 0). */
  model?: number;
}

export function frameKey(key: FrameKey): string {
  return JSON.stringify([key.series, key.input, key.value, key.slice ?? null, key.model ?? 0]);
}

export const FRAME_CACHE_SIZE = 20;

export class FrameCache<T = OverlayFrame> {
  private readonly entries = new Map<string, T>();

  constructor(private readonly capacity = FRAME_CACHE_SIZE) {}

  get size(): number {
    return this.entries.size;
  }

  get(key: FrameKey): T | undefined {
    const id = frameKey(key);
    const value = this.entries.get(id);
    if (value === undefined) return undefined;
    // Map keeps insertion order: re-inserting marks the entry as the most recently used.
    this.entries.delete(id);
    this.entries.set(id, value);
    return value;
  }

  set(key: FrameKey, value: T): void {
    const id = frameKey(key);
    this.entries.delete(id);
    this.entries.set(id, value);
    while (this.entries.size > this.capacity) this.entries.delete(this.entries.keys().next().value!);
  }

  clear(): void {
    this.entries.clear();
  }
}
