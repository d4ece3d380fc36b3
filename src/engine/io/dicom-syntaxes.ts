/** DICOM transfer syntaxes: the uncompressed ones, the compressed ones and their decoders, names for the ones we refuse. */
import type { CodecName } from './dicom-codecs';

export const UNCOMPRESSED_SYNTAXES: Record<string, { name: string; littleEndian: boolean }> = {
  '1.2.840.10008.1.2': { name: 'Implicit VR Little Endian', littleEndian: true },
  '1.2.840.10008.1.2.1': { name: 'Explicit VR Little Endian', littleEndian: true },
  '1.2.840.10008.1.2.2': { name: 'Explicit VR Big Endian', littleEndian: false },
};

/**
 * Compressed (encapsulated) syntaxes read, each with its decoder (dicom-codecs.ts). Encapsulated
 * data is little-endian Explicit VR; `lossy` marks syntaxes whose voxels differ from the original.
 */
export const COMPRESSED_SYNTAXES: Record<string, { name: string; codec: CodecName; lossy: boolean }> = {
  '1.2.840.10008.1.2.4.50': { name: 'JPEG Baseline', codec: 'jpeg-baseline', lossy: true },
  '1.2.840.10008.1.2.4.57': { name: 'JPEG Lossless', codec: 'jpeg-lossless', lossy: false },
  '1.2.840.10008.1.2.4.70': { name: 'JPEG Lossless SV1', codec: 'jpeg-lossless', lossy: false },
  '1.2.840.10008.1.2.4.80': { name: 'JPEG-LS Lossless', codec: 'jpeg-ls', lossy: false },
  '1.2.840.10008.1.2.4.81': { name: 'JPEG-LS Near-Lossless', codec: 'jpeg-ls', lossy: true },
  '1.2.840.10008.1.2.4.90': { name: 'JPEG 2000 Lossless', codec: 'jpeg-2000', lossy: false },
  '1.2.840.10008.1.2.4.91': { name: 'JPEG 2000', codec: 'jpeg-2000', lossy: true },
  '1.2.840.10008.1.2.5': { name: 'RLE Lossless', codec: 'rle', lossy: false },
};

/** Syntaxes refused, by name: no decoder here (HTJ2K: no fixture could be written to test OpenJPEG's decoding of it). */
const OTHER_SYNTAX_NAMES: Record<string, string> = {
  '1.2.840.10008.1.2.1.99': 'Deflated Explicit VR Little Endian',
  '1.2.840.10008.1.2.4.51': 'JPEG Extended',
  '1.2.840.10008.1.2.4.201': 'HTJ2K Lossless',
  '1.2.840.10008.1.2.4.202': 'HTJ2K Lossless RPCL',
  '1.2.840.10008.1.2.4.203': 'HTJ2K',
};

export function transferSyntaxName(uid: string): string {
  return UNCOMPRESSED_SYNTAXES[uid]?.name ?? COMPRESSED_SYNTAXES[uid]?.name ?? OTHER_SYNTAX_NAMES[uid] ?? 'unknown';
}
