/**
 * Reading and validating the project's JSON files (experiments, model cards, results) with
 * messages that name the file, the JSON path and what was expected.
 */
import { readFile } from 'node:fs/promises';
import { Ajv, type ErrorObject, type ValidateFunction } from 'ajv';
import { MisasInputError } from './errors';

/** Parses JSON text, tolerating the byte-order mark some editors write. */
export function parseJsonText(text: string, file: string): unknown {
  const withoutBom = text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
  if (withoutBom.trim() === '')
    throw new MisasInputError(
      file,
      text.length === 0
        ? 'the file is empty (0 bytes); it should hold a JSON object'
        : 'the file holds only white space; it should hold a JSON object',
    );
  try {
    return JSON.parse(withoutBom);
  } catch (thrown) {
    throw new MisasInputError(file, `not valid JSON: ${describeSyntaxError(withoutBom, (thrown as Error).message)}`);
  }
}

/** "line 4, column 3: … (a trailing comma?)" from V8's "… at position 57" (versions differ in wording). */
function describeSyntaxError(text: string, message: string): string {
  const match = /position (\d+)/.exec(message);
  const reason = message
    .replace(/\s*(in JSON )?at position \d+.*$/s, '')
    .replace(/,\s*(\.\.\.)?"[\s\S]*"(\.\.\.)? is not valid JSON$/, '');
  const trailingComma = /,\s*[}\]]/.exec(text);
  const position = match
    ? Number(match[1])
    : /end of (JSON )?input/i.test(message)
      ? text.length
      : trailingComma
        ? trailingComma.index + trailingComma[0].length - 1
        : undefined;
  if (position === undefined) return message;
  const before = text.slice(0, position);
  const line = before.split('\n').length;
  const column = position - before.lastIndexOf('\n');
  const previous = before.trimEnd().slice(-1);
  const hint =
    previous === ',' && /^\s*[}\]]/.test(text.slice(position))
      ? ' (a trailing comma before a closing bracket is not allowed in JSON)'
      : position >= text.length
        ? ' (the file ends too early: truncated, or a missing closing bracket)'
        : '';
  return `${reason} at line ${line}, column ${column}${hint}`;
}

export async function readJsonFile(file: string): Promise<unknown> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (thrown) {
    const code = (thrown as NodeJS.ErrnoException).code;
    throw new MisasInputError(
      file,
      code === 'ENOENT' ? 'file not found' : `cannot be read (${code ?? String(thrown)})`,
    );
  }
  return parseJsonText(text, file);
}

const ajv = new Ajv({
  allErrors: true,
  verbose: true,
  strict: true,
  strictRequired: false,
  strictTypes: false,
  useDefaults: false,
});
// VS Code's own schema keywords: they only change what the editor shows on hover and completion.
ajv.addVocabulary([
  'markdownDescription',
  'markdownEnumDescriptions',
  'enumDescriptions',
  'defaultSnippets',
  'deprecationMessage',
]);
const compiled = new WeakMap<object, ValidateFunction>();

/** "$.series[2].values[0]" from ajv's "/series/2/values/0". */
function jsonPath(instancePath: string): string {
  if (!instancePath) return '$';
  return (
    '$' +
    instancePath
      .split('/')
      .slice(1)
      .map((part) => part.replace(/~1/g, '/').replace(/~0/g, '~'))
      .map((part) =>
        /^\d+$/.test(part) ? `[${part}]` : /^[A-Za-z_$][\w$]*$/.test(part) ? `.${part}` : `[${JSON.stringify(part)}]`,
      )
      .join('')
  );
}

const TYPE_NAMES: Record<string, string> = {
  number: 'a number',
  integer: 'a whole number',
  string: 'a string',
  boolean: 'true or false',
  object: 'an object { … }',
  array: 'a list [ … ]',
  null: 'null',
};

function typeOfValue(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'a list';
  if (typeof value === 'object') return 'an object';
  if (typeof value === 'string')
    return `the string ${JSON.stringify(value.length > 40 ? value.slice(0, 40) + '…' : value)}`;
  return `${typeof value === 'number' && !Number.isInteger(value) ? '' : ''}${JSON.stringify(value)}`;
}

/** ajv's error as a sentence (ajv's own texts, e.g. "must NOT be valid", mean little to users). */
function describeError(error: ErrorObject): string {
  const where = jsonPath(error.instancePath);
  const params = error.params as Record<string, unknown>;
  const got = (error as ErrorObject & { data?: unknown }).data;
  switch (error.keyword) {
    case 'type': {
      const expected = String(params.type)
        .split(',')
        .map((t) => TYPE_NAMES[t] ?? t)
        .join(' or ');
      return `${where}: must be ${expected}, not ${typeOfValue(got)}`;
    }
    case 'not': {
      const forbidden = (error.schema as { const?: unknown } | undefined)?.const;
      return forbidden !== undefined
        ? `${where}: must not be ${JSON.stringify(forbidden)}`
        : `${where}: this value is not allowed here`;
    }
    case 'minimum':
    case 'maximum':
    case 'exclusiveMinimum':
    case 'exclusiveMaximum': {
      const words = {
        minimum: 'at least',
        maximum: 'at most',
        exclusiveMinimum: 'greater than',
        exclusiveMaximum: 'less than',
      }[error.keyword];
      return `${where}: must be ${words} ${String(params.limit)}, not ${typeOfValue(got)}`;
    }
    case 'minItems':
      return `${where}: needs at least ${String(params.limit)} entr${params.limit === 1 ? 'y' : 'ies'}`;
    case 'minLength':
      return `${where}: must not be empty`;
    case 'uniqueItems':
      return `${where}: entries ${String(params.j)} and ${String(params.i)} are the same; each may appear once`;
    case 'const':
      return `${where}: must be ${JSON.stringify(params.allowedValue)}`;
    case 'additionalProperties':
      return `${where}: unknown property "${(error.params as { additionalProperty: string }).additionalProperty}"`;
    case 'required':
      return `${where}: missing required property "${(error.params as { missingProperty: string }).missingProperty}"`;
    case 'enum':
      return `${where}: must be one of ${(error.params as { allowedValues: unknown[] }).allowedValues.map((v) => JSON.stringify(v)).join(', ')}`;
    default:
      return `${where}: ${error.message ?? error.keyword}`;
  }
}

/**
 * Validates `data` against a JSON schema and returns it typed; throws one MisasInputError
 * listing every problem (at most 10) with its JSON path.
 */
export function validateJson<T>(schema: object, data: unknown, file: string, what: string): T {
  let validate = compiled.get(schema);
  if (!validate) {
    validate = ajv.compile(schema);
    compiled.set(schema, validate);
  }
  if (validate(data)) return data as T;
  // anyOf/oneOf report every branch, if/then repeats its branch's own errors; the specific messages are the others.
  let errors = (validate.errors ?? []).filter(
    (e) => e.keyword !== 'anyOf' && e.keyword !== 'oneOf' && e.keyword !== 'if',
  );
  // Of anyOf's branches, those of another type say nothing when a branch of the value's type has its own complaint.
  const typeFits = new Set(errors.filter((e) => e.keyword !== 'type').map((e) => e.instancePath));
  errors = errors.filter((e) => e.keyword !== 'type' || !typeFits.has(e.instancePath));
  const unique = [...new Set(errors.map(describeError))];
  const shown = unique.slice(0, 10);
  const more = unique.length > shown.length ? `\n  … and ${unique.length - shown.length} more` : '';
  throw new MisasInputError(file, `invalid ${what}:\n  ${shown.join('\n  ')}${more}`);
}
