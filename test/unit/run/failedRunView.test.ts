// How a run folder shows in the Experiments tree (src/extension/workspace/runText.ts): a failed
// run says "failed: <why>" instead of "incomplete", in its description and its tooltip.
import * as assert from 'node:assert/strict';
import type { RunInfo } from '../../../src/extension/workspace/runsOnDisk';
import { failureText, runDescription, runTooltipMarkdown } from '../../../src/extension/workspace/runText';
import type { FailedRunRecord } from '../../../src/engine/report/failedRun';

// The tree's Uris are opaque here: the texts never read them.
const uri = {} as RunInfo['runDir'];
const run = (fields: Partial<RunInfo>): RunInfo => ({
  experimentFile: uri,
  runDir: uri,
  folderName: '2026-11-27T12-50-02-000Z',
  status: 'incomplete',
  ...fields,
});
const relativeToWorkspace = (file: string) => file.replace(/^\/work\/study\//, '');

describe('Experiments tree: a failed run', () => {
  const failure: FailedRunRecord = {
    message: '/work/study/models/unet.onnx: file not found',
    file: '/work/study/models/unet.onnx',
    at: '2026-11-27T12:50:04.500Z',
  };

  it('is described by its failure, the file named relative to the workspace', () => {
    assert.equal(runDescription(run({ failure }), relativeToWorkspace), 'failed: models/unet.onnx: file not found');
  });

  it('keeps a long or multi-line message to one short line in the description', () => {
    const long = { message: `engine stopped unexpectedly:\n  ${'x'.repeat(200)}`, at: failure.at };
    const description = runDescription(run({ failure: long }));
    assert.ok(description.startsWith('failed: engine stopped unexpectedly: xxx'), description);
    assert.ok(
      description.endsWith('…') && description.length === 'failed: '.length + 80,
      `${description.length}: ${description}`,
    );
  });

  it('leaves a message alone that does not start with its file', () => {
    const other = {
      message: 'cannot write /work/study/models/unet.onnx',
      file: '/work/study/models/unet.onnx',
      at: failure.at,
    };
    assert.equal(failureText(other, relativeToWorkspace), 'cannot write /work/study/models/unet.onnx');
  });

  it('says so in the tooltip, with the whole message and when it failed', () => {
    const tooltip = runTooltipMarkdown(run({ failure }), relativeToWorkspace);
    const at = new Date(failure.at);
    const pad = (n: number) => String(n).padStart(2, '0');
    const local = `${at.getFullYear()}-${pad(at.getMonth() + 1)}-${pad(at.getDate())} ${pad(at.getHours())}:${pad(at.getMinutes())}:${pad(at.getSeconds())}`;
    assert.ok(tooltip.startsWith('**failed** — 2026\\-11\\-27T12\\-50\\-02\\-000Z\n\n'), tooltip);
    assert.ok(tooltip.includes(`$(error) the run failed at ${local}: models/unet\\.onnx: file not found`), tooltip);
    assert.ok(!tooltip.includes('no results.json'), 'a failed run is not described as merely incomplete');
  });

  it('still shows a folder without failed.json as incomplete', () => {
    assert.equal(runDescription(run({})), 'incomplete');
    assert.match(
      runTooltipMarkdown(run({})),
      /^\*\*incomplete\*\* — .*\n\n\$\(warning\) no results\.json: the run failed or was stopped before it finished$/,
    );
  });

  it('describes running and finished runs as before', () => {
    const active = { id: 'r1', experimentFile: uri, runDir: uri, startedAt: 0, done: 12, total: 40, series: 'rotate' };
    assert.equal(
      runDescription(run({ status: 'running', active, durationMs: 83_000 })),
      'running · 12/40 · rotate · 1 min 23 s',
    );
    assert.equal(runDescription(run({ status: 'cancelled', durationMs: 4_000_000 })), 'cancelled · 1 h 6 min');
  });
});
