/**
 * Dataset manifests: a CSV file (RFC 4180 quoting, a byte-order mark tolerated) whose header
 * row names the columns `image` (required), `mask` and `group`. An empty mask cell means the
 * input has no ground truth on purpose: the prediction on the untransformed image is its truth.
 */
import { readFileSync } from 'node:fs';
import { MisasInputError } from '../errors';

export interface CsvRecord {
  /** Line number (from 1) where the record starts. */
  line: number;
  fields: string[];
}

export interface ManifestRow {
  line: number;
  /** Paths as written, relative to the manifest's folder. */
  image: string;
  mask?: string;
  group?: string;
}

export const MANIFEST_COLUMNS = ['image', 'mask', 'group'] as const;
type Column = (typeof MANIFEST_COLUMNS)[number];

/**
 * Records of a CSV text. Unquoted fields are trimmed; quoted fields are kept exactly (`""` is a
 * quote inside them, and they may span lines). Blank lines are skipped.
 */
export function parseCsv(text: string, file: string): CsvRecord[] {
  const source = text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
  const records: CsvRecord[] = [];
  let fields: string[] = [];
  let field = '';
  let quoted = false; // the current field was (or is being) quoted
  let inQuotes = false;
  let line = 1;
  let recordLine = 1;
  const fail = (at: number, problem: string): never => {
    throw new MisasInputError(file, `line ${at}: ${problem}`);
  };
  const endField = () => {
    fields.push(quoted ? field : field.trim());
    field = '';
    quoted = false;
  };
  const endRecord = () => {
    const blank = fields.length === 0 && !quoted && field.trim() === '';
    endField();
    if (!blank) records.push({ line: recordLine, fields });
    fields = [];
  };

  for (let i = 0; i < source.length; i++) {
    const char = source[i];
    if (inQuotes) {
      if (char === '"' && source[i + 1] === '"') {
        field += '"';
        i++;
      } else if (char === '"') {
        inQuotes = false;
      } else {
        if (char === '\n' || (char === '\r' && source[i + 1] !== '\n')) line++;
        field += char;
      }
    } else if (char === ',') {
      endField();
    } else if (char === '\n' || char === '\r') {
      if (char === '\r' && source[i + 1] === '\n') i++;
      endRecord();
      line++;
      recordLine = line;
    } else if (char === '"') {
      if (quoted || field.trim() !== '')
        fail(line, 'a quote inside an unquoted field; put the whole field in quotes and write a quote inside it as ""');
      field = '';
      quoted = true;
      inQuotes = true;
    } else if (quoted) {
      if (char !== ' ' && char !== '\t')
        fail(line, 'text after the closing quote of a field; write a quote inside a quoted field as ""');
    } else {
      field += char;
    }
  }
  if (inQuotes) fail(recordLine, 'a quoted field is not closed (a missing closing quote)');
  endRecord();
  return records;
}

/** Column name → index in each record, from the header row. */
function columnsOf(header: CsvRecord, file: string): Partial<Record<Column, number>> {
  const names = header.fields.map((name) => name.trim().toLowerCase());
  const unknown = names.filter((name) => !(MANIFEST_COLUMNS as readonly string[]).includes(name));
  if (unknown.length > 0) {
    const list = unknown.map((name) => `"${name}"`).join(', ');
    throw new MisasInputError(
      file,
      `line ${header.line}: unknown column${unknown.length > 1 ? 's' : ''} ${list}; the columns are image (required), mask and group`,
    );
  }
  const repeated = names.find((name, i) => names.indexOf(name) !== i);
  if (repeated) throw new MisasInputError(file, `line ${header.line}: the column "${repeated}" appears twice`);
  if (!names.includes('image')) {
    throw new MisasInputError(
      file,
      `line ${header.line}: no "image" column; the first row must name the columns, e.g. image,mask,group`,
    );
  }
  return Object.fromEntries(names.map((name, i) => [name, i]));
}

/** The rows of a manifest text, checked: every row has the header's fields and an image. */
export function parseManifest(text: string, file: string): ManifestRow[] {
  const [header, ...records] = parseCsv(text, file);
  if (!header)
    throw new MisasInputError(
      file,
      'the manifest is empty; it needs a header row (image,mask,group) and one row per input',
    );
  const columns = columnsOf(header, file);
  if (records.length === 0) throw new MisasInputError(file, 'the manifest has a header row but no inputs');
  return records.map((record) => {
    if (record.fields.length !== header.fields.length) {
      throw new MisasInputError(
        file,
        `line ${record.line}: ${record.fields.length} field${record.fields.length === 1 ? '' : 's'}, but the header has ${header.fields.length} columns`,
      );
    }
    const cell = (column: Column) => (columns[column] === undefined ? '' : record.fields[columns[column]]);
    const image = cell('image');
    if (image === '') throw new MisasInputError(file, `line ${record.line}: the image is empty`);
    const mask = cell('mask');
    const group = cell('group');
    return { line: record.line, image, ...(mask !== '' ? { mask } : {}), ...(group !== '' ? { group } : {}) };
  });
}

export function readManifest(path: string): ManifestRow[] {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (thrown) {
    const code = (thrown as { code?: string }).code;
    throw new MisasInputError(
      path,
      code === 'ENOENT'
        ? 'file not found'
        : code === 'EISDIR'
          ? 'is a directory, not a CSV file'
          : `cannot read: ${(thrown as Error).message}`,
      { cause: thrown },
    );
  }
  return parseManifest(text, path);
}
