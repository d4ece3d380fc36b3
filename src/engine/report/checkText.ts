/**
 * `misas check` in words: the table of what changed (regressions first) for the terminal and
 * for Markdown (a CI job summary), and one sentence per finding (also the JUnit failure text).
 */
import { METRICS } from '../metrics/types';
import { alignedTable } from './alignedTable';
import type { CheckFinding, CheckItem, CheckReport, CheckVerdict } from '../sweep/analysis/regressionCheck';
import { formatParameter } from '../sweep/analysis/sentence';

const VERDICT_LABEL: Record<CheckVerdict, string> = {
  regressed: 'REGRESSED',
  worse: 'worse, allowed',
  'not-gated': 'not gated',
  improved: 'improved',
  unchanged: 'unchanged',
};

function interval(tolerance: [number, number] | null, unit: string, signed: boolean): string {
  if (!tolerance) return 'none';
  const [lo, hi] = tolerance;
  return lo === hi
    ? `${formatParameter(lo, unit, signed)} only`
    : `${formatParameter(lo, unit, signed)}…${formatParameter(hi, unit, signed)}`;
}

/** "−15°…+15° → 0° only": signs on both sides when either interval reaches below zero. */
function intervalChange(item: CheckItem): string {
  const ends = [...(item.baseline.tolerance ?? []), ...(item.current.tolerance ?? [])];
  const signed = ends.some((v) => v < 0);
  return change(
    interval(item.baseline.tolerance, item.unit, signed),
    interval(item.current.tolerance, item.unit, signed),
  );
}

function number(value: number | null, unit = ''): string {
  if (value === null) return 'undefined';
  if (!Number.isFinite(value)) return value > 0 ? '∞' : '−∞';
  return `${value.toFixed(3)}${unit ? ` ${unit}` : ''}`;
}

function percent(fraction: number): string {
  const text = `${Number((100 * Math.abs(fraction)).toPrecision(3))}%`;
  return fraction < 0 ? `−${text}` : `+${text}`;
}

function change(before: string, after: string): string {
  return before === after ? after : `${before} → ${after}`;
}

/** "0.781 → 0.765 (−2.1%)": the relative change when the baseline run's value allows one. */
function valueChange(before: number | null, after: number | null, unit = ''): string {
  const text = change(number(before, unit), number(after, unit));
  if (before === null || after === null || before === after || before === 0 || !Number.isFinite(before)) return text;
  return Number.isFinite(after) ? `${text} (${percent((after - before) / Math.abs(before))})` : text;
}

/** One finding as a sentence, with its allowance when it got worse. */
export function findingText(item: CheckItem, finding: CheckFinding, report: CheckReport): string {
  const { options } = report;
  const metric = METRICS[item.metric];
  switch (finding.what) {
    case 'tolerance': {
      const moved = intervalChange(item);
      if (!finding.shrink) return `tolerance interval ${moved}`;
      const sides = (['below', 'above'] as const)
        .filter((side) => finding.shrink![side] !== 0)
        .map((side) => {
          const amount = finding.shrink![side];
          return `${formatParameter(Math.abs(amount), item.unit)} ${amount > 0 ? 'lost' : 'gained'} ${side}`;
        });
      const allowed =
        finding.change === 'worse' ? `; allowed shrink ${formatParameter(options.maxShrink, item.unit)}` : '';
      return `tolerance interval ${moved} (${sides.join(', ')}${allowed})`;
    }
    case 'nauc':
    case 'baseline': {
      const name = finding.what === 'nauc' ? `${metric.label} nAUC` : `baseline ${metric.label}`;
      const unit = finding.what === 'baseline' ? metric.unit : '';
      const allowance = finding.what === 'nauc' ? options.maxNaucDrop : options.maxBaselineDrop;
      const text = `${name} ${valueChange(item.baseline[finding.what], item.current[finding.what], unit)}`;
      return finding.change === 'worse' ? `${text}; allowed ${percent(-allowance).slice(1)} worse` : text;
    }
  }
}

/** Whether the report covers several model pairs (then lines and test cases name the model). */
export function severalModels(report: CheckReport): boolean {
  return new Set(report.items.map((i) => `${i.model.current}\n${i.model.baseline}`)).size > 1;
}

/** What the item is, for a line or a test case: "rotate, deep_gm (Dice)", with the model when there are several. */
export function itemSubject(item: CheckItem, report: CheckReport): string {
  const model = severalModels(report) ? `, ${item.model.current}` : '';
  return `${item.series}, ${item.className} (${METRICS[item.metric].label}${model})`;
}

export interface CheckTable {
  header: string[];
  rows: string[][];
}

/** Every item that changed (regressions first), one row each; unchanged items are counted, not listed. */
export function checkTable(report: CheckReport): CheckTable {
  const changed = report.items.filter((item) => item.findings.length > 0);
  const models = severalModels(report);
  const severalMetrics = new Set(report.items.map((i) => i.metric)).size > 1;
  const header = [
    'status',
    ...(models ? ['model'] : []),
    'series',
    'class',
    ...(severalMetrics ? ['metric'] : []),
    'tolerance interval (baseline run → this run)',
    'nAUC',
    'baseline',
  ];
  const rows = changed.map((item) => [
    VERDICT_LABEL[item.verdict],
    ...(models ? [item.model.current] : []),
    item.series,
    item.className,
    ...(severalMetrics ? [METRICS[item.metric].label] : []),
    intervalChange(item),
    valueChange(item.baseline.nauc, item.current.nauc),
    valueChange(item.baseline.baseline, item.current.baseline, METRICS[item.metric].unit),
  ]);
  return { header, rows };
}

/** "2 regressions (of 6 comparisons: 1 worse within the allowance, 3 improved)". */
export function checkHeadline(report: CheckReport): string {
  const count = (verdict: CheckVerdict) => report.items.filter((item) => item.verdict === verdict).length;
  const regressions = count('regressed');
  const rest = (['worse', 'not-gated', 'improved', 'unchanged'] as const)
    .filter((verdict) => count(verdict) > 0)
    .map(
      (verdict) => `${count(verdict)} ${verdict === 'worse' ? 'worse within the allowance' : VERDICT_LABEL[verdict]}`,
    );
  const what =
    regressions === 0 ? 'no regressions' : `${regressions} ${regressions === 1 ? 'regression' : 'regressions'}`;
  const of = `${report.items.length} ${report.items.length === 1 ? 'comparison' : 'comparisons'}`;
  return `${what} (${of}${rest.length ? `: ${rest.join(', ')}` : ''})`;
}

/** The allowances in words, so a reader knows what "regressed" meant. */
export function allowanceText(report: CheckReport): string {
  const { maxShrink, maxNaucDrop, maxBaselineDrop, minBaselineDice } = report.options;
  return `allowed: each side of a tolerance interval shrinks by ≤ ${maxShrink} (series' unit), nAUC ≤ ${percent(maxNaucDrop).slice(1)} worse, baseline metric ≤ ${percent(maxBaselineDrop).slice(1)} worse; classes with baseline Dice < ${minBaselineDice} in the baseline run are not gated`;
}

/** Why: each regression's findings beyond the allowance, and why a class that changed is not gated. */
function explanations(report: CheckReport): string[] {
  return report.items.flatMap((item) => {
    if (item.verdict === 'not-gated' && item.findings.length > 0)
      return [`${itemSubject(item, report)}: not gated: ${item.notGatedBecause}`];
    if (item.verdict !== 'regressed') return [];
    return item.findings
      .filter((f) => f.regressed)
      .map((f) => `${itemSubject(item, report)}: ${findingText(item, f, report)}`);
  });
}

/** The terminal report: headline, table of changes, why, what was not compared, notes. */
export function checkTextLines(report: CheckReport, names: { current: string; baseline: string }): string[] {
  const table = checkTable(report);
  return [
    `misas check ${names.current} against ${names.baseline}: ${checkHeadline(report)}`,
    ...(table.rows.length ? ['', ...alignedTable(table.header, table.rows)] : []),
    ...(explanations(report).length ? ['', ...explanations(report)] : []),
    ...report.uncompared.map((text) => `not compared: ${text}`),
    ...report.notes.map((text) => `note: ${text}`),
    allowanceText(report),
  ];
}

/** A name from an experiment inside a table cell: no HTML, no column breaks, one line. */
function markdownCell(text: string): string {
  return (
    text
      // eslint-disable-next-line no-control-regex -- control characters have no place in a summary
      .replace(/[\u0000-\u0008\u000B\u000C\u000E-\u001F]/g, '')
      .replace(/&/g, '&amp;')
      .replace(/</g, '&lt;')
      .replace(/>/g, '&gt;')
      .replace(/\\/g, '\\\\')
      .replace(/\|/g, '\\|')
      .replace(/`/g, '\\`')
      .replace(/[\r\n\t]+/g, ' ')
  );
}

/** The same report in GitHub-flavoured Markdown (e.g. for $GITHUB_STEP_SUMMARY). */
export function checkMarkdown(report: CheckReport, names: { current: string; baseline: string }): string {
  const table = checkTable(report);
  const row = (cells: string[]) => `| ${cells.map(markdownCell).join(' | ')} |`;
  const list = (title: string, lines: string[]) =>
    lines.length ? ['', `**${title}**`, '', ...lines.map((line) => `- ${markdownCell(line)}`)] : [];
  return (
    [
      `### misas check: ${report.regressed ? '❌' : '✅'} ${markdownCell(checkHeadline(report))}`,
      '',
      `${markdownCell(names.current)} against the baseline ${markdownCell(names.baseline)}`,
      ...(table.rows.length
        ? ['', row(table.header), row(table.header.map(() => '---')), ...table.rows.map(row)]
        : ['', 'Nothing changed.']),
      ...list('Why', explanations(report)),
      ...list('Not compared', report.uncompared),
      ...list('Notes', report.notes),
      '',
      `_${markdownCell(allowanceText(report))}_`,
    ].join('\n') + '\n'
  );
}
