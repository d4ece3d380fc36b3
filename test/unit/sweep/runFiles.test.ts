/**
 * Run folders read and written defensively: the one results.json reader (format, version,
 * schema; messages naming the file and JSON path) on real runs of both format versions and
 * broken copies of them; results.csv cells safe from spreadsheet formulas; run folder names for
 * any experiment name; limits counted before a sweep is made.
 */
import * as assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { MisasInputError } from '../../../src/engine/errors';
import { checkWorkSize, DEFAULT_LIMITS } from '../../../src/engine/limits';
import { parseRunResults } from '../../../src/engine/report/runFolder';
import { CSV_COLUMNS, resultsToCsv } from '../../../src/engine/report/results';
import { resolveExperiment } from '../../../src/engine/sweep/experiment/load';
import { safeSegment } from '../../../src/engine/sweep/run/runPaths';
import { expandSweep, sweepLength, type Sweep } from '../../../src/engine/transforms/sweep';

const FIXTURES = join(import.meta.dirname, '..', '..', 'report', 'fixtures');
const V2 = readFileSync(join(FIXTURES, 'dataset', 'results.json'), 'utf8');
const V1 = readFileSync(join(FIXTURES, 'two-inputs', 'results.json'), 'utf8');

function problem(text: string): string {
  try {
    parseRunResults(text, 'run/results.json');
  } catch (thrown) {
    assert.ok(thrown instanceof MisasInputError, String(thrown));
    assert.equal(thrown.file, 'run/results.json');
    return thrown.problem;
  }
  return assert.fail('expected a refusal');
}

function edited(text: string, edit: (data: Record<string, unknown>) => void): string {
  const data = JSON.parse(text) as Record<string, unknown>;
  edit(data);
  return JSON.stringify(data);
}

describe('run folders: the one results.json reader', () => {
  it('reads real runs of format 2 and format 1 (upgraded), infinities included', () => {
    const v2 = parseRunResults(V2, 'a');
    assert.equal(v2.models.length, 2);
    const v1 = parseRunResults(V1, 'b');
    assert.equal(v1.formatVersion, 2);
    assert.ok(
      v1.series.some((s) => s.rows.some((row) => Object.values(row.metrics.hd95 ?? {}).includes(Infinity))),
      'HD95 = inf read back as Infinity',
    );
  });

  it('refuses other files and unknown versions, saying which', () => {
    assert.match(problem('{"format": "misas-result'), /^not valid JSON/);
    assert.equal(problem('[1]'), 'is not a misas results file (not a JSON object)');
    assert.equal(
      problem('{"format": "other"}'),
      'is not a misas results file (format "other", expected "misas-results")',
    );
    assert.equal(
      problem(edited(V2, (d) => (d.formatVersion = 3))),
      'has results format version 3; this misas reads versions 1 and 2 (a newer misas may have written it: update misas)',
    );
  });

  it('refuses content the schema does not allow, naming the JSON path (never "x.map is not a function")', () => {
    assert.match(
      problem(edited(V2, (d) => (d.series = 'oops'))),
      /^invalid results file:\n {2}\$\.series: must be a list \[ … \], not the string "oops"/,
    );
    assert.match(
      problem(edited(V2, (d) => ((d.series as Array<Record<string, unknown>>)[0].rows = [{ value: 'x' }]))),
      /\$\.series\[0\]\.rows\[0\]/,
    );
    assert.match(problem(edited(V2, (d) => delete d.status)), /\$: missing required property "status"/);
  });
});

describe('results.csv against spreadsheet formulas', () => {
  it("prefixes text cells starting with = + - @ tab or CR with ', and leaves numbers numeric", () => {
    const results = parseRunResults(V2, 'a');
    const series = results.series[0];
    results.series = [{ ...series, name: '=HYPERLINK("http://x")', rows: series.rows.slice(0, 1) }];
    results.classes = ['+cmd', '-x', '@SUM(1)', '\tTab', 'plain'];
    results.models = results.models.map((m) => ({ ...m, label: '-model' }));
    const lines = resultsToCsv(results).trim().split('\n').slice(1);
    assert.ok(lines.length > 0);
    for (const line of lines) {
      assert.ok(line.startsWith(`"'=HYPERLINK(""http://x"")"`), line);
      assert.ok(line.includes(",'-model,"), line);
    }
    const classCells = lines.map((line) => line.split(',')[CSV_COLUMNS.indexOf('class')]);
    assert.deepEqual([...new Set(classCells)].sort(), ["'+cmd", "'-x", "'@SUM(1)", "'\tTab", 'plain'].sort());
    // The value column holds the numbers as written, negative ones included.
    const value = series.rows[0].value;
    assert.ok(
      lines.every((line) => line.includes(`,${value},`)),
      `value ${value} stays a number`,
    );
  });
});

describe('run folder names and sweep limits', () => {
  it('keeps letters of every script, so different non-ASCII names get different folders', () => {
    const names = ['Größe', '脑分割', 'Ωμέγα', 'mri-σ', '???', '!!!'];
    const segments = names.map(safeSegment);
    assert.deepEqual(segments.slice(0, 4), ['Größe', '脑分割', 'Ωμέγα', 'mri-σ']);
    assert.equal(new Set(segments).size, names.length, segments.join(' '));
    for (const segment of segments) assert.match(segment, /^[^/\\:*?"<>|]+$/u);
    // The same name typed composed or decomposed is one folder; ASCII names are as before.
    assert.equal(safeSegment('e\u0301te\u0301'), safeSegment('été'));
    assert.equal(safeSegment('brain U-Net: v2'), 'brain_U-Net_v2');
    assert.ok(Buffer.byteLength(safeSegment('脑'.repeat(300))) <= 200);
  });

  it('counts a sweep without making it, equal to the values it makes', () => {
    const sweeps: Sweep[] = [
      { values: [3, 1] },
      { start: -180, stop: 180, step: 5 },
      { start: 0, stop: 1, step: 0.1 },
      { start: 0.25, stop: 4, steps: 13, scale: 'log' },
      { start: 5, stop: 0, step: -1 },
    ];
    for (const sweep of sweeps) assert.equal(sweepLength(sweep), expandSweep(sweep).length, JSON.stringify(sweep));
    assert.equal(sweepLength({ start: 0, stop: 1, steps: 1e9, scale: 'linear' }), 1e9);
    assert.equal(sweepLength({ start: 0, stop: 1e12, step: 1e-3 }), 1e15 + 1);
  });

  it('refuses a run larger than the limit, counting default sweeps, the series filter and shards', () => {
    const file = join(FIXTURES, 'x.misas.json');
    const data = {
      name: 'x',
      model: 'm.onnx',
      inputs: [{ image: 'dataset/results.json' }, { image: 'one-input/results.json' }],
      series: [{ transform: 'rotate' }, { transform: 'blur', values: [1, 2] }],
    };
    const experiment = resolveExperiment(data, file, FIXTURES);
    // rotate's default −180…180 step 5 = 73 values, blur 2: 75 × 2 inputs × 2 models = 300.
    assert.doesNotThrow(() => checkWorkSize(experiment, 2, { limits: { maxTotalSteps: 300 } }));
    assert.throws(
      () => checkWorkSize(experiment, 2, { limits: { maxTotalSteps: 299 } }),
      /the run would take 300 model steps \(75 values × 2 inputs × 2 models\), more than the limit of 299/,
    );
    assert.doesNotThrow(() => checkWorkSize(experiment, 2, { seriesFilter: ['blur'], limits: { maxTotalSteps: 8 } }));
    // Refined to 1°, each of rotate's 72 gaps of 5° counts ⌈log₂ 5⌉ = 3 bisections: 73 + 216 = 289 per input and model.
    const refined = resolveExperiment(
      { ...data, series: [{ transform: 'rotate', refine: { resolution: 1 } }] },
      file,
      FIXTURES,
    );
    assert.doesNotThrow(() => checkWorkSize(refined, 1, { limits: { maxTotalSteps: 578 } }));
    assert.throws(() => checkWorkSize(refined, 1, { limits: { maxTotalSteps: 577 } }), /would take 578 model steps/);
    assert.throws(
      () => checkWorkSize(experiment, 2, { shardCount: 2, limits: { maxTotalSteps: 149 } }),
      /each of the 2 shards of the run would take 150 model steps/,
    );
    assert.throws(
      () =>
        resolveExperiment(
          { ...data, series: [{ transform: 'rotate', start: 0, stop: 1e12, step: 1e-3 }] },
          file,
          FIXTURES,
        ),
      /\$\.series\[0\]: the sweep has 1,000,000,000,000,001 values, more than the limit of 10,000 per series/,
    );
    assert.doesNotThrow(() =>
      resolveExperiment(
        { ...data, series: [{ transform: 'rotate', start: 0, stop: 1, steps: 20_000 }] },
        file,
        FIXTURES,
        { maxValuesPerSeries: 20_000 },
      ),
    );
    assert.equal(DEFAULT_LIMITS.maxValuesPerSeries, 10_000);
  });
});
