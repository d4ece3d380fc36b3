import * as assert from 'node:assert/strict';
import { readdir, readFile } from 'node:fs/promises';
import { join, relative } from 'node:path';

/**
 * Rooms with one job: a source file over this many lines does several and is split (issue 17).
 * Source files are the TypeScript and JavaScript of src/ and webview-ui/; stylesheets are not.
 */
const MAX_LINES = 400;
/** Generated files may be longer (none are generated into src/ or webview-ui/ today); repository-relative paths. */
const GENERATED: readonly string[] = [];

const root = join(import.meta.dirname, '..', '..', '..');

async function sourceFiles(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { withFileTypes: true });
  const nested = await Promise.all(
    entries.map((entry) => {
      const path = join(dir, entry.name);
      if (entry.isDirectory()) return sourceFiles(path);
      return Promise.resolve(/\.(ts|mts|cts|js|mjs|cjs)$/.test(entry.name) ? [path] : []);
    }),
  );
  return nested.flat();
}

describe('source files', () => {
  it(`none in src/ or webview-ui/ is over ${MAX_LINES} lines (generated files aside)`, async () => {
    const files = [...(await sourceFiles(join(root, 'src'))), ...(await sourceFiles(join(root, 'webview-ui')))];
    assert.ok(files.length > 100, `found only ${files.length} source files: is the root ${root} right?`);
    const long: string[] = [];
    for (const file of files) {
      const name = relative(root, file).split('\\').join('/');
      if (GENERATED.includes(name)) continue;
      const text = await readFile(file, 'utf8');
      const lines = text.split('\n').length - (text.endsWith('\n') ? 1 : 0);
      if (lines > MAX_LINES) long.push(`${name}: ${lines} lines`);
    }
    assert.deepEqual(long, [], `split these files into modules with one job each:\n${long.join('\n')}`);
  });
});
