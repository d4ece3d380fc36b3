/**
 * PNG chunk structure, checked before decoding: every chunk fits in the file, its CRC matches,
 * IHDR comes first and IEND last. fast-png does not check CRCs, so a damaged file would
 * otherwise decode into wrong pixels without a word.
 */
import { MisasInputError } from '../errors';

/** CRC-32 (ISO 3309 / PNG), table-driven. */
const CRC_TABLE = (() => {
  const table = new Uint32Array(256);
  for (let n = 0; n < 256; n++) {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    table[n] = c >>> 0;
  }
  return table;
})();

export function crc32(bytes: Uint8Array, start = 0, end = bytes.length): number {
  let c = 0xffffffff;
  for (let i = start; i < end; i++) c = CRC_TABLE[(c ^ bytes[i]) & 0xff] ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}

const SIGNATURE_BYTES = 8;

/** Walks the chunks after the signature; a MisasInputError naming `file` for the first structural problem. */
export function checkPngChunks(file: string, bytes: Uint8Array): void {
  const corrupt = (problem: string) => new MisasInputError(file, `corrupt PNG: ${problem}`);
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  let position = SIGNATURE_BYTES;
  let index = 0;
  for (;;) {
    if (position + 8 > bytes.length) {
      throw corrupt(
        `the file is truncated: it ends after ${bytes.length} bytes, before the IEND chunk that closes a PNG`,
      );
    }
    const length = view.getUint32(position);
    const type = String.fromCharCode(...bytes.subarray(position + 4, position + 8));
    const shownType = /^[A-Za-z]{4}$/.test(type) ? type : JSON.stringify(type);
    if (!/^[A-Za-z]{4}$/.test(type))
      throw corrupt(`chunk ${index + 1} at byte ${position} has the invalid type ${shownType}`);
    if (index === 0 && type !== 'IHDR') throw corrupt(`the first chunk is ${shownType}, not IHDR`);
    const end = position + 8 + length + 4;
    if (length > 0x7fffffff || end > bytes.length) {
      throw corrupt(
        `the file is truncated: the ${shownType} chunk at byte ${position} declares ${length} bytes of data but the file ends after ${bytes.length} bytes`,
      );
    }
    const stored = view.getUint32(end - 4);
    const computed = crc32(bytes, position + 4, end - 4);
    if (stored !== computed) {
      throw corrupt(
        `bad CRC in the ${shownType} chunk at byte ${position} (stored ${hex(stored)}, computed ${hex(computed)}); the file is damaged`,
      );
    }
    if (type === 'IEND') return;
    position = end;
    index++;
  }
}

function hex(value: number): string {
  return '0x' + value.toString(16).padStart(8, '0');
}
