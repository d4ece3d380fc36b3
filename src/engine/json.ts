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
  try {
    return JSON.parse(withoutBom);
  } catch (thrown) {
    throw new MisasInputError(file, `not valid JSON (${(thrown as Error).message})`);
  }
}

export async function readJsonFile(file: string): Promise<unknown> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (thrown) {
    const code = (thrown as NodeJS.ErrnoException).code;
    throw new MisasInputError(file, code === 'ENOENT' ? 'file not found' : `cannot be read (${code ?? String(thrown)})`);
  }
  return parseJsonText(text, file);
}

const ajv = new Ajv({ allErrors: true, strict: true, strictRequired: false, strictTypes: false, useDefaults: false });
// VS Code's own schema keywords: they only change what the editor shows on hover and completion.
ajv.addVocabulary(['markdownDescription', 'markdownEnumDescriptions', 'enumDescriptions', 'defaultSnippets', 'deprecationMessage']);
const compiled = new WeakMap<object, ValidateFunction>();

/** "$.series[2].values[0]" from ajv's "/series/2/values/0". */
function jsonPath(instancePath: string): string {
  if (!instancePath) return '$';
  return '$' + instancePath
    .split('/')
    .slice(1)
    .map((part) => part.replace(/~1/g, '/').replace(/~0/g, '~'))
    .map((part) => (/^\d+$/.test(part) ? `[${part}]` : /^[A-Za-z_$][\w$]*$/.test(part) ? `.${part}` : `[${JSON.stringify(part)}]`))
    .join('');
}

function describeError(error: ErrorObject): string {
  const where = jsonPath(error.instancePath);
  switch (error.keyword) {
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
  const errors = (validate.errors ?? []).filter((e) => e.keyword !== 'anyOf' && e.keyword !== 'oneOf' && e.keyword !== 'if');
  const unique = [...new Set(errors.map(describeError))];
  const shown = unique.slice(0, 10);
  const more = unique.length > shown.length ? `\n  … and ${unique.length - shown.length} more` : '';
  throw new MisasInputError(file, `invalid ${what}:\n  ${shown.join('\n  ')}${more}`);
}
