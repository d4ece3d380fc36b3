/**
 * The encoded bytes of one frame of encapsulated (compressed) Pixel Data (DICOM PS3.5 A.4): a
 * Basic Offset Table item, then fragments. A frame may span several fragments; the offset table
 * says where each frame starts, and when it is empty a single-frame image is all fragments, and
 * a multi-frame image has one fragment per frame or (JPEG family) frames found by their markers.
 * Only the asked frame's fragments are joined, so frames can be decoded one at a time.
 */
import dicomParser, { type DataSet, type Element } from 'dicom-parser';
import type { CodecName } from './dicom-codecs';

export function encapsulatedFrame(
  dataSet: DataSet,
  pixelData: Element,
  frame: number,
  frames: number,
  codec: CodecName,
): Uint8Array {
  const fragments = pixelData.fragments ?? [];
  if (fragments.length === 0) throw new Error('the encapsulated Pixel Data holds no fragments');
  if (frames === 1) return dicomParser.readEncapsulatedPixelDataFromFragments(dataSet, pixelData, 0, fragments.length);
  if ((pixelData.basicOffsetTable ?? []).length === frames)
    return dicomParser.readEncapsulatedImageFrame(dataSet, pixelData, frame);
  if (fragments.length === frames)
    return dicomParser.readEncapsulatedPixelDataFromFragments(dataSet, pixelData, frame, 1);
  if (codec.startsWith('jpeg')) {
    const table = dicomParser.createJPEGBasicOffsetTable(dataSet, pixelData);
    if (table.length === frames) return dicomParser.readEncapsulatedImageFrame(dataSet, pixelData, frame, table);
  }
  throw new Error(
    `${frames} frames in ${fragments.length} fragments without a Basic Offset Table: where each frame starts is unknown`,
  );
}
