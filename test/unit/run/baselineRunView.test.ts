// How a run whose baseline fails shows in the Experiments tree (src/extension/workspace/runText.ts):
// its description counts the warnings and its tooltip lists them, before the other caveats.
import * as assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { resultsFromJson } from '../../../src/engine/report/results';
import { checksToShow } from '../../../src/engine/sweep/analysis/baselineCheck';
import type { RunInfo } from '../../../src/extension/workspace/runsOnDisk';
import {
  baselineWarnings,
  escapeMarkdown,
  runDescription,
  runTooltipMarkdown,
} from '../../../src/extension/workspace/runText';

const FIXTURES = join(import.meta.dirname, '..', '..', 'report', 'fixtures');
// The tree's Uris are opaque here: the texts never read them.
const uri = {} as RunInfo['runDir'];
const run = (fields: Partial<RunInfo>): RunInfo => ({
  experimentFile: uri,
  runDir: uri,
  folderName: '2026-12-07T14-22-00-000Z',
  status: 'completed',
  durationMs: 9000,
  ...fields,
});

describe('Experiments tree: a run whose baseline fails', () => {
  it('counts the warnings in the description and lists them first in the tooltip (a real run: wrong card, transposed slice)', async () => {
    const results = resultsFromJson(await readFile(join(FIXTURES, 'baseline', 'results.json'), 'utf8'));
    const shown = checksToShow(results.baselineChecks!);
    assert.equal(shown.length, 5);
    const item = run({ results });
    assert.deepEqual(baselineWarnings(item), shown);
    assert.equal(runDescription(item), 'completed · 9.0 s · 5 baseline warnings');
    const tooltip = runTooltipMarkdown(item);
    const [, , caveat] = tooltip.split('\n\n');
    assert.ok(caveat.startsWith('$(warning) check the baseline first:\n'), tooltip);
    assert.deepEqual(
      caveat.split('\n').slice(1),
      shown.map((check) => `- ${escapeMarkdown(check.message)}`),
    );
  });

  it('says nothing for a healthy run, or for pseudo-truth (an old run read without the field)', async () => {
    const pseudo = resultsFromJson(await readFile(join(FIXTURES, 'one-input', 'results.json'), 'utf8'));
    assert.equal(pseudo.pseudoTruth, true);
    const item = run({ results: pseudo });
    assert.deepEqual(baselineWarnings(item), []);
    assert.ok(!runDescription(item).includes('baseline'));
    assert.ok(!runTooltipMarkdown(item).includes('baseline'));
  });
});
