// How the page gets overlay frames: one request per frame however many viewers, thumbnails and
// exports want it, viewer frames first, background (thumbnail) frames at most two at a time and
// droppable while they wait; and the thumbnails' shrunken frames (block means, centre labels).
import * as assert from 'node:assert/strict';
import { FrameCache, frameKey, type FrameKey, type OverlayFrame } from '../../../webview-ui/data/frame-cache';
import { FrameLoader, FrameRequestCancelled } from '../../../webview-ui/data/frame-loader';
import { shrinkFrame, thumbnailSize } from '../../../webview-ui/data/thumbnail';

function fakeFrame(value: number): OverlayFrame {
  return {
    width: 1,
    height: 1,
    image: Float32Array.from([value]),
    range: [value, value],
    prediction: Uint8Array.from([0]),
    pseudoTruth: false,
  };
}

/** A host whose answers the test releases one by one; it records every request and the most in flight. */
function fakeHost() {
  const waiting = new Map<string, { key: FrameKey; answer: () => void; fail: (message: string) => void }>();
  const asked: string[] = [];
  let mostInFlight = 0;
  const request = (key: FrameKey) =>
    new Promise<OverlayFrame>((resolve, reject) => {
      asked.push(`${key.series}@${key.value}`);
      waiting.set(frameKey(key), {
        key,
        answer: () => resolve(fakeFrame(key.value)),
        fail: (message) => reject(new Error(message)),
      });
      mostInFlight = Math.max(mostInFlight, waiting.size);
    });
  const settle = async (value: number, failWith?: string) => {
    const entry = [...waiting.entries()].find(([, w]) => w.key.value === value);
    assert.ok(
      entry,
      `a request for ${value} is in flight (in flight: ${[...waiting.values()].map((w) => w.key.value).join(', ')})`,
    );
    waiting.delete(entry[0]);
    if (failWith) entry[1].fail(failWith);
    else entry[1].answer();
    // Let the loader's promise chains run (then → finally → pump).
    for (let i = 0; i < 5; i++) await Promise.resolve();
  };
  return {
    request,
    asked,
    settle,
    inFlight: () => [...waiting.values()].map((w) => w.key.value).sort((a, b) => a - b),
    mostInFlight: () => mostInFlight,
  };
}

const key = (value: number, series = 'rotate'): FrameKey => ({ series, input: 0, value });

describe('webview frame loader', () => {
  it('asks once per frame: cached frames and frames in flight are shared', async () => {
    const host = fakeHost();
    const loader = new FrameLoader(host.request, new FrameCache());
    const a = loader.load(key(15));
    const b = loader.load(key(15));
    const c = loader.queue(key(15));
    await host.settle(15);
    const frames = await Promise.all([a, b, c]);
    assert.ok(
      frames.every((f) => f === frames[0]),
      'one frame object for all three',
    );
    assert.deepEqual(host.asked, ['rotate@15']);
    assert.equal(await loader.load(key(15)), frames[0], 'then from the cache');
    assert.equal(loader.cache.size, 1);
    assert.deepEqual(host.asked, ['rotate@15']);
  });

  it('runs background frames at most two at a time, and only while no viewer frame is computing', async () => {
    const host = fakeHost();
    const loader = new FrameLoader(host.request, new FrameCache());
    const viewer = loader.load(key(0));
    const thumbs = [-30, -15, 15, 30].map((v) => loader.queue(key(v)));
    await Promise.resolve();
    assert.deepEqual(host.inFlight(), [0], 'thumbnails wait for the viewer frame');
    await host.settle(0);
    await viewer;
    assert.deepEqual(host.inFlight(), [-30, -15], 'then two at a time, in queue order');
    // A viewer frame asked meanwhile goes out at once and holds back the rest of the queue.
    const next = loader.load(key(45));
    assert.deepEqual(host.inFlight(), [-30, -15, 45]);
    await host.settle(-30);
    assert.deepEqual(host.inFlight(), [-15, 45], 'no new thumbnail while the viewer frame computes');
    await host.settle(45);
    await next;
    assert.deepEqual(host.inFlight(), [-15, 15]);
    await host.settle(-15);
    await host.settle(15);
    await host.settle(30);
    assert.deepEqual(
      (await Promise.all(thumbs)).map((f) => f.image[0]),
      [-30, -15, 15, 30],
    );
    assert.equal(host.mostInFlight(), 3, 'two thumbnails plus the viewer frame at most');
    assert.deepEqual(loader.pending, { foreground: 0, background: 0, queued: 0 });
  });

  it('drops queued frames when their signal aborts (a thumbnail scrolled away) and passes errors on', async () => {
    const host = fakeHost();
    const loader = new FrameLoader(host.request, new FrameCache(), 1);
    const first = loader.queue(key(1));
    const away = new AbortController();
    const dropped = loader.queue(key(2), away.signal);
    const kept = loader.queue(key(3));
    away.abort();
    await assert.rejects(dropped, FrameRequestCancelled);
    await host.settle(1, 'No overlay frames in Restricted Mode.');
    await assert.rejects(first, /Restricted Mode/);
    await host.settle(3);
    assert.equal((await kept).image[0], 3);
    assert.deepEqual(host.asked, ['rotate@1', 'rotate@3'], 'the dropped frame was never asked for');
    assert.equal(loader.cache.size, 1, 'failures are not cached');
    const aborted = new AbortController();
    aborted.abort();
    await assert.rejects(loader.queue(key(4), aborted.signal), FrameRequestCancelled);
    const blocker = loader.load(key(6));
    const later = loader.queue(key(5));
    loader.clearQueue();
    await assert.rejects(later, FrameRequestCancelled);
    await host.settle(6);
    await blocker;
    assert.deepEqual(host.asked, ['rotate@1', 'rotate@3', 'rotate@6'], 'a cleared queue asks for nothing');
  });
});

describe('webview thumbnails', () => {
  it('shrinks frames to fit, never enlarging them', () => {
    assert.deepEqual(thumbnailSize(181, 217, 72), { width: 60, height: 72 });
    assert.deepEqual(thumbnailSize(40, 20, 72), { width: 40, height: 20 });
    assert.deepEqual(thumbnailSize(1000, 3, 72), { width: 72, height: 1 });
  });

  it('averages the image over each block and samples labels at the block centre', () => {
    // 4×4 → 2×2: blocks of 2×2 pixels.
    const image = Float32Array.from([0, 2, 10, 10, 4, 6, 10, 30, 1, 1, 5, 5, 1, 1, 5, 9]);
    const prediction = Uint8Array.from([0, 0, 1, 1, 0, 2, 1, 3, 2, 2, 3, 3, 2, 2, 3, 1]);
    const truth = Uint8Array.from([1, 1, 1, 1, 1, 1, 1, 1, 0, 0, 0, 0, 0, 0, 0, 2]);
    const small = shrinkFrame({ width: 4, height: 4, image, range: [0, 30], truth, prediction, pseudoTruth: true }, 2);
    assert.deepEqual([small.width, small.height], [2, 2]);
    assert.deepEqual([...small.image], [3, 15, 1, 6]);
    // Centres at source (1, 1), (3, 1), (1, 3), (3, 3).
    assert.deepEqual([...small.prediction], [2, 3, 2, 1]);
    assert.deepEqual([...small.truth!], [1, 1, 0, 2]);
    assert.deepEqual(small.range, [0, 30], "the frame's grey window");
    assert.equal(small.pseudoTruth, true);
    // Uneven blocks (5 → 2: columns 0–1 and 2–4) and 16-bit labels.
    const wide = shrinkFrame(
      {
        width: 5,
        height: 1,
        image: Float32Array.from([1, 3, 3, 6, 9]),
        range: [1, 9],
        prediction: Uint16Array.from([7, 8, 300, 301, 302]),
        pseudoTruth: false,
      },
      2,
    );
    assert.deepEqual([...wide.image], [2, 6]);
    assert.ok(wide.prediction instanceof Uint16Array);
    assert.deepEqual([...wide.prediction], [8, 301], 'centres at x = 1.25 → 1 and 3.75 → 3');
  });
});
