/**
 * One way to get overlay frames for the whole page, in front of the shared cache: a frame
 * already cached or already being computed is never asked for twice, the viewers' own frames
 * (`load`) go out at once, and background frames (`queue`: thumbnails) wait their turn — at most
 * `backgroundLimit` at a time and only while no viewer frame is being computed, so scrolling
 * past a thumbnail strip never delays the frame the user is looking at. Queued frames can be
 * dropped before they start (a thumbnail scrolled out of view).
 */
import { FrameCache, frameKey, type FrameKey, type OverlayFrame } from './frame-cache';

export type FrameRequester = (key: FrameKey) => Promise<OverlayFrame>;

/** Rejection of a queued frame that was cancelled before it was asked for. */
export class FrameRequestCancelled extends Error {
  constructor() {
    super('the frame request was cancelled');
    this.name = 'FrameRequestCancelled';
  }
}

interface Queued {
  key: FrameKey;
  resolve: (frame: OverlayFrame) => void;
  reject: (error: unknown) => void;
}

export const BACKGROUND_LIMIT = 2;

export class FrameLoader {
  private readonly inFlight = new Map<string, Promise<OverlayFrame>>();
  private readonly waiting: Queued[] = [];
  private foreground = 0;
  private background = 0;

  constructor(
    private readonly request: FrameRequester,
    readonly cache: FrameCache<OverlayFrame>,
    private readonly backgroundLimit = BACKGROUND_LIMIT,
  ) {}

  /** Requests to the host that have not been answered yet (for tests and the limit). */
  get pending(): { foreground: number; background: number; queued: number } {
    return { foreground: this.foreground, background: this.background, queued: this.waiting.length };
  }

  /** A frame now: from the cache, the request already computing it, or a new request. */
  load(key: FrameKey): Promise<OverlayFrame> {
    const cached = this.cache.get(key);
    if (cached) return Promise.resolve(cached);
    this.foreground++;
    return this.fetch(key).finally(() => {
      this.foreground--;
      this.pump();
    });
  }

  /**
   * A frame when the host is free: queued behind viewer frames, at most `backgroundLimit` in
   * flight. `signal` drops it while it still waits (the promise rejects with FrameRequestCancelled).
   */
  queue(key: FrameKey, signal?: AbortSignal): Promise<OverlayFrame> {
    const cached = this.cache.get(key);
    if (cached) return Promise.resolve(cached);
    if (signal?.aborted) return Promise.reject(new FrameRequestCancelled());
    return new Promise((resolve, reject) => {
      const entry: Queued = { key, resolve, reject };
      this.waiting.push(entry);
      signal?.addEventListener(
        'abort',
        () => {
          const at = this.waiting.indexOf(entry);
          if (at < 0) return; // already started: let it finish (it fills the cache)
          this.waiting.splice(at, 1);
          reject(new FrameRequestCancelled());
        },
        { once: true },
      );
      this.pump();
    });
  }

  /** Forgets queued frames (another run is shown); requests in flight still finish. */
  clearQueue(): void {
    for (const entry of this.waiting.splice(0)) entry.reject(new FrameRequestCancelled());
  }

  private pump(): void {
    while (this.foreground === 0 && this.background < this.backgroundLimit && this.waiting.length > 0) {
      const entry = this.waiting.shift()!;
      const cached = this.cache.get(entry.key);
      if (cached) {
        entry.resolve(cached);
        continue;
      }
      this.background++;
      this.fetch(entry.key)
        .then(entry.resolve, entry.reject)
        .finally(() => {
          this.background--;
          this.pump();
        });
    }
  }

  private fetch(key: FrameKey): Promise<OverlayFrame> {
    const id = frameKey(key);
    const running = this.inFlight.get(id);
    if (running) return running;
    const promise = this.request(key).then((frame) => {
      this.cache.set(key, frame);
      return frame;
    });
    this.inFlight.set(id, promise);
    const forget = () => this.inFlight.delete(id);
    promise.then(forget, forget);
    return promise;
  }
}
