// The GIF89a encoder, checked by decoding its bytes with a decoder written here from the GIF89a
// specification (CI runs no Python, so no PIL at test time): header, logical screen descriptor,
// global colour table, NETSCAPE2.0 loop, graphic control delays, image descriptors and the
// variable-width LZW stream. Covers several frames, streams long enough to fill the 4096-entry
// table (clear codes mid-stream), 1- and 2-colour palettes, and the indexed overlay palette
// against composeOverlay's blended colours.
import * as assert from 'node:assert/strict';
import { encodeGif, type GifFrame } from '../../../webview-ui/data/gif';
import { gifScale, greyIndices, indexedOverlay, overlayPalette } from '../../../webview-ui/data/gif-overlay';
import { composeOverlay, type OverlayStyle } from '../../../webview-ui/data/overlay';
import { parseWebviewMessage } from '../../../src/protocol/webview';

interface DecodedGif {
  signature: string;
  width: number;
  height: number;
  palette: number[];
  loop: number | undefined;
  frames: Array<{
    delayCs: number;
    left: number;
    top: number;
    width: number;
    height: number;
    indices: number[];
    clearCodes: number;
    maxCodeBits: number;
  }>;
}

/** Reads the variable-width LZW codes of one image (GIF89a appendix F) into palette indices. */
function lzwDecode(data: number[], minCodeSize: number, pixelCount: number) {
  const clear = 2 ** minCodeSize;
  const end = clear + 1;
  // The table as (prefix code, last byte, first byte, length), so strings are rebuilt by walking prefixes.
  const prefix: number[] = [];
  const suffix: number[] = [];
  const first: number[] = [];
  const length: number[] = [];
  for (let c = 0; c < clear; c++) {
    prefix[c] = -1;
    suffix[c] = c;
    first[c] = c;
    length[c] = 1;
  }
  let size = minCodeSize + 1;
  let available = clear + 2;
  let previous = -1;
  let bit = 0;
  let clearCodes = 0;
  let maxCodeBits = size;
  const out: number[] = [];
  const readCode = () => {
    let code = 0;
    for (let i = 0; i < size; i++, bit++) {
      if (bit >> 3 >= data.length) throw new Error('the LZW data ended without an end code');
      code += ((data[bit >> 3] >> (bit & 7)) & 1) * 2 ** i;
    }
    return code;
  };
  const stringOf = (code: number) => {
    const s: number[] = new Array(length[code]);
    for (let c = code, i = length[code] - 1; i >= 0; c = prefix[c], i--) s[i] = suffix[c];
    return s;
  };
  for (;;) {
    const code = readCode();
    if (code === clear) {
      clearCodes++;
      size = minCodeSize + 1;
      available = clear + 2;
      previous = -1;
      continue;
    }
    if (code === end) break;
    let entry: number[];
    if (previous === -1) {
      assert.ok(code < clear, `first code after a clear is a root (${code})`);
      entry = stringOf(code);
    } else {
      if (code < available) entry = stringOf(code);
      else if (code === available)
        entry = [...stringOf(previous), first[previous]]; // the KwKwK case
      else throw new Error(`code ${code} is beyond the table (${available})`);
      if (available < 4096) {
        prefix[available] = previous;
        suffix[available] = entry[0];
        first[available] = first[previous];
        length[available] = length[previous] + 1;
        available++;
        if (available === 2 ** size && size < 12) size++;
      }
    }
    maxCodeBits = Math.max(maxCodeBits, size);
    out.push(...entry);
    previous = code;
  }
  assert.equal(out.length, pixelCount, 'decoded pixels');
  return { indices: out, clearCodes, maxCodeBits };
}

function decodeGif(bytes: Uint8Array): DecodedGif {
  let at = 0;
  const u8 = () => bytes[at++];
  const u16 = () => bytes[at++] + 256 * bytes[at++];
  const take = (n: number) => Array.from(bytes.subarray(at, (at += n)));
  const blocks = () => {
    const data: number[] = [];
    for (let n = u8(); n !== 0; n = u8()) data.push(...take(n));
    return data;
  };
  const signature = String.fromCharCode(...take(6));
  const width = u16();
  const height = u16();
  const packed = u8();
  u8(); // background
  u8(); // aspect
  assert.ok(packed & 0x80, 'global colour table present');
  const palette = take(3 * 2 ** ((packed & 7) + 1));
  const gif: DecodedGif = { signature, width, height, palette, loop: undefined, frames: [] };
  let delayCs = 0;
  for (;;) {
    const introducer = u8();
    if (introducer === 0x3b) break;
    if (introducer === 0x21) {
      const label = u8();
      if (label === 0xf9) {
        assert.equal(u8(), 4);
        u8();
        delayCs = u16();
        u8();
        assert.equal(u8(), 0);
      } else if (label === 0xff) {
        const size = u8();
        const id = String.fromCharCode(...take(size));
        const data = blocks();
        if (id === 'NETSCAPE2.0') {
          assert.equal(data[0], 1);
          gif.loop = data[1] + 256 * data[2];
        }
      } else blocks();
    } else if (introducer === 0x2c) {
      const left = u16();
      const top = u16();
      const w = u16();
      const h = u16();
      const flags = u8();
      assert.equal(flags & 0xc0, 0, 'no local colour table, not interlaced');
      const minCodeSize = u8();
      const decoded = lzwDecode(blocks(), minCodeSize, w * h);
      gif.frames.push({ delayCs, left, top, width: w, height: h, ...decoded });
    } else {
      throw new Error(`unexpected block 0x${introducer.toString(16)} at byte ${at - 1}`);
    }
  }
  assert.equal(at, bytes.length, 'nothing after the trailer');
  return gif;
}

/** A deterministic pseudo-random generator (mulberry32), so the frames differ from run to run of nothing. */
function random(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function greyPalette(colours: number): Uint8Array {
  const palette = new Uint8Array(colours * 3);
  for (let i = 0; i < colours; i++) palette.fill(Math.round((i * 255) / Math.max(1, colours - 1)), i * 3, i * 3 + 3);
  return palette;
}

function roundTrip(width: number, height: number, palette: Uint8Array, frames: GifFrame[], loop?: number) {
  const bytes = encodeGif({ width, height, palette, frames, ...(loop !== undefined ? { loop } : {}) });
  const gif = decodeGif(bytes);
  assert.equal(gif.signature, 'GIF89a');
  assert.deepEqual([gif.width, gif.height], [width, height]);
  assert.deepEqual(gif.palette.slice(0, palette.length), [...palette]);
  assert.equal(gif.frames.length, frames.length);
  frames.forEach((frame, i) => {
    const decoded = gif.frames[i];
    assert.deepEqual([decoded.left, decoded.top, decoded.width, decoded.height], [0, 0, width, height]);
    assert.equal(decoded.delayCs, frame.delayCs, `frame ${i} delay`);
    assert.deepEqual(decoded.indices, [...frame.indices], `frame ${i} indices`);
  });
  return gif;
}

describe('webview GIF encoder', () => {
  it('writes frames that decode to their indices, with delays and the loop count', () => {
    const next = random(1);
    const frames = [0, 1, 2, 3].map((n) => ({
      indices: Uint8Array.from({ length: 13 * 7 }, () => Math.floor(next() * 16)),
      delayCs: 10 + n * 15,
    }));
    const gif = roundTrip(13, 7, greyPalette(16), frames, 0);
    assert.equal(gif.loop, 0, 'loops forever');
    assert.equal(roundTrip(13, 7, greyPalette(16), frames.slice(0, 1), 3).loop, 3);
  });

  it('resets the dictionary in streams of more than 4096 codes (256 colours, noise)', () => {
    const next = random(2);
    const width = 160;
    const height = 120;
    const noise = Uint8Array.from({ length: width * height }, () => Math.floor(next() * 256));
    // Runs and repeats too: long strings in the table, codes growing to 12 bits before the reset.
    const stripes = Uint8Array.from(
      { length: width * height },
      (_, i) => ((i % width) >> 3) * 7 + Math.floor(i / width / 9),
    );
    const gif = roundTrip(width, height, greyPalette(256), [
      { indices: noise, delayCs: 50 },
      { indices: stripes, delayCs: 50 },
    ]);
    assert.ok(
      gif.frames[0].clearCodes > 3,
      `noise fills the table again and again (${gif.frames[0].clearCodes} clear codes)`,
    );
    assert.equal(gif.frames[0].maxCodeBits, 12);
    assert.ok(gif.frames[1].maxCodeBits >= 10);
  });

  it('handles 1- and 2-colour palettes, single pixels and long uniform runs', () => {
    const one = roundTrip(9, 4, Uint8Array.from([200, 10, 30]), [{ indices: new Uint8Array(36), delayCs: 7 }]);
    assert.deepEqual(one.palette.slice(0, 6), [200, 10, 30, 0, 0, 0], 'padded to the minimum table of two entries');
    roundTrip(1, 1, Uint8Array.from([1, 2, 3]), [
      { indices: new Uint8Array(1), delayCs: 0 },
      { indices: new Uint8Array(1), delayCs: 1 },
    ]);
    const next = random(3);
    roundTrip(31, 17, greyPalette(2), [
      { indices: Uint8Array.from({ length: 31 * 17 }, () => (next() < 0.5 ? 0 : 1)), delayCs: 20 },
    ]);
    // A flat 400×300 frame: runs grow one pixel per code; and one with a single odd pixel at the end.
    const flat = new Uint8Array(400 * 300).fill(5);
    const odd = flat.slice();
    odd[odd.length - 1] = 6;
    roundTrip(400, 300, greyPalette(8), [
      { indices: flat, delayCs: 100 },
      { indices: odd, delayCs: 100 },
    ]);
    // Every table size up to the 12-bit limit, on mixed data: code-size changes at each power of two.
    for (const n of [3, 5, 9, 33, 130]) {
      const mixed = Uint8Array.from({ length: 64 * 64 }, (_, i) => (next() < 0.7 ? i % n : Math.floor(next() * n)));
      roundTrip(64, 64, greyPalette(n), [{ indices: mixed, delayCs: 4 }]);
    }
  });

  it('is an export format the extension takes as bytes only', () => {
    const data = encodeGif({
      width: 1,
      height: 1,
      palette: greyPalette(2),
      frames: [{ indices: new Uint8Array(1), delayCs: 1 }],
    }).buffer as ArrayBuffer;
    const message = {
      type: 'export',
      requestId: 4,
      format: 'gif',
      fileName: 'report-fixture-rotate-prediction.gif',
      data,
    };
    assert.deepEqual(parseWebviewMessage(message), message);
    assert.equal(parseWebviewMessage({ ...message, data: 'GIF89a' }), null, 'not as text');
  });

  it('refuses indices outside the palette and wrong frame sizes', () => {
    assert.throws(
      () =>
        encodeGif({
          width: 2,
          height: 1,
          palette: greyPalette(2),
          frames: [{ indices: Uint8Array.from([0, 2]), delayCs: 1 }],
        }),
      /index 2 is outside the 2-colour palette/,
    );
    assert.throws(
      () =>
        encodeGif({
          width: 2,
          height: 2,
          palette: greyPalette(2),
          frames: [{ indices: new Uint8Array(3), delayCs: 1 }],
        }),
      /4 pixels, not 3/,
    );
    assert.throws(() => encodeGif({ width: 2, height: 2, palette: new Uint8Array(0), frames: [] }), /1…256 colours/);
  });
});

describe('webview GIF overlay palette', () => {
  const ORANGE = [213, 94, 0] as const;
  const BLUE = [0, 114, 178] as const;
  const GREEN = [0, 158, 115] as const;

  function frame(seed: number, width: number, height: number) {
    const next = random(seed);
    const grey = Uint8ClampedArray.from({ length: width * height }, () => Math.floor(next() * 256));
    // Blobs of classes 0…3 (so contours have insides), with some noise.
    const labels = Uint8Array.from({ length: width * height }, (_, i) =>
      next() < 0.1 ? Math.floor(next() * 4) : (((i % width) >> 2) + (Math.floor(i / width) >> 2)) % 4,
    );
    return { grey, labels };
  }

  for (const style of [
    { mode: 'fill', opacity: 0.45, colors: [undefined, ORANGE, BLUE, GREEN] },
    { mode: 'fill', opacity: 1, colors: [undefined, ORANGE, undefined, GREEN] },
    { mode: 'contour', opacity: 0.2, colors: [undefined, ORANGE, BLUE, GREEN] },
    {
      mode: 'fill',
      opacity: 0.7,
      colors: [ORANGE, BLUE, GREEN, [240, 228, 66], [204, 121, 167], [86, 180, 233], [0, 0, 0], [255, 255, 255]],
    },
  ] satisfies OverlayStyle[]) {
    const drawn = style.colors.filter(Boolean).length;
    it(`indexes overlays so the palette colours are composeOverlay's within a grey step (${style.mode}, opacity ${style.opacity}, ${drawn} classes)`, () => {
      const width = 24;
      const height = 20;
      const { grey, labels } = frame(drawn * 10 + style.opacity * 100, width, height);
      const palette = overlayPalette(style);
      assert.equal(palette.palette.length, 256 * 3);
      const indices = indexedOverlay(grey, labels, width, height, style, palette);
      const rgba = composeOverlay(grey, labels, width, height, style);
      // Quantising the grey level to the ramp moves it by at most half a step; blending only shrinks that.
      const steps = Math.min(palette.greySteps, palette.classSteps);
      const bound = 255 / (steps - 1) / 2 + 1;
      let worst = 0;
      let drawnPixels = 0;
      for (let i = 0; i < width * height; i++) {
        if (indices[i] >= palette.greySteps) drawnPixels++;
        for (let c = 0; c < 3; c++)
          worst = Math.max(worst, Math.abs(palette.palette[indices[i] * 3 + c] - rgba[i * 4 + c]));
      }
      assert.ok(worst <= bound, `worst channel difference ${worst} > ${bound}`);
      assert.ok(drawnPixels > 0, 'some pixels use class ramps');
      assert.ok(palette.greySteps >= 2 && palette.classSteps >= 2);
    });
  }

  it('gives exact class colours at full opacity and a grey ramp from black to white', () => {
    const style: OverlayStyle = { mode: 'fill', opacity: 1, colors: [undefined, ORANGE, BLUE, GREEN] };
    const palette = overlayPalette(style);
    assert.deepEqual([palette.greySteps, palette.classSteps], [64, 64]);
    assert.deepEqual([...palette.palette.subarray(0, 3)], [0, 0, 0]);
    assert.deepEqual([...palette.palette.subarray(63 * 3, 64 * 3)], [255, 255, 255]);
    assert.deepEqual([...palette.classBase], [-1, 64, 128, 192]);
    const indices = indexedOverlay(
      Uint8ClampedArray.from([0, 255, 128]),
      Uint8Array.from([1, 2, 0]),
      3,
      1,
      style,
      palette,
    );
    assert.deepEqual([...palette.palette.subarray(indices[0] * 3, indices[0] * 3 + 3)], [...ORANGE]);
    assert.deepEqual([...palette.palette.subarray(indices[1] * 3, indices[1] * 3 + 3)], [...BLUE]);
    assert.equal(indices[2], 32, 'grey 128 → grey step round(128·63/255) = 32');
    assert.deepEqual([...greyIndices([0, 255], palette)], [0, 63]);
  });

  it('picks the enlargement from the frame size', () => {
    assert.equal(gifScale(181, 217), 2);
    assert.equal(gifScale(32, 32), 4);
    assert.equal(gifScale(512, 400), 1);
  });
});
