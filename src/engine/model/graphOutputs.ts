/**
 * Which operator computes each graph output of an ONNX model (e.g. "Sigmoid"), read from the
 * protobuf without loading the model: onnxruntime-node does not expose the graph. ModelProto
 * field 7 is the GraphProto; its field 1 holds the NodeProtos (output = 2, op_type = 4). Large
 * fields (initializers: the weights) are skipped by seeking, as in metadata.ts.
 */
import { open, type FileHandle } from 'node:fs/promises';
import { decodeVarint } from './metadata';

const MODEL_GRAPH_FIELD = 7;
const GRAPH_NODE_FIELD = 1;
const NODE_OUTPUT_FIELD = 2;
const NODE_OP_TYPE_FIELD = 4;
/** A node message larger than this is not a plain node (subgraphs, constants): skipped. */
const MAX_NODE_BYTES = 1024 * 1024;

interface Field {
  field: number;
  wire: number;
  /** Start of the value (length-delimited: of its bytes). */
  start: number;
  /** End of the value. */
  end: number;
}

type ReadAt = (position: number, length: number) => Promise<Uint8Array>;

/** The fields of a message spanning [from, to) of the file, one after another. */
async function* fields(readAt: ReadAt, from: number, to: number): AsyncGenerator<Field> {
  let pos = from;
  while (pos < to) {
    const head = await readAt(pos, 20);
    const tag = decodeVarint(head, 0);
    if (!tag) return;
    const field = Math.floor(tag.value / 8),
      wire = tag.value % 8;
    let start: number, end: number;
    if (wire === 0) {
      const value = decodeVarint(head, tag.length);
      if (!value) return;
      start = pos + tag.length;
      end = start + value.length;
    } else if (wire === 1 || wire === 5) {
      start = pos + tag.length;
      end = start + (wire === 1 ? 8 : 4);
    } else if (wire === 2) {
      const length = decodeVarint(head, tag.length);
      if (!length) return;
      start = pos + tag.length + length.length;
      end = start + length.value;
    } else {
      return;
    }
    if (end > to) return;
    yield { field, wire, start, end };
    pos = end;
  }
}

/** Output tensor name → op_type of the node that computes it; {} when the file cannot be walked. */
export async function readOutputProducers(file: string): Promise<Record<string, string>> {
  let handle: FileHandle;
  try {
    handle = await open(file, 'r');
  } catch {
    return {};
  }
  const readAt: ReadAt = async (position, length) => {
    const buffer = new Uint8Array(length);
    const { bytesRead } = await handle.read(buffer, 0, length, position);
    return buffer.subarray(0, bytesRead);
  };
  const producers: Record<string, string> = {};
  const decoder = new TextDecoder();
  try {
    const size = (await handle.stat()).size;
    for await (const model of fields(readAt, 0, size)) {
      if (model.field !== MODEL_GRAPH_FIELD || model.wire !== 2) continue;
      for await (const graph of fields(readAt, model.start, model.end)) {
        if (graph.field !== GRAPH_NODE_FIELD || graph.wire !== 2 || graph.end - graph.start > MAX_NODE_BYTES) continue;
        const node = await readAt(graph.start, graph.end - graph.start);
        const outputs: string[] = [];
        let opType = '';
        for await (const part of fields(async (p, n) => node.subarray(p, p + n), 0, node.length)) {
          if (part.wire !== 2) continue;
          if (part.field === NODE_OUTPUT_FIELD) outputs.push(decoder.decode(node.subarray(part.start, part.end)));
          if (part.field === NODE_OP_TYPE_FIELD) opType = decoder.decode(node.subarray(part.start, part.end));
        }
        for (const output of outputs) producers[output] = opType;
      }
    }
  } finally {
    await handle.close();
  }
  return producers;
}
