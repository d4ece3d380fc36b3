import * as assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { resultsFromJson } from '../../../src/engine/report/results';
import {
  dateFromRunFolderName,
  localTime,
  newNonce,
  panelTitle,
  runDescription,
} from '../../../src/extension/panel/naming';
import { modelLabels, problemsSummary } from '../../../src/extension/runLabels';
import { isHostMessage, parsePanelSession, parseWebviewMessage } from '../../../src/protocol/webview';
import { webviewHtml } from '../../../src/extension/webviewHtml';

const FIXTURES = join(import.meta.dirname, '..', '..', 'report', 'fixtures');
const fixture = (name: string) => resultsFromJson(readFileSync(join(FIXTURES, name, 'results.json'), 'utf8'));

describe('results panel names', () => {
  it('titles a panel "<experiment> — <local start time>"', () => {
    const results = fixture('two-inputs');
    const started = new Date('2026-11-27T12:05:04.223Z');
    const expected = `report-fixture — ${started.getFullYear()}-${String(started.getMonth() + 1).padStart(2, '0')}-${String(started.getDate()).padStart(2, '0')} ${String(started.getHours()).padStart(2, '0')}:${String(started.getMinutes()).padStart(2, '0')}:04`;
    assert.equal(results.timing.startedAt, started.toISOString());
    assert.equal(panelTitle(results, '/w/.misas/runs/report-fixture/2026-11-27T12-05-04-223Z'), expected);
  });

  it('falls back to the folders when results.json cannot be read', () => {
    const date = new Date(Date.UTC(2026, 10, 28, 9, 0, 1, 5));
    assert.equal(
      panelTitle(undefined, '/w/.misas/runs/my_exp/2026-11-28T09-00-01-005Z'),
      `my_exp — ${localTime(date)}`,
    );
    assert.equal(panelTitle(undefined, '/w/runs/odd-folder/'), 'runs — odd-folder');
  });

  it('reads run folder names written by timestampFolderName, and nothing else', () => {
    assert.equal(dateFromRunFolderName('2026-11-27T12-03-09-123Z')?.toISOString(), '2026-11-27T12:03:09.123Z');
    assert.equal(dateFromRunFolderName('2026-11-27T12-03-09Z')?.toISOString(), '2026-11-27T12:03:09.000Z');
    assert.equal(dateFromRunFolderName('2026-13-45T99-03-09Z'), undefined);
    assert.equal(dateFromRunFolderName('latest'), undefined);
  });

  it('describes a run for the compare picker', () => {
    const results = fixture('one-input');
    const sha = results.models[0].sha256;
    assert.equal(
      runDescription(results),
      `model.onnx · ${sha.slice(0, 8)} · 1 input · ${results.series.length} series`,
    );
    // Several models by name, input problems counted, cancelled said.
    const models = [results.models[0], { ...results.models[0], index: 1, label: 'resnet', path: 'resnet.onnx' }];
    const problems = [
      { file: 'a.nii.gz', problem: 'no mask', action: 'skipped' as const, input: 1 },
      { file: 'b.nii.gz', problem: 'unreadable', action: 'skipped' as const },
      { file: 'c.nii.gz', problem: 'no mask', action: 'pseudo-truth' as const, input: 2 },
    ];
    assert.equal(
      runDescription({ ...results, models, problems, status: 'cancelled' }),
      `model.onnx, resnet · 1 input (2 inputs skipped, 1 input with pseudo-truth) · ${results.series.length} series · cancelled`,
    );
  });

  it('makes nonces webviewHtml accepts, different each time', () => {
    const a = newNonce();
    const b = newNonce();
    assert.notEqual(a, b);
    assert.match(a, /^[A-Za-z0-9_-]{32}$/);
    assert.doesNotThrow(() => webviewHtml({ scriptUri: 'x', styleUri: 'y', cspSource: 'z', nonce: a }));
    // Every byte value maps to a symbol (64 symbols, no modulo bias).
    assert.equal(
      newNonce(() => Uint8Array.from({ length: 32 }, (_, i) => i * 8 + 7)),
      'HPXfnv3_HPXfnv3_HPXfnv3_HPXfnv3_',
    );
  });
});

describe('results panel session (webview state)', () => {
  it('accepts a run folder and compared folders as URI strings', () => {
    const session = { runDir: 'file:///w/.misas/runs/x/1', compare: ['file:///w/.misas/runs/x/2'] };
    assert.deepEqual(parsePanelSession(session), session);
    assert.deepEqual(parsePanelSession({ ...session, extra: 1 }), session, 'extra fields are dropped');
  });

  it('rejects malformed state', () => {
    for (const bad of [
      undefined,
      null,
      'file:///x',
      { runDir: '', compare: [] },
      { runDir: 'file:///x' },
      { runDir: 'file:///x', compare: [1] },
      { runDir: 'x'.repeat(5000), compare: [] },
      { runDir: 'file:///x', compare: Array(51).fill('file:///y') },
    ]) {
      assert.equal(parsePanelSession(bad), null, JSON.stringify(bad)?.slice(0, 80));
    }
  });

  it('counts input problems once per input', () => {
    assert.equal(problemsSummary([]), '');
    assert.equal(problemsSummary(undefined), '');
    const skipped = (input: number, problem: string) => ({
      file: `${input}.nii.gz`,
      problem,
      action: 'skipped' as const,
      input,
    });
    assert.equal(problemsSummary([skipped(0, 'a'), skipped(0, 'b'), skipped(3, 'c')]), '2 inputs skipped');
    assert.equal(problemsSummary([skipped(4, 'a')]), '1 input skipped');
    assert.equal(modelLabels([{ label: 'unet' }, { label: 'resnet' }]), 'unet, resnet');
  });

  it('takes a model index in frame requests, and nothing else in its place', () => {
    const frame = { type: 'frame', requestId: 1, series: 'rotate', input: 0, value: 90 };
    assert.deepEqual(parseWebviewMessage({ ...frame, model: 2 }), { ...frame, model: 2 });
    assert.deepEqual(parseWebviewMessage(frame), frame);
    for (const model of [-1, 1.5, '1', null])
      assert.equal(parseWebviewMessage({ ...frame, model }), null, String(model));
  });

  it('lets the webview check live results (a run still going)', () => {
    assert.ok(isHostMessage({ type: 'results', primary: '{}', compare: [], live: { done: 3, total: 10 } }));
    assert.ok(isHostMessage({ type: 'results', primary: '{}', compare: [] }));
    assert.ok(!isHostMessage({ type: 'results', primary: '{}', compare: [], live: { done: 3 } }));
    assert.ok(!isHostMessage({ type: 'results', primary: '{}', compare: [], live: true }));
  });

  it('lets the webview check the session and problem messages', () => {
    assert.ok(isHostMessage({ type: 'session', session: { runDir: 'file:///x', compare: [] } }));
    assert.ok(!isHostMessage({ type: 'session', session: { runDir: 42, compare: [] } }));
    assert.ok(isHostMessage({ type: 'problem', message: 'results.json does not exist' }));
    assert.ok(!isHostMessage({ type: 'problem' }));
    assert.ok(isHostMessage({ type: 'compareRuns', requestId: 2, runs: ['{}'] }));
  });
});
