/**
 * The NRRD header (teem's format, NRRD0001…NRRD0005; http://teem.sourceforge.net/nrrd/format.html):
 * "NRRD000N", then one "field: value" per line up to an empty line, after which attached data
 * starts; a detached header (.nhdr) names its data file and may end without the empty line.
 * Comments start with '#'; "key:=value" pairs are free-form and ignored here.
 */
import { MisasInputError } from '../errors';

export interface NrrdHeaderText {
  /** Field name (lower case, "datafile" spelled "data file" and so on) → value as written. */
  fields: Map<string, string>;
  /** Byte where attached data starts (after the empty line); undefined when the header has none. */
  dataStart: number | undefined;
}

/** Old spellings without a space (NRRD0001-3) → the current ones. */
const FIELD_ALIASES: Record<string, string> = {
  datafile: 'data file',
  lineskip: 'line skip',
  byteskip: 'byte skip',
};

/**
 * Splits the header into fields. `complete`: `bytes` is the whole file (else its first
 * MAX_HEADER_BYTES, and a header that does not end in them is refused).
 */
export function parseNrrdHeaderText(file: string, bytes: Uint8Array, complete: boolean): NrrdHeaderText {
  const magic = Buffer.from(bytes.subarray(0, 8)).toString('latin1');
  if (!/^NRRD000[1-5]$/.test(magic)) {
    throw new MisasInputError(file, 'not a NRRD file (it does not start with "NRRD0001"…"NRRD0005")');
  }
  const fields = new Map<string, string>();
  let position = 0;
  let dataStart: number | undefined;
  let first = true;
  while (position < bytes.length) {
    let end = bytes.indexOf(0x0a, position);
    if (end < 0) {
      if (!complete) throw new MisasInputError(file, 'the NRRD header does not end within its first 1 MiB');
      end = bytes.length;
    }
    const line = Buffer.from(bytes.subarray(position, end)).toString('latin1').replace(/\r$/, '');
    position = end + 1;
    if (first) {
      first = false;
      continue;
    }
    if (line === '') {
      dataStart = position;
      break;
    }
    if (line.startsWith('#') || /^[^:]*:=/.test(line)) continue;
    const colon = line.indexOf(': ');
    if (colon < 0)
      throw new MisasInputError(file, `invalid NRRD header line "${line.slice(0, 60)}" (expected "field: value")`);
    const name = line.slice(0, colon).trim().toLowerCase();
    fields.set(FIELD_ALIASES[name] ?? name, line.slice(colon + 2).trim());
  }
  if (dataStart === undefined && !complete) {
    throw new MisasInputError(file, 'the NRRD header does not end within its first 1 MiB');
  }
  return { fields, dataStart };
}

/** NRRD type names (any of the C spellings the format allows) → the element type's name. */
export const NRRD_TYPES: Record<string, string> = {};
const SPELLINGS: [string, string[]][] = [
  ['int8', ['signed char', 'int8', 'int8_t']],
  ['uint8', ['uchar', 'unsigned char', 'uint8', 'uint8_t']],
  ['int16', ['short', 'short int', 'signed short', 'signed short int', 'int16', 'int16_t']],
  ['uint16', ['ushort', 'unsigned short', 'unsigned short int', 'uint16', 'uint16_t']],
  ['int32', ['int', 'signed int', 'int32', 'int32_t']],
  ['uint32', ['uint', 'unsigned int', 'uint32', 'uint32_t']],
  ['int64', ['longlong', 'long long', 'long long int', 'signed long long', 'signed long long int', 'int64', 'int64_t']],
  ['uint64', ['ulonglong', 'unsigned long long', 'unsigned long long int', 'uint64', 'uint64_t']],
  ['float32', ['float']],
  ['float64', ['double']],
];
for (const [name, spellings] of SPELLINGS) for (const spelling of spellings) NRRD_TYPES[spelling] = name;

/** "(1,0,0) none (0,0.5,0)" → [[1,0,0], null, [0,0.5,0]]; undefined entries mark what could not be read. */
export function parseVectors(text: string): (number[] | null | undefined)[] {
  const vectors: (number[] | null | undefined)[] = [];
  for (const match of text.matchAll(/\(([^)]*)\)|none|\S+/g)) {
    if (match[0] === 'none') vectors.push(null);
    else if (match[1] === undefined) vectors.push(undefined);
    else {
      const values = match[1].split(',').map((value) => Number(value.trim()));
      vectors.push(values.every(Number.isFinite) ? values : undefined);
    }
  }
  return vectors;
}

/** '"mm" "mm" "mm"' → ['mm', 'mm', 'mm']; unquoted words are taken as they are. */
export function parseQuotedWords(text: string): string[] {
  return [...text.matchAll(/"([^"]*)"|(\S+)/g)].map((match) => match[1] ?? match[2]);
}
