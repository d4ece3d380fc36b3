/**
 * Reads an ONNX model's `metadata_props` without loading the model: onnxruntime-node does not
 * expose them. The file is a protobuf `ModelProto`; metadata_props is its field 14, a repeated
 * `StringStringEntryProto { key = 1; value = 2; }`. Only the top-level fields are walked and
 * the large ones (the graph) are skipped by seeking, so a 500 MB model costs a few reads.
 */
import { open, type FileHandle } from 'node:fs/promises';
import { MisasInputError } from '../errors';

const METADATA_PROPS_FIELD = 14;
/** More than any sane metadata entry; protects against reading a huge field by mistake. */
const MAX_METADATA_BYTES = 16 * 1024 * 1024;

const enum WireType {
  Varint = 0,
  Fixed64 = 1,
  LengthDelimited = 2,
  Fixed32 = 5,
}

interface Varint {
  value: number;
  /** Bytes the varint occupied. */
  length: number;
}

/** Decodes a base-128 varint; values above 2^53 lose precision, which no length reaches. */
export function decodeVarint(bytes: Uint8Array, start: number): Varint | undefined {
  let value = 0;
  let factor = 1;
  for (let i = start; i < bytes.length && i - start < 10; i++) {
    value += (bytes[i] & 0x7f) * factor;
    factor *= 128;
    if ((bytes[i] & 0x80) === 0) return { value, length: i - start + 1 };
  }
  return undefined;
}

/** The string fields of a small in-memory message, by field number (last occurrence wins). */
function readStringFields(bytes: Uint8Array, file: string): Map<number, string> {
  const fields = new Map<number, string>();
  const decoder = new TextDecoder();
  let pos = 0;
  while (pos < bytes.length) {
    const tag = decodeVarint(bytes, pos);
    if (!tag) throw new MisasInputError(file, 'malformed metadata entry in the ONNX file');
    pos += tag.length;
    const field = Math.floor(tag.value / 8);
    const wire = tag.value % 8;
    if (wire === WireType.LengthDelimited) {
      const length = decodeVarint(bytes, pos);
      if (!length || pos + length.length + length.value > bytes.length)
        throw new MisasInputError(file, 'malformed metadata entry in the ONNX file');
      pos += length.length;
      fields.set(field, decoder.decode(bytes.subarray(pos, pos + length.value)));
      pos += length.value;
    } else if (wire === WireType.Varint) {
      const skipped = decodeVarint(bytes, pos);
      if (!skipped) throw new MisasInputError(file, 'malformed metadata entry in the ONNX file');
      pos += skipped.length;
    } else if (wire === WireType.Fixed64 || wire === WireType.Fixed32) {
      pos += wire === WireType.Fixed64 ? 8 : 4;
    } else {
      throw new MisasInputError(file, 'malformed metadata entry in the ONNX file');
    }
  }
  return fields;
}

async function readAt(handle: FileHandle, position: number, length: number): Promise<Uint8Array> {
  const buffer = new Uint8Array(length);
  const { bytesRead } = await handle.read(buffer, 0, length, position);
  return buffer.subarray(0, bytesRead);
}

/** The key → value pairs of the model's metadata_props (empty when it has none). */
export async function readOnnxMetadata(file: string): Promise<Record<string, string>> {
  const truncated = () => new MisasInputError(file, 'the ONNX file is truncated or not a protobuf model');
  const handle = await open(file, 'r').catch((thrown: NodeJS.ErrnoException) => {
    throw new MisasInputError(
      file,
      thrown.code === 'ENOENT' ? 'model file not found' : `cannot be read (${thrown.code ?? thrown.message})`,
    );
  });
  try {
    const size = (await handle.stat()).size;
    const metadata: Record<string, string> = {};
    let pos = 0;
    while (pos < size) {
      // A tag and a length are at most 10 bytes each.
      const head = await readAt(handle, pos, 20);
      const tag = decodeVarint(head, 0);
      if (!tag) throw truncated();
      const field = Math.floor(tag.value / 8);
      const wire = tag.value % 8;
      let next: number;
      if (wire === WireType.Varint) {
        const value = decodeVarint(head, tag.length);
        if (!value) throw truncated();
        next = pos + tag.length + value.length;
      } else if (wire === WireType.Fixed64 || wire === WireType.Fixed32) {
        next = pos + tag.length + (wire === WireType.Fixed64 ? 8 : 4);
      } else if (wire === WireType.LengthDelimited) {
        const length = decodeVarint(head, tag.length);
        if (!length) throw truncated();
        const start = pos + tag.length + length.length;
        next = start + length.value;
        if (next > size) throw truncated();
        if (field === METADATA_PROPS_FIELD) {
          if (length.value > MAX_METADATA_BYTES)
            throw new MisasInputError(file, 'a metadata entry of the ONNX file is implausibly large');
          const entry = readStringFields(await readAt(handle, start, length.value), file);
          metadata[entry.get(1) ?? ''] = entry.get(2) ?? '';
        }
      } else {
        throw truncated();
      }
      if (next > size) throw truncated();
      pos = next;
    }
    return metadata;
  } finally {
    await handle.close();
  }
}
