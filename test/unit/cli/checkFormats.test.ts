/**
 * `misas check`'s JUnit and Markdown from names an experiment may hold (markup, quotes, pipes,
 * control characters): escaped, one test case per series × class, skipped for a class not gated.
 */
import * as assert from 'node:assert/strict';
import { checkJunit, xmlEscape } from '../../../src/engine/report/checkJunit';
import { checkMarkdown } from '../../../src/engine/report/checkText';
import { checkRuns, type CheckedRun, type CheckedSummary } from '../../../src/engine/sweep/analysis/regressionCheck';

const SERIES = 'rot <"90°"> & \'more\' | x';
const CLASS = 'a<b>\u0001';

function run(organ: [number, number], lesionBaseline: number): CheckedRun {
  const summary = (className: string, tolerance: [number, number], baseline: number): CheckedSummary => ({
    model: 0,
    input: 0,
    metric: 'dice',
    className,
    tolerance,
    nauc: 0.8,
    baseline,
  });
  return {
    status: 'completed',
    tolerance: 0.9,
    models: [{ label: 'unet' }],
    classes: ['background', CLASS, 'lesion'],
    metrics: ['dice'],
    inputs: [{ label: 'case0' }],
    series: [
      {
        name: SERIES,
        transform: 'rotate',
        unit: '°',
        values: [[-30, 0, 30]],
        summaries: [summary(CLASS, organ, 0.9), summary('lesion', [-30, 30], lesionBaseline)],
      },
    ],
  };
}

describe('misas check: JUnit and Markdown', () => {
  it('escapes what XML cannot hold as it is', () => {
    assert.equal(
      xmlEscape(`<a href="x">'&'</a>\u0000\u001b\n`),
      '&lt;a href=&quot;x&quot;&gt;&apos;&amp;&apos;&lt;/a&gt;&#10;',
    );
    assert.equal(xmlEscape('\uD800 ok 😀'), ' ok 😀', 'a lone surrogate is dropped, a pair kept');
  });

  it('writes one test case per series × class, a failure for a regression and skipped when not gated', () => {
    const report = checkRuns(run([0, 0], 0.3), run([-30, 30], 0.3));
    const xml = checkJunit(report);
    assert.match(
      xml,
      /^<\?xml version="1\.0" encoding="UTF-8"\?>\n<testsuites name="misas check" tests="2" failures="1" errors="0" skipped="1">/,
    );
    const series = 'rot &lt;&quot;90°&quot;&gt; &amp; &apos;more&apos; | x';
    assert.match(
      xml,
      new RegExp(`<testcase classname="${series.replace(/\|/g, '\\|')}" name="a&lt;b&gt;">\\n {6}<failure message="`),
    );
    assert.match(xml, /<failure message="[^"]*tolerance interval −30°…\+30° → 0° only[^"]*" type="regression">/);
    assert.match(
      xml,
      /name="lesion">\n {6}<skipped message="not gated: baseline Dice 0\.30 in the baseline run is below 0\.5"\/>/,
    );
    assert.ok(![...xml].some((c) => c.charCodeAt(0) < 9), 'no control characters');
  });

  it('keeps the Markdown table whole whatever the names hold', () => {
    const markdown = checkMarkdown(checkRuns(run([0, 0], 0.9), run([-30, 30], 0.9)), {
      current: 'pr/results.json',
      baseline: 'main/results.json',
    });
    assert.match(markdown, /^### misas check: ❌ 1 regression \(2 comparisons: 1 unchanged\)\n/);
    const rows = markdown.split('\n').filter((line) => line.startsWith('| '));
    assert.deepEqual(rows, [
      '| status | series | class | tolerance interval (baseline run → this run) | nAUC | baseline |',
      '| --- | --- | --- | --- | --- | --- |',
      `| REGRESSED | rot &lt;"90°"&gt; &amp; 'more' \\| x | a&lt;b&gt; | −30°…+30° → 0° only | 0.800 | 0.900 |`,
    ]);
  });
});
