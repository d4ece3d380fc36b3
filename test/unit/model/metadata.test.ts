import * as assert from 'node:assert/strict';
import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { readOnnxMetadata } from '../../../src/engine/model/metadata';
import { modelFile } from './fixtures';

/** A tiny protobuf encoder, written for the test (independent of the reader under test). */
function varint(value: number): number[] {
  const bytes: number[] = [];
  do {
    let byte = value % 128;
    value = Math.floor(value / 128);
    if (value > 0) byte |= 0x80;
    bytes.push(byte);
  } while (value > 0);
  return bytes;
}
const tag = (field: number, wire: number) => varint(field * 8 + wire);
const lengthDelimited = (field: number, payload: number[]) => [...tag(field, 2), ...varint(payload.length), ...payload];
const utf8 = (text: string) => [...new TextEncoder().encode(text)];
const entry = (key: string, value: string) =>
  lengthDelimited(14, [...lengthDelimited(1, utf8(key)), ...lengthDelimited(2, utf8(value))]);

async function writeTemp(bytes: number[]): Promise<string> {
  const file = join(await mkdtemp(join(tmpdir(), 'misas-meta-')), 'model.onnx');
  await writeFile(file, Uint8Array.from(bytes));
  return file;
}

describe('readOnnxMetadata', () => {
  it('reads the metadata_props that onnx (Python) wrote', async () => {
    const metadata = await readOnnxMetadata(modelFile('threshold2d'));
    assert.deepEqual(Object.keys(metadata).sort(), ['misas.classes', 'misas.normalization', 'misas.output']);
    assert.deepEqual(JSON.parse(metadata['misas.classes']), ['background', 'low', 'high']);
    assert.equal(metadata['misas.output'], 'logits');
  });

  it('returns no entries for a model without metadata_props', async () => {
    assert.deepEqual(await readOnnxMetadata(modelFile('nhwc')), {});
  });

  it('skips every other wire type and field, before and after the entries, and reads UTF-8', async () => {
    const graph = Array.from({ length: 3000 }, (_, i) => (i * 7) % 256);
    const bytes = [
      ...tag(1, 0),
      ...varint(8), // ir_version
      ...entry('first', 'one'),
      ...lengthDelimited(2, utf8('producer')),
      ...tag(5, 0),
      ...varint(2 ** 40 + 3), // a varint longer than 32 bits
      ...lengthDelimited(7, graph), // a "graph" bigger than one read
      ...tag(30, 1),
      1,
      2,
      3,
      4,
      5,
      6,
      7,
      8, // fixed64
      ...tag(31, 5),
      1,
      2,
      3,
      4, // fixed32
      // An entry with an unknown extra varint field inside, and non-ASCII text.
      ...lengthDelimited(14, [
        ...lengthDelimited(1, utf8('grüße')),
        ...tag(3, 0),
        ...varint(300),
        ...lengthDelimited(2, utf8('["µ"]')),
      ]),
    ];
    const metadata = await readOnnxMetadata(await writeTemp(bytes));
    assert.deepEqual(metadata, { first: 'one', grüße: '["µ"]' });
  });

  it('refuses a truncated file, a missing file, and names them', async () => {
    const bytes = [...tag(1, 0), ...varint(8), ...lengthDelimited(7, Array(100).fill(1)), ...entry('a', 'b')];
    const file = await writeTemp(bytes.slice(0, 50));
    await assert.rejects(
      readOnnxMetadata(file),
      (e: Error) => e.message.startsWith(file) && /truncated/.test(e.message),
    );
    await assert.rejects(readOnnxMetadata('/nonexistent/m.onnx'), /\/nonexistent\/m\.onnx: model file not found/);
  });
});
