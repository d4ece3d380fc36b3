/** DICOM transfer syntaxes: the three uncompressed ones we read, names for the ones we refuse. */

export const UNCOMPRESSED_SYNTAXES: Record<string, { name: string; littleEndian: boolean }> = {
  '1.2.840.10008.1.2': { name: 'Implicit VR Little Endian', littleEndian: true },
  '1.2.840.10008.1.2.1': { name: 'Explicit VR Little Endian', littleEndian: true },
  '1.2.840.10008.1.2.2': { name: 'Explicit VR Big Endian', littleEndian: false },
};

const OTHER_SYNTAX_NAMES: Record<string, string> = {
  '1.2.840.10008.1.2.1.99': 'Deflated Explicit VR Little Endian',
  '1.2.840.10008.1.2.4.50': 'JPEG Baseline',
  '1.2.840.10008.1.2.4.51': 'JPEG Extended',
  '1.2.840.10008.1.2.4.57': 'JPEG Lossless',
  '1.2.840.10008.1.2.4.70': 'JPEG Lossless SV1',
  '1.2.840.10008.1.2.4.80': 'JPEG-LS Lossless',
  '1.2.840.10008.1.2.4.81': 'JPEG-LS Near-Lossless',
  '1.2.840.10008.1.2.4.90': 'JPEG 2000 Lossless',
  '1.2.840.10008.1.2.4.91': 'JPEG 2000',
  '1.2.840.10008.1.2.4.201': 'HTJ2K Lossless',
  '1.2.840.10008.1.2.4.202': 'HTJ2K Lossless RPCL',
  '1.2.840.10008.1.2.4.203': 'HTJ2K',
  '1.2.840.10008.1.2.5': 'RLE Lossless',
};

export function transferSyntaxName(uid: string): string {
  return UNCOMPRESSED_SYNTAXES[uid]?.name ?? OTHER_SYNTAX_NAMES[uid] ?? 'unknown';
}
