// The overlay viewer's pure parts: grey levels, label blending (fill and contour), colour
// parsing, nearest sweep value, and the LRU frame cache.
import * as assert from 'node:assert/strict';
import { FrameCache } from '../../../webview-ui/data/frame-cache';
import {
  composeOverlay,
  greyLevels,
  nearestIndex,
  parseColor,
  type OverlayStyle,
} from '../../../webview-ui/data/overlay';

const RED = [255, 0, 0] as const;
const BLUE = [0, 0, 255] as const;

/** The pixel at (x, y) of an RGBA array `width` wide. */
function pixel(rgba: Uint8ClampedArray, width: number, x: number, y: number): number[] {
  const i = (x + width * y) * 4;
  return [...rgba.subarray(i, i + 4)];
}

describe('webview overlay pixels', () => {
  it('maps the image range to black…white and a flat image to mid-grey', () => {
    assert.deepEqual([...greyLevels(Float32Array.from([-1, 0, 1, 3]), [-1, 3])], [0, 64, 128, 255]);
    assert.deepEqual([...greyLevels(Float32Array.from([5, 5]), [5, 5])], [128, 128]);
  });

  it('fills labelled pixels with the class colour at the opacity, leaving hidden classes and unlabelled pixels grey', () => {
    const grey = Uint8ClampedArray.from([100, 100, 100, 100]);
    const labels = Uint8Array.from([0, 1, 2, 1]);
    const style: OverlayStyle = { mode: 'fill', opacity: 0.25, colors: [undefined, RED, undefined] };
    const rgba = composeOverlay(grey, labels, 2, 2, style);
    assert.deepEqual(pixel(rgba, 2, 0, 0), [100, 100, 100, 255]);
    // 100 + (255 − 100)·0.25 = 138.75 → 139; 100 + (0 − 100)·0.25 = 75
    assert.deepEqual(pixel(rgba, 2, 1, 0), [139, 75, 75, 255]);
    assert.deepEqual(pixel(rgba, 2, 0, 1), [100, 100, 100, 255], 'class 2 is hidden');
    assert.deepEqual(pixel(rgba, 2, 1, 1), [139, 75, 75, 255]);
    assert.deepEqual(pixel(composeOverlay(grey, labels, 2, 2, { ...style, opacity: 1 }), 2, 1, 0), [255, 0, 0, 255]);
  });

  it('draws contours on region edges only (4-neighbourhood, image border included)', () => {
    // A 3×3 block of class 1 in a 5×5 image: its ring is the edge, its centre is inside.
    const width = 5;
    const labels = new Uint8Array(25);
    for (let y = 1; y <= 3; y++) for (let x = 1; x <= 3; x++) labels[x + width * y] = 1;
    const grey = new Uint8ClampedArray(25).fill(0);
    const rgba = composeOverlay(grey, labels, 5, 5, { mode: 'contour', opacity: 1, colors: [undefined, BLUE] });
    const blue = (x: number, y: number) => pixel(rgba, width, x, y)[2] === 255;
    assert.equal(blue(2, 2), false, 'the centre is not an edge');
    for (const [x, y] of [
      [1, 1],
      [2, 1],
      [3, 1],
      [1, 2],
      [3, 2],
      [1, 3],
      [2, 3],
      [3, 3],
    ])
      assert.ok(blue(x, y), `(${x}, ${y}) is on the ring`);
    assert.equal(blue(0, 0), false, 'background is not drawn');
    // At low opacity contours stay at least half opaque.
    const faint = composeOverlay(grey, labels, 5, 5, { mode: 'contour', opacity: 0.1, colors: [undefined, BLUE] });
    assert.equal(pixel(faint, width, 1, 1)[2], 128);
  });

  it('parses theme colours and finds the nearest sweep value', () => {
    assert.deepEqual(parseColor(' #0072b2 '), [0, 114, 178]);
    assert.deepEqual(parseColor('#fff'), [255, 255, 255]);
    assert.deepEqual(parseColor('rgb(1, 2, 3)'), [1, 2, 3]);
    assert.equal(parseColor('var(--x)'), undefined);
    assert.equal(nearestIndex([-10, 0, 10, 20], 4), 1);
    assert.equal(nearestIndex([-10, 0, 10, 20], 16), 3);
    assert.equal(nearestIndex([-10, 0, 10, 20], -99), 0);
  });
});

describe('webview frame cache', () => {
  it('keeps the most recently used frames and drops the oldest', () => {
    const cache = new FrameCache<string>(2);
    const a = { series: 'rotate', input: 0, value: 0 };
    const b = { series: 'rotate', input: 0, value: 90 };
    const c = { series: 'rotate', input: 1, value: 90 };
    cache.set(a, 'a');
    cache.set(b, 'b');
    assert.equal(cache.get(a), 'a', 'a is now the most recent');
    cache.set(c, 'c');
    assert.equal(cache.get(b), undefined, 'b was the least recently used');
    assert.equal(cache.get(a), 'a');
    assert.equal(cache.get(c), 'c');
    assert.equal(cache.size, 2);
    assert.equal(cache.get({ ...a, slice: 3 }), undefined, 'a slice is another frame');
  });
});
