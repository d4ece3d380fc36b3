/**
 * The run-level corpus (test/corpus/runCases.ts) through the CLI's `main` in-process, as
 * `misas <command> …` would run it: the exit code, the message naming the file on stderr
 * without a stack trace, and no run folder left behind by a run that was refused or failed.
 */
import * as assert from 'node:assert/strict';
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, realpathSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { IMAGE, MASK, TEST_DATA } from '../corpus/cases';
import { misas } from '../helpers/cli';
import { defaultExperiment, EXPERIMENT_FILE, runCases, type RunCase } from '../corpus/runCases';

function writeCase(root: string, index: number, testCase: RunCase): { dir: string; outside: string } {
  const slug = `${String(index).padStart(2, '0')}-${testCase.name
    .replace(/[^A-Za-z0-9]+/g, '-')
    .replace(/^-|-$/g, '')
    .toLowerCase()}`;
  const dir = join(root, slug);
  const outside = join(root, `${slug}-outside`);
  mkdirSync(dir);
  mkdirSync(outside);
  copyFileSync(join(TEST_DATA, 'models', testCase.model ?? 'threshold2d.onnx'), join(dir, 'model.onnx'));
  const files = { 'image.nii.gz': IMAGE, 'mask.nii.gz': MASK, ...testCase.files };
  for (const [name, content] of Object.entries(files)) writeFileSync(join(dir, name), content);
  writeFileSync(
    join(dir, EXPERIMENT_FILE),
    JSON.stringify({ ...defaultExperiment(), ...testCase.experiment }, null, 2),
  );
  testCase.prepare?.(dir, outside);
  return { dir, outside };
}

describe('run-level corpus (misas in-process)', function () {
  this.timeout(120_000);
  // realpath: the messages name resolved paths (macOS's /tmp is a link).
  const root = realpathSync(mkdtempSync(join(tmpdir(), 'misas-run-corpus-')));
  after(() => rmSync(root, { recursive: true, force: true }));

  runCases().forEach((testCase, index) => {
    it(`${testCase.kind}: ${testCase.name}`, async () => {
      const { dir } = writeCase(root, index, testCase);
      const argv = testCase.argv.map((arg) => arg.replace('{exp}', join(dir, EXPERIMENT_FILE)).replace('{dir}', dir));
      const { code, stderr } = await misas(...argv);
      const { expect } = testCase;
      assert.equal(code, expect.code, stderr);
      if (expect.file)
        assert.ok(stderr.includes(`${join(dir, expect.file)}: `), `the message names ${expect.file}:\n${stderr}`);
      if (expect.pattern) assert.match(stderr, expect.pattern);
      assert.doesNotMatch(stderr, /\n\s+at /, 'no stack trace');
      if (code !== 0 && argv[0] === 'run')
        assert.equal(existsSync(join(dir, '.misas')), false, 'a refused or failed run leaves no run folder');
      expect.check?.(dir);
    });
  });
});
