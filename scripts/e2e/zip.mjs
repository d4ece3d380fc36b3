// Reads a VSIX (a zip file) with Node alone: lists its entries and extracts it. Enough for the
// archives vsce writes (stored or deflated entries, no zip64, no encryption); no unzip tool needed.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { inflateRawSync } from 'node:zlib';

const END_OF_CENTRAL_DIRECTORY = 0x06054b50;
const CENTRAL_FILE_HEADER = 0x02014b50;
const LOCAL_FILE_HEADER = 0x04034b50;

/** The entries of a zip: name, sizes and where the data starts. */
export function readZipEntries(file) {
  const zip = fs.readFileSync(file);
  const end = findEndOfCentralDirectory(zip, file);
  const count = zip.readUInt16LE(end + 10);
  let offset = zip.readUInt32LE(end + 16);
  const entries = [];
  for (let i = 0; i < count; i++) {
    if (zip.readUInt32LE(offset) !== CENTRAL_FILE_HEADER) throw new Error(`${file}: corrupt central directory`);
    const method = zip.readUInt16LE(offset + 10);
    const compressedSize = zip.readUInt32LE(offset + 20);
    const size = zip.readUInt32LE(offset + 24);
    const nameLength = zip.readUInt16LE(offset + 28);
    const extraLength = zip.readUInt16LE(offset + 30);
    const commentLength = zip.readUInt16LE(offset + 32);
    const localHeader = zip.readUInt32LE(offset + 42);
    const name = zip.toString('utf8', offset + 46, offset + 46 + nameLength);
    entries.push({ name, method, compressedSize, size, localHeader });
    offset += 46 + nameLength + extraLength + commentLength;
  }
  return { zip, entries };
}

/** Extracts every file entry under `targetDir` (refusing names that would leave it). */
export function extractZip(file, targetDir) {
  const { zip, entries } = readZipEntries(file);
  const root = path.resolve(targetDir);
  for (const entry of entries) {
    if (entry.name.endsWith('/')) continue;
    const target = path.resolve(root, entry.name);
    if (!target.startsWith(root + path.sep)) throw new Error(`${file}: entry ${entry.name} leaves the target folder`);
    fs.mkdirSync(path.dirname(target), { recursive: true });
    fs.writeFileSync(target, entryData(zip, entry, file));
  }
  return entries.length;
}

function entryData(zip, entry, file) {
  const at = entry.localHeader;
  if (zip.readUInt32LE(at) !== LOCAL_FILE_HEADER) throw new Error(`${file}: corrupt entry ${entry.name}`);
  const start = at + 30 + zip.readUInt16LE(at + 26) + zip.readUInt16LE(at + 28);
  const raw = zip.subarray(start, start + entry.compressedSize);
  if (entry.method === 0) return raw;
  if (entry.method === 8) return inflateRawSync(raw);
  throw new Error(`${file}: entry ${entry.name} uses unsupported compression method ${entry.method}`);
}

function findEndOfCentralDirectory(zip, file) {
  // The record is 22 bytes plus a comment of up to 64 KiB at the very end.
  for (let at = zip.length - 22; at >= Math.max(0, zip.length - 22 - 0xffff); at--) {
    if (zip.readUInt32LE(at) === END_OF_CENTRAL_DIRECTORY) return at;
  }
  throw new Error(`${file}: not a zip file`);
}
