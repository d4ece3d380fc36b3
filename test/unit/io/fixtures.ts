/** Shared helpers for the io tests: test data paths, the generators' expected values, temp files. */
import * as assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { MisasInputError } from '../../../src/engine/errors';

export const DATA_DIR = join(import.meta.dirname, '..', '..', 'data');

export function dataPath(...parts: string[]): string {
  return join(DATA_DIR, ...parts);
}

/** `files` of test/data/<dir>/expected.json, written by tools/testdata/make_<dir>.py. */
export function expectedFiles<T>(dir: string): Record<string, T> {
  return (JSON.parse(readFileSync(dataPath(dir, 'expected.json'), 'utf8')) as { files: Record<string, T> }).files;
}

/** A temporary directory for one test file's scratch files, removed by `cleanup`. */
export function scratchDir(): {
  path: (name: string) => string;
  write: (name: string, bytes: Uint8Array) => string;
  cleanup: () => void;
} {
  const dir = mkdtempSync(join(tmpdir(), 'misas-io-'));
  return {
    path: (name) => join(dir, name),
    write: (name, bytes) => {
      writeFileSync(join(dir, name), bytes);
      return join(dir, name);
    },
    cleanup: () => rmSync(dir, { recursive: true, force: true }),
  };
}

/** Awaits `promise` and checks it rejects with a MisasInputError for `file` whose message matches. */
export async function rejectsInput(promise: Promise<unknown>, file: string, pattern: RegExp): Promise<MisasInputError> {
  try {
    await promise;
  } catch (thrown) {
    assert.ok(thrown instanceof MisasInputError, `expected MisasInputError, got ${String(thrown)}`);
    assert.equal(thrown.file, file);
    assert.ok(thrown.message.startsWith(`${file}: `), `message names the file: ${thrown.message}`);
    assert.match(thrown.message, pattern);
    assert.doesNotMatch(thrown.message, /\[object Object\]/);
    return thrown;
  }
  assert.fail(`expected a MisasInputError matching ${pattern}`);
}

export function assertAffineClose(actual: number[][], expected: number[][], tolerance = 1e-5): void {
  assert.equal(actual.length, 4);
  for (let r = 0; r < 4; r++) {
    for (let c = 0; c < 4; c++) {
      assert.ok(
        Math.abs(actual[r][c] - expected[r][c]) <= tolerance,
        `affine[${r}][${c}] = ${actual[r][c]}, expected ${expected[r][c]}`,
      );
    }
  }
}
