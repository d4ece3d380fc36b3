/**
 * A small GIF89a encoder for animated overlays: one global palette, full-canvas frames of
 * palette indices, LZW-compressed as the GIF specification (W3C/CompuServe GIF89a, appendix F)
 * describes, looped with the NETSCAPE2.0 application extension. No local palettes, no
 * transparency, no interlacing: the overlay export needs none of them.
 */

export interface GifFrame {
  /** Palette indices, `width`×`height`, row by row from the top left. */
  indices: Uint8Array;
  /** How long the frame shows, in hundredths of a second. */
  delayCs: number;
}

export interface GifImage {
  width: number;
  height: number;
  /** Global palette as r, g, b triples: at most 256 colours. */
  palette: Uint8Array;
  frames: readonly GifFrame[];
  /** Times the animation repeats; 0 = forever (NETSCAPE2.0). */
  loop?: number;
}

const MAX_CODE_BITS = 12;
const MAX_CODES = 1 << MAX_CODE_BITS;
/** Data sub-blocks carry at most 255 bytes each. */
const MAX_SUB_BLOCK = 255;

/** A growable byte buffer. */
class ByteWriter {
  private bytes = new Uint8Array(1024);
  length = 0;

  byte(value: number): void {
    if (this.length === this.bytes.length) {
      const grown = new Uint8Array(this.bytes.length * 2);
      grown.set(this.bytes);
      this.bytes = grown;
    }
    this.bytes[this.length++] = value & 0xff;
  }

  /** 16-bit little-endian, as every GIF number is. */
  word(value: number): void {
    this.byte(value);
    this.byte(value >> 8);
  }

  ascii(text: string): void {
    for (let i = 0; i < text.length; i++) this.byte(text.charCodeAt(i));
  }

  array(values: ArrayLike<number>): void {
    for (let i = 0; i < values.length; i++) this.byte(values[i]);
  }

  result(): Uint8Array {
    return this.bytes.slice(0, this.length);
  }
}

/** Bits per palette index: the palette is stored as 2^bits entries, at least 2 (the format's minimum). */
export function paletteBits(colours: number): number {
  let bits = 1;
  while (1 << bits < colours) bits++;
  return bits;
}

/**
 * LZW codes of `indices` packed least-significant bit first, as GIF stores them. Codes start at
 * `minCodeSize + 1` bits and grow when the table reaches the next power of two (the decoder adds
 * its entry one code later than the encoder, hence `next > 1 << codeSize`); when the 4096-entry
 * table is full a clear code starts it again.
 */
export function lzwEncode(indices: ArrayLike<number>, minCodeSize: number): Uint8Array {
  const clearCode = 1 << minCodeSize;
  const endCode = clearCode + 1;
  const out = new ByteWriter();
  let bitBuffer = 0;
  let bitCount = 0;
  let codeSize = minCodeSize + 1;
  const emit = (code: number) => {
    bitBuffer |= code << bitCount;
    bitCount += codeSize;
    while (bitCount >= 8) {
      out.byte(bitBuffer & 0xff);
      bitBuffer >>>= 8;
      bitCount -= 8;
    }
  };
  // (prefix code, next index) → code: prefix · 256 + index is unique while prefix < 4096.
  const table = new Map<number, number>();
  let next = endCode + 1;
  emit(clearCode);
  if (indices.length === 0) {
    emit(endCode);
  } else {
    let prefix = indices[0];
    for (let i = 1; i < indices.length; i++) {
      const index = indices[i];
      const key = prefix * 256 + index;
      const known = table.get(key);
      if (known !== undefined) {
        prefix = known;
        continue;
      }
      emit(prefix);
      if (next < MAX_CODES) {
        table.set(key, next++);
        if (next > 1 << codeSize && codeSize < MAX_CODE_BITS) codeSize++;
      } else {
        emit(clearCode);
        table.clear();
        next = endCode + 1;
        codeSize = minCodeSize + 1;
      }
      prefix = index;
    }
    emit(prefix);
    // The decoder adds one more entry after reading that code: follow its code size.
    if (next < MAX_CODES && next + 1 > 1 << codeSize && codeSize < MAX_CODE_BITS) codeSize++;
    emit(endCode);
  }
  if (bitCount > 0) out.byte(bitBuffer & 0xff);
  return out.result();
}

function subBlocks(out: ByteWriter, data: Uint8Array): void {
  for (let start = 0; start < data.length; start += MAX_SUB_BLOCK) {
    const block = data.subarray(start, Math.min(data.length, start + MAX_SUB_BLOCK));
    out.byte(block.length);
    out.array(block);
  }
  out.byte(0);
}

/** The bytes of an animated GIF89a file. */
export function encodeGif(image: GifImage): Uint8Array {
  const { width, height, palette, frames } = image;
  const colours = palette.length / 3;
  if (!Number.isInteger(colours) || colours < 1 || colours > 256)
    throw new Error(`a GIF palette holds 1…256 colours, not ${palette.length / 3}`);
  if (!(width >= 1 && width <= 0xffff && height >= 1 && height <= 0xffff))
    throw new Error(`a GIF is 1…65535 pixels wide and high, not ${width}×${height}`);
  const bits = paletteBits(colours);
  const out = new ByteWriter();
  out.ascii('GIF89a');
  // Logical screen descriptor: global colour table present, colour resolution = table size.
  out.word(width);
  out.word(height);
  out.byte(0x80 | ((bits - 1) << 4) | (bits - 1));
  out.byte(0); // background colour index
  out.byte(0); // no aspect ratio given
  out.array(palette);
  for (let i = colours; i < 1 << bits; i++) out.array([0, 0, 0]);
  // Application extension NETSCAPE2.0: loop count.
  out.array([0x21, 0xff, 11]);
  out.ascii('NETSCAPE2.0');
  out.array([3, 1]);
  out.word(image.loop ?? 0);
  out.byte(0);
  // The LZW minimum code size is at least 2, even for 2-colour palettes.
  const minCodeSize = Math.max(2, bits);
  for (const frame of frames) {
    if (frame.indices.length !== width * height)
      throw new Error(`a GIF frame has ${width * height} pixels, not ${frame.indices.length}`);
    for (const index of frame.indices)
      if (index >= colours) throw new Error(`palette index ${index} is outside the ${colours}-colour palette`);
    // Graphic control extension: disposal 1 (leave the frame; the next one covers it), the delay.
    out.array([0x21, 0xf9, 4, 1 << 2]);
    out.word(Math.max(0, Math.min(0xffff, Math.round(frame.delayCs))));
    out.array([0, 0]);
    // Image descriptor: the whole canvas, no local colour table, not interlaced.
    out.byte(0x2c);
    out.word(0);
    out.word(0);
    out.word(width);
    out.word(height);
    out.byte(0);
    out.byte(minCodeSize);
    subBlocks(out, lzwEncode(frame.indices, minCodeSize));
  }
  out.byte(0x3b); // trailer
  return out.result();
}
