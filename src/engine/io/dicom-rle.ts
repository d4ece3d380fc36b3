/**
 * RLE Lossless (transfer syntax 1.2.840.10008.1.2.5), decoded as DICOM PS3.5 Annex G describes
 * it. No maintained standalone npm decoder exists (the codec libraries that have one bundle it
 * with a whole image loader), and the format is small:
 *
 * - a frame starts with a 64-byte header of 16 little-endian uint32: the number of segments
 *   (1…15), then each segment's offset from the start of the header;
 * - a segment holds one byte of every pixel of one sample, PackBits-coded: a header byte n in
 *   0…127 copies the next n + 1 bytes, n in −127…−1 repeats the next byte 1 − n times, −128
 *   does nothing;
 * - segments come sample by sample and, within a sample, most significant byte first (G.2), so a
 *   16-bit grey frame is segment 0 = high bytes, segment 1 = low bytes.
 *
 * The output is what the other decoders give: samples interleaved per pixel, little-endian.
 */
import type { FrameFormat } from './dicom-codecs';

const HEADER_BYTES = 64;

export function decodeRle(encoded: Uint8Array, { rows, columns, samples, bytesPerSample }: FrameFormat): Uint8Array {
  if (encoded.length < HEADER_BYTES) throw new Error(`the RLE header needs 64 bytes, the frame has ${encoded.length}`);
  const view = new DataView(encoded.buffer, encoded.byteOffset, encoded.byteLength);
  const segments = view.getUint32(0, true);
  const expected = samples * bytesPerSample;
  if (segments !== expected) {
    throw new Error(
      `the RLE header lists ${segments} segment(s), ${samples} sample(s) of ${bytesPerSample} byte(s) need ${expected}`,
    );
  }
  const pixels = rows * columns;
  const out = new Uint8Array(pixels * expected);
  for (let segment = 0; segment < segments; segment++) {
    const start = view.getUint32(4 + 4 * segment, true);
    const end = segment + 1 < segments ? view.getUint32(8 + 4 * segment, true) : encoded.length;
    if (start < HEADER_BYTES || end < start || end > encoded.length) {
      throw new Error(`RLE segment ${segment} lies at bytes ${start}…${end}, outside the frame's ${encoded.length}`);
    }
    const sample = Math.floor(segment / bytesPerSample);
    // Most significant byte first in the file; little-endian out: byte b of the sample lands at (bytesPerSample − 1 − b).
    const byteInSample = bytesPerSample - 1 - (segment % bytesPerSample);
    const written = unpackBits(encoded, start, end, out, sample * bytesPerSample + byteInSample, expected, pixels);
    if (written < pixels) {
      throw new Error(`RLE segment ${segment} decodes to ${written} of the ${pixels} pixels: truncated or damaged`);
    }
  }
  return out;
}

/** PackBits from encoded[start, end) into out[first + k·stride] for k < count; returns how many bytes it wrote. */
function unpackBits(
  encoded: Uint8Array,
  start: number,
  end: number,
  out: Uint8Array,
  first: number,
  stride: number,
  count: number,
): number {
  let k = 0;
  let at = start;
  while (at < end && k < count) {
    const n = (encoded[at++] << 24) >> 24; // as int8
    if (n >= 0) {
      const run = Math.min(n + 1, end - at, count - k);
      for (let i = 0; i < run; i++) out[first + (k + i) * stride] = encoded[at + i];
      at += n + 1;
      k += run;
    } else if (n !== -128) {
      if (at >= end) break;
      const value = encoded[at++];
      const run = Math.min(1 - n, count - k);
      for (let i = 0; i < run; i++) out[first + (k + i) * stride] = value;
      k += run;
    }
  }
  return k;
}
