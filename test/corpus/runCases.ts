/**
 * The run-level corpus: hostile and broken runs as `misas` gets them on the command line —
 * predictions kept into a folder that cannot take them, paths leaving the experiment's folder
 * through symbolic links, work without bounds (huge sweeps and values, gzip bombs, a model asking
 * for 10^10 values per call), output folders that cannot be used, runs whose every input is
 * skipped, a model card that would give wrong numbers, broken run folders, and names that must
 * come through intact (spreadsheet formulas, non-ASCII). Each case names the kind of issue 11 it
 * stands for (docs/TESTING.md, "Bad inputs"), the exit code and the file its message names.
 * Run by test/unit/corpus-runs.test.ts through the CLI's `main` in-process.
 *
 * To add a case: a name, its kind, the files it needs besides the default experiment's
 * (`files`, `prepare` for links and folders), the arguments after the command, what to expect.
 */
import * as assert from 'node:assert/strict';
import { mkdirSync, readdirSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { IMAGE, imageData, maskData, niiGz, patchedNifti, PNG_IMAGE, SIZE, TEST_DATA, volume } from './cases';

export interface RunCase {
  name: string;
  /** The kind of hardening it stands for (the rows of docs/TESTING.md's table). */
  kind: string;
  /** Files of the case's folder besides model.onnx (threshold2d), image.nii.gz and mask.nii.gz. */
  files?: Record<string, Uint8Array | string>;
  /** Another model of test/data/models as model.onnx. */
  model?: string;
  /** Changes to the default experiment (one image with its mask, a rotate sweep). */
  experiment?: Record<string, unknown>;
  /** Links, folders and earlier files, made in the case's folder `dir` (`outside` is a folder next to it). */
  prepare?: (dir: string, outside: string) => void;
  /** The command and its arguments; `{exp}` is the experiment file, `{dir}` the case's folder. */
  argv: string[];
  expect: {
    code: 0 | 1 | 2;
    /** The file the message names (relative to the case's folder) and what it says. */
    file?: string;
    pattern?: RegExp;
    /** Checks on the folder afterwards (e.g. the run's files). */
    check?: (dir: string) => void;
  };
}

export const EXPERIMENT_FILE = 'exp.misas.json';

export function defaultExperiment(): Record<string, unknown> {
  return {
    name: 'run corpus',
    model: 'model.onnx',
    inputs: [{ image: 'image.nii.gz', mask: 'mask.nii.gz' }],
    series: [{ transform: 'rotate', values: [0, 10] }],
  };
}

const run = (...args: string[]) => ['run', '{exp}', ...args];

/** A 16×8 label map: on another grid than the 16×16 image. */
const NARROW_MASK = niiGz(volume(maskData(Uint8Array, SIZE * 8), [SIZE, 8]));

/**
 * A gzip bomb: a NIfTI header declaring 2048³ float32 voxels (32 GiB), then 1 GiB of zeros as
 * 16 384 concatenated gzip members of 64 KiB (1.6 MB on disk). It must be refused from the
 * header, before the data is inflated.
 */
function gzipBomb(): Uint8Array {
  const header = patchedNifti(volume(imageData(), [SIZE, SIZE]), (view) =>
    [3, 2048, 2048, 2048].forEach((n, i) => view.setInt16(40 + 2 * i, n, true)),
  );
  const zeros = gzipSync(new Uint8Array(1 << 16));
  const members = [gzipSync(header), ...Array.from({ length: 1 << 14 }, () => zeros)];
  return Uint8Array.from(Buffer.concat(members));
}

/** results.json of a committed dataset run, changed by `edit`. */
function resultsJson(edit: (results: Record<string, unknown>) => Record<string, unknown>): string {
  const results = JSON.parse(
    readFileSync(join(TEST_DATA, '..', 'report', 'fixtures', 'dataset', 'results.json'), 'utf8'),
  ) as Record<string, unknown>;
  return JSON.stringify(edit(results));
}

/** The one run folder under .misas/runs/<name>/. */
function onlyRun(dir: string, name: string): string {
  const root = join(dir, '.misas', 'runs', name);
  const runs = readdirSync(root);
  assert.equal(runs.length, 1, `one run under ${root}`);
  return join(root, runs[0]);
}

export function runCases(): RunCase[] {
  return [
    {
      name: 'keepPredictions that is not true or false',
      kind: 'keepPredictions',
      experiment: { keepPredictions: 'yes' },
      argv: run(),
      expect: {
        code: 2,
        file: EXPERIMENT_FILE,
        pattern: /invalid experiment:\n {2}\$\.keepPredictions: must be true or false, not the string "yes"/,
      },
    },
    {
      name: 'keepPredictions into an --out holding a file named predictions',
      kind: 'keepPredictions',
      experiment: { keepPredictions: true },
      prepare: (dir) => {
        mkdirSync(join(dir, 'out'));
        writeFileSync(join(dir, 'out', 'predictions'), 'not a folder');
        writeFileSync(join(dir, 'out', 'results.json'), 'the old run');
        writeFileSync(join(dir, 'out', 'results.csv'), 'the old run');
      },
      argv: run('--out', '{dir}/out', '--overwrite'),
      expect: {
        code: 2,
        file: 'out/predictions',
        pattern: /is a file, but this run keeps its predictions in a folder of that name/,
        // Refused before the overwrite removed anything: the old results stay whole.
        check: (dir) => {
          assert.equal(readFileSync(join(dir, 'out', 'results.json'), 'utf8'), 'the old run');
          assert.equal(readFileSync(join(dir, 'out', 'results.csv'), 'utf8'), 'the old run');
        },
      },
    },
    {
      name: 'an image that is a symbolic link out of the experiment folder',
      kind: 'symlinks escaping the root',
      prepare: (dir, outside) => {
        writeFileSync(join(outside, 'elsewhere.nii.gz'), IMAGE);
        symlinkSync(join(outside, 'elsewhere.nii.gz'), join(dir, 'linked.nii.gz'));
      },
      experiment: { inputs: [{ image: 'linked.nii.gz', mask: 'mask.nii.gz' }] },
      argv: run(),
      expect: {
        code: 2,
        file: EXPERIMENT_FILE,
        pattern:
          /\$\.inputs\[0\]\.image: "linked\.nii\.gz" is or passes through a symbolic link to .*elsewhere\.nii\.gz, outside .*; paths must stay inside/,
      },
    },
    {
      name: 'a gamma sweep of 10^9 steps',
      kind: 'unbounded work',
      experiment: { series: [{ transform: 'gamma', start: 0.5, stop: 2, steps: 1e9 }] },
      argv: run(),
      expect: {
        code: 2,
        file: EXPERIMENT_FILE,
        pattern: /\$\.series\[0\]: the sweep has 1,000,000,000 values, more than the limit of 10,000 per series/,
      },
    },
    {
      name: 'resize to 10^9 pixels a side',
      kind: 'unbounded work',
      experiment: { series: [{ transform: 'resize', values: [1e9] }] },
      argv: run(),
      expect: {
        code: 2,
        file: EXPERIMENT_FILE,
        pattern: /series 1 \(resize, \$\.series\[0\]\): value 1000000000 is above 1000000, implausibly large/,
      },
    },
    {
      name: 'a gzip bomb declaring 32 GiB of voxels',
      kind: 'unbounded work',
      files: { 'bomb.nii.gz': gzipBomb() },
      experiment: { inputs: [{ image: 'bomb.nii.gz' }] },
      argv: run(),
      // Refused up front from the header (the limit depends on the machine's memory).
      expect: {
        code: 2,
        file: 'bomb.nii.gz',
        pattern:
          /the only input cannot be run: .*bomb\.nii\.gz: needs about [\d.]+ GiB in memory, more than the limit of [\d.]+ GiB \(raise it with --max-memory/,
      },
    },
    {
      name: 'a model whose fixed input has 10^10 values',
      kind: 'unbounded work',
      model: 'huge_input.onnx',
      argv: run(),
      expect: {
        code: 2,
        file: 'model.onnx',
        pattern: /the model's fixed size \[100000, 100000\] needs 111\.8 GiB per model call/,
      },
    },
    {
      name: '--out that is a file',
      kind: 'output folder problems',
      files: { 'taken.txt': "a file of the user's" },
      argv: run('--out', '{dir}/taken.txt'),
      expect: {
        code: 2,
        file: 'taken.txt',
        pattern: /cannot create the run folder .*taken\.txt: this is a file, not a folder/,
        check: (dir) => assert.equal(readFileSync(join(dir, 'taken.txt'), 'utf8'), "a file of the user's"),
      },
    },
    {
      name: "--out holding the user's own file",
      kind: 'output folder problems',
      prepare: (dir) => {
        mkdirSync(join(dir, 'out'));
        writeFileSync(join(dir, 'out', 'notes.txt'), 'keep me');
      },
      argv: run('--out', '{dir}/out'),
      expect: {
        code: 2,
        file: 'out',
        pattern: /the run folder is not empty \(notes\.txt\); .*--overwrite/,
        check: (dir) => assert.deepEqual(readdirSync(join(dir, 'out')), ['notes.txt']),
      },
    },
    {
      name: 'every input skipped (a mask of another format, a mask of another shape)',
      kind: 'exit codes',
      files: { 'image.png': PNG_IMAGE, 'narrow.nii.gz': NARROW_MASK },
      experiment: {
        inputs: [
          { image: 'image.png', mask: 'mask.nii.gz' },
          { image: 'image.nii.gz', mask: 'narrow.nii.gz' },
        ],
      },
      argv: run(),
      expect: {
        code: 1,
        file: EXPERIMENT_FILE,
        pattern:
          /every input was skipped, nothing was measured:\n {2}mask\.nii\.gz: the mask is a NIfTI file and its image .*\n {2}narrow\.nii\.gz: the mask is 16×8 voxels/,
      },
    },
    {
      name: "a model card calling a Sigmoid node's output logits",
      kind: 'silent wrong numbers',
      model: 'sigmoid_probs.onnx',
      files: { 'model.onnx.misas.json': JSON.stringify({ output: { kind: 'sigmoid', sigmoidApplied: false } }) },
      argv: run(),
      expect: { code: 2, file: 'model.onnx', pattern: /computed by a Sigmoid node, so it holds probabilities/ },
    },
    {
      name: 'report of a run folder whose results.json is of another format',
      kind: 'run folders',
      prepare: (dir) => {
        mkdirSync(join(dir, 'run'));
        writeFileSync(
          join(dir, 'run', 'results.json'),
          resultsJson((r) => ({ ...r, format: 'other-tool' })),
        );
      },
      argv: ['report', '{dir}/run'],
      expect: {
        code: 2,
        file: 'run/results.json',
        pattern: /is not a misas results file \(format "other-tool", expected "misas-results"\)/,
      },
    },
    {
      name: 'merge of a results.json whose rows are not a list',
      kind: 'run folders',
      prepare: (dir) => {
        mkdirSync(join(dir, 'run'));
        writeFileSync(
          join(dir, 'run', 'results.json'),
          resultsJson((r) => ({ ...r, series: (r.series as object[]).map((s) => ({ ...s, rows: 7 })) })),
        );
      },
      argv: ['merge', '{dir}/run', '--out', '{dir}/merged'],
      expect: {
        code: 2,
        file: 'run/results.json',
        pattern: /invalid results file:\n {2}\$\.series\[0\]\.rows: must be a list/,
      },
    },
    {
      name: 'a group name that is a spreadsheet formula',
      kind: 'run folders',
      experiment: { inputs: [{ image: 'image.nii.gz', mask: 'mask.nii.gz', group: '=HYPERLINK("http://x")' }] },
      argv: run('--out', '{dir}/out'),
      expect: {
        code: 0,
        check: (dir) => {
          const rows = readFileSync(join(dir, 'out', 'results.csv'), 'utf8')
            .trim()
            .split('\n')
            .slice(1);
          assert.ok(rows.length > 0);
          for (const row of rows) assert.ok(row.includes(`,"'=HYPERLINK(""http://x"")",`), row);
        },
      },
    },
    {
      name: 'a non-ASCII experiment name, typed decomposed, with a slash',
      kind: 'non-ASCII experiment names',
      experiment: { name: 'U\u0308nïcødé 日本 study/x' },
      argv: run(),
      expect: {
        code: 0,
        check: (dir) => {
          // One folder per name: NFC, the slash replaced, the letters of any script kept.
          const runDir = onlyRun(dir, 'Ünïcødé_日本_study_x');
          const results = JSON.parse(readFileSync(join(runDir, 'results.json'), 'utf8')) as {
            experiment: { content: { name: string } };
          };
          assert.equal(results.experiment.content.name, 'U\u0308nïcødé 日本 study/x', 'the name as written');
        },
      },
    },
  ];
}
