/**
 * `misas check --junit FILE`: JUnit XML that CI systems show as tests. One test case per series ×
 * class (× model pair when the runs have several models), a failure per regressed metric, and
 * skipped for a class that is not gated. Names come from experiments, so everything is escaped.
 */
import type { CheckItem, CheckReport } from '../sweep/analysis/regressionCheck';
import { checkHeadline, findingText, itemSubject, severalModels } from './checkText';

/** Text safe in XML 1.0 content and attributes: markup escaped, characters XML cannot hold dropped. */
export function xmlEscape(text: string): string {
  return (
    text
      // eslint-disable-next-line no-control-regex -- these are the characters XML 1.0 forbids
      .replace(/[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]/g, '')
      .replace(/[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g, '')
      .replace(/&/g, '&amp;')
      .replace(/</g, '&lt;')
      .replace(/>/g, '&gt;')
      .replace(/"/g, '&quot;')
      .replace(/'/g, '&apos;')
      .replace(/\r/g, '&#13;')
      .replace(/\n/g, '&#10;')
      .replace(/\t/g, '&#9;')
  );
}

interface TestCase {
  classname: string;
  name: string;
  items: CheckItem[];
}

function testCases(report: CheckReport): TestCase[] {
  const withModel = severalModels(report);
  const cases = new Map<string, TestCase>();
  for (const item of report.items) {
    const name = withModel ? `${item.className} (${item.model.current})` : item.className;
    const key = JSON.stringify([item.series, name]);
    const testCase = cases.get(key) ?? { classname: item.series, name, items: [] };
    testCase.items.push(item);
    cases.set(key, testCase);
  }
  return [...cases.values()];
}

function testCaseXml(testCase: TestCase, report: CheckReport): string {
  const open = `    <testcase classname="${xmlEscape(testCase.classname)}" name="${xmlEscape(testCase.name)}"`;
  const regressed = testCase.items.filter((item) => item.verdict === 'regressed');
  if (regressed.length > 0) {
    const lines = regressed.flatMap((item) =>
      item.findings
        .filter((f) => f.regressed)
        .map((f) => `${itemSubject(item, report)}: ${findingText(item, f, report)}`),
    );
    return `${open}>\n      <failure message="${xmlEscape(lines[0])}" type="regression">${xmlEscape(lines.join('\n'))}</failure>\n    </testcase>`;
  }
  if (testCase.items.every((item) => item.verdict === 'not-gated'))
    return `${open}>\n      <skipped message="${xmlEscape(`not gated: ${testCase.items[0].notGatedBecause ?? ''}`)}"/>\n    </testcase>`;
  return `${open}/>`;
}

export function checkJunit(report: CheckReport): string {
  const cases = testCases(report);
  const failures = cases.filter((c) => c.items.some((item) => item.verdict === 'regressed')).length;
  const skipped = cases.filter(
    (c) => !c.items.some((item) => item.verdict === 'regressed') && c.items.every((i) => i.verdict === 'not-gated'),
  ).length;
  const counts = `tests="${cases.length}" failures="${failures}" errors="0" skipped="${skipped}"`;
  const out = [...report.uncompared.map((text) => `not compared: ${text}`), ...report.notes.map((t) => `note: ${t}`)];
  return [
    '<?xml version="1.0" encoding="UTF-8"?>',
    `<testsuites name="misas check" ${counts}>`,
    `  <testsuite name="misas check: ${xmlEscape(checkHeadline(report))}" ${counts}>`,
    ...cases.map((c) => testCaseXml(c, report)),
    ...(out.length ? [`    <system-out>${xmlEscape(out.join('\n'))}</system-out>`] : []),
    '  </testsuite>',
    '</testsuites>',
    '',
  ].join('\n');
}
