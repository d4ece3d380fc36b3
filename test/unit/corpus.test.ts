/**
 * The bad-input corpus (test/corpus/cases.ts) through the code path of `misas run` up to the
 * model: load the experiment, read each input's header (the up-front check), then load it as
 * the runner does. Every bad case must end in a MisasInputError naming its file with the
 * expected message; every good case must load. A sample goes through the CLI's main (in-process,
 * test/helpers/cli.ts), which must exit 2 with the message on stderr.
 */
import * as assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { MisasInputError } from '../../src/engine/errors';
import { peekImage } from '../../src/engine/io/peek';
import { loadExperiment } from '../../src/engine/sweep/experiment/load';
import { loadInput, thinVolumeProblem } from '../../src/engine/sweep/run/loadInput';
import { writeCorpus } from '../corpus/cases';
import { misas } from '../helpers/cli';

/** threshold2d's card assumes slicing along axis 2, as the CLI does. */
const SLICE_AXIS = 2;

async function loadAsTheRunnerDoes(experimentFile: string): Promise<void> {
  const experiment = await loadExperiment(experimentFile);
  for (const [index, entry] of experiment.inputs.entries()) {
    const header = await peekImage(entry.image, entry.frame);
    const thin = thinVolumeProblem(header.dims, SLICE_AXIS);
    if (thin) throw new MisasInputError(entry.image, thin);
    await loadInput(entry, index, SLICE_AXIS);
  }
}

describe('bad-input corpus', function () {
  this.timeout(120_000);
  const root = mkdtempSync(join(tmpdir(), 'misas-corpus-'));
  after(() => rmSync(root, { recursive: true, force: true }));
  const corpus = writeCorpus(root);

  for (const { testCase, dir, experiment } of corpus) {
    it(testCase.name, async () => {
      const expect = testCase.expect;
      if (expect === 'ok') {
        await loadAsTheRunnerDoes(experiment);
        return;
      }
      const file = join(dir, expect.file);
      await assert.rejects(loadAsTheRunnerDoes(experiment), (thrown: unknown) => {
        assert.ok(thrown instanceof MisasInputError, `expected MisasInputError, got ${String(thrown)}`);
        assert.equal(thrown.file, file);
        assert.ok(thrown.message.startsWith(`${file}: `), thrown.message);
        assert.match(thrown.message, expect.pattern);
        return true;
      });
    });
  }

  describe('through the CLI (exit 2, the message on stderr)', () => {
    // A sample, one per reader and kind: the cases above already cover every file through the same loaders.
    const sample = [
      'zero-byte PNG',
      'PNG with a bad CRC',
      'truncated .nii.gz',
      'compressed DICOM with a truncated fragment',
      'detached NRRD data file missing',
      '4D without a frame',
      'trailing comma',
      'blur −3',
    ];
    for (const name of sample) {
      it(name, async () => {
        const entry = corpus.find((c) => c.testCase.name === name)!;
        const expect = entry.testCase.expect as { file: string; pattern: RegExp };
        const result = await misas('run', entry.experiment);
        assert.equal(result.code, 2, result.stderr);
        assert.ok(result.stderr.includes(`${expect.file}: `), result.stderr);
        assert.match(result.stderr, expect.pattern);
        assert.doesNotMatch(result.stderr, /\n\s+at /, 'no stack trace');
      });
    }
  });
});
