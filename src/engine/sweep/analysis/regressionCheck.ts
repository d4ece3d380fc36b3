/**
 * `misas check`: compares a run with a baseline run (e.g. main's) per model, series, foreground
 * class and metric, and says what regressed (docs/ALGORITHMS.md, "misas check"). Pure: it reads
 * the two runs' summaries and returns a report; the CLI prints it and writes Markdown and JUnit.
 *
 * What is compared, on each run's pooled curve (the mean over all inputs, or the only input):
 * - the tolerance interval: each side may shrink by at most `maxShrink` (in the series' unit);
 *   an interval that is gone (the class now fails at baseline) is a regression;
 * - nAUC and the baseline metric D0: each may be worse than the baseline run's by at most a
 *   fraction (`maxNaucDrop`, `maxBaselineDrop`) of the baseline run's value; "worse" is lower
 *   for Dice and higher for HD95 / ASSD.
 * A class whose baseline Dice in the baseline run is below `minBaselineDice` (or fails at
 * baseline there) is reported but not gated: it had no tolerance worth keeping.
 */
import { METRICS, toleranceMetrics, type MetricName } from '../../metrics/types';
import { BASELINE_DICE_MIN } from './baselineCheck';
import { foregroundClasses } from './classes';
import type { SeriesSummary } from './seriesSummary';

export interface CheckOptions {
  /** How far each side of a tolerance interval may move inwards, in the series' unit (default 0). */
  maxShrink: number;
  /** How much worse nAUC may get, as a fraction of the baseline run's nAUC (default 0.05). */
  maxNaucDrop: number;
  /** How much worse the baseline metric D0 may get, as a fraction of the baseline run's D0 (default 0.05). */
  maxBaselineDrop: number;
  /** A class below this baseline Dice in the baseline run is reported but not gated (default 0.5). */
  minBaselineDice: number;
}

export const DEFAULT_CHECK_OPTIONS: Readonly<CheckOptions> = {
  maxShrink: 0,
  maxNaucDrop: 0.05,
  maxBaselineDrop: 0.05,
  minBaselineDice: BASELINE_DICE_MIN,
};

/** The fields of a summary the check reads. */
export type CheckedSummary = Pick<
  SeriesSummary,
  'model' | 'input' | 'group' | 'metric' | 'className' | 'tolerance' | 'nauc' | 'baseline' | 'failsAtBaseline'
>;

/** The fields of a run (RunResults) the check reads. */
export interface CheckedRun {
  status: 'completed' | 'cancelled';
  tolerance: number;
  models: readonly { label: string }[];
  classes: readonly string[];
  metrics: readonly MetricName[];
  inputs: readonly { label: string; imageSha256?: string }[];
  series: readonly {
    name: string;
    transform: string;
    unit: string;
    options?: unknown;
    /** Adaptive refinement the run asked for (the series' `refine`); absent when not refined. */
    refine?: { resolution: number };
    values: readonly (readonly number[])[];
    summaries: readonly CheckedSummary[];
  }[];
}

/** The pooled curve's numbers of one run. */
export interface CheckedSide {
  tolerance: [number, number] | null;
  nauc: number | null;
  baseline: number | null;
}

export interface CheckFinding {
  what: 'tolerance' | 'nauc' | 'baseline';
  change: 'worse' | 'better';
  /** Worse by more than the allowance. */
  regressed: boolean;
  /** For 'tolerance': how far each side moved inwards (negative: outwards), in the series' unit. */
  shrink?: { below: number; above: number };
  /** For 'nauc' and 'baseline': current − baseline run. */
  delta?: number;
}

export type CheckVerdict = 'regressed' | 'not-gated' | 'worse' | 'improved' | 'unchanged';

export interface CheckItem {
  /** The two models' labels (current run, baseline run). */
  model: { current: string; baseline: string };
  series: string;
  unit: string;
  className: string;
  metric: MetricName;
  current: CheckedSide;
  baseline: CheckedSide;
  findings: CheckFinding[];
  verdict: CheckVerdict;
  /** Why a 'not-gated' item is not gated. */
  notGatedBecause?: string;
}

export interface CheckReport {
  options: CheckOptions;
  /** How models were paired: by label when every model of the current run has one in the baseline run. */
  modelMatch: 'label' | 'index';
  items: CheckItem[];
  /** What could not be compared, and why. */
  uncompared: string[];
  /** Caveats about what was compared (how models were paired, different inputs, …). */
  notes: string[];
  regressed: boolean;
}

/** Differences below this (relative) are float noise, not change. */
const EPSILON = 1e-9;

function pairModels(
  current: CheckedRun,
  baseline: CheckedRun,
): { match: 'label' | 'index'; pairs: Array<[number, number]>; notes: string[]; uncompared: string[] } {
  const byLabel = current.models.map((m) => baseline.models.findIndex((b) => b.label === m.label));
  if (byLabel.every((index) => index >= 0)) {
    const unpaired = baseline.models.filter((_, b) => !byLabel.includes(b));
    return {
      match: 'label',
      pairs: byLabel.map((b, c) => [c, b]),
      notes: [],
      uncompared: unpaired.map((m) => `model "${m.label}": only in the baseline run`),
    };
  }
  const count = Math.min(current.models.length, baseline.models.length);
  const pairs = Array.from({ length: count }, (_, i): [number, number] => [i, i]);
  const shown = pairs.map(([c, b]) => `"${current.models[c].label}" ↔ "${baseline.models[b].label}"`).join(', ');
  const uncompared = [
    ...current.models.slice(count).map((m) => `model "${m.label}": not in the baseline run`),
    ...baseline.models.slice(count).map((m) => `model "${m.label}": only in the baseline run`),
  ];
  return {
    match: 'index',
    pairs,
    notes: [`models paired by their place in the run, since their labels differ: ${shown}`],
    uncompared,
  };
}

/** The summary of a run's pooled curve: the mean over all inputs, or the only input's. */
function pooledSummary(
  summaries: readonly CheckedSummary[],
  model: number,
  metric: MetricName,
  className: string,
): CheckedSummary | undefined {
  const mine = summaries.filter((s) => s.model === model && s.metric === metric && s.className === className);
  const mean = mine.find((s) => s.input === 'mean' && s.group === undefined);
  if (mean) return mean;
  const perInput = mine.filter((s) => s.input !== 'mean');
  return perInput.length === 1 ? perInput[0] : undefined;
}

function sortedValues(values: readonly (readonly number[])[]): number[] {
  return [...new Set(values.flat())].sort((a, b) => a - b);
}

function sameNumbers(a: readonly number[], b: readonly number[]): boolean {
  return a.length === b.length && a.every((v, i) => Math.abs(v - b[i]) <= EPSILON * Math.max(1, Math.abs(v)));
}

function toleranceFinding(
  current: [number, number] | null,
  baseline: [number, number] | null,
  maxShrink: number,
): CheckFinding | undefined {
  if (!current && !baseline) return undefined;
  if (!current) return { what: 'tolerance', change: 'worse', regressed: true };
  if (!baseline) return { what: 'tolerance', change: 'better', regressed: false };
  const shrink = { below: current[0] - baseline[0], above: baseline[1] - current[1] };
  const worst = Math.max(shrink.below, shrink.above);
  const scale = Math.max(1, Math.abs(baseline[0]), Math.abs(baseline[1]));
  if (worst > EPSILON * scale)
    return { what: 'tolerance', change: 'worse', regressed: worst > maxShrink + EPSILON * scale, shrink };
  if (Math.min(shrink.below, shrink.above) < -EPSILON * scale)
    return { what: 'tolerance', change: 'better', regressed: false, shrink };
  return undefined;
}

/** nAUC or D0: worse by more than `allowance` × |baseline run's value| regresses. */
function valueFinding(
  what: 'nauc' | 'baseline',
  current: number | null,
  baseline: number | null,
  higherIsBetter: boolean,
  allowance: number,
): CheckFinding | undefined {
  if (current === null || baseline === null) return undefined;
  if (current === baseline) return undefined; // also Infinity = Infinity, which subtracts to NaN
  const delta = current - baseline;
  const worse = higherIsBetter ? -delta : delta;
  const noise = EPSILON * Math.max(1, Math.abs(baseline));
  if (Math.abs(worse) <= noise) return undefined;
  if (worse < 0) return { what, change: 'better', regressed: false, delta };
  return { what, change: 'worse', regressed: worse > allowance * Math.abs(baseline) + noise, delta };
}

function verdictOf(findings: readonly CheckFinding[], gated: boolean): CheckVerdict {
  if (findings.some((f) => f.regressed)) return gated ? 'regressed' : 'not-gated';
  if (!gated) return 'not-gated';
  if (findings.some((f) => f.change === 'worse')) return 'worse';
  return findings.length > 0 ? 'improved' : 'unchanged';
}

const VERDICT_ORDER: readonly CheckVerdict[] = ['regressed', 'worse', 'not-gated', 'improved', 'unchanged'];

function notesOnInputs(current: CheckedRun, baseline: CheckedRun): string[] {
  const notes: string[] = [];
  if (current.status !== 'completed') notes.push('the current run was cancelled: its summaries cover part of the work');
  if (baseline.status !== 'completed')
    notes.push('the baseline run was cancelled: its summaries cover part of the work');
  const hashes = (run: CheckedRun) => run.inputs.map((input) => input.imageSha256 ?? input.label).join('\n');
  if (hashes(current) !== hashes(baseline)) {
    const which =
      current.inputs.length === baseline.inputs.length
        ? 'other image files'
        : `${current.inputs.length} here, ${baseline.inputs.length} in the baseline run`;
    notes.push(`the runs used different inputs (${which}): their curves are means over different images`);
  }
  return notes;
}

/** Compares `current` with `baseline` (the run to hold it to); see the module comment. */
export function checkRuns(current: CheckedRun, baseline: CheckedRun, options: Partial<CheckOptions> = {}): CheckReport {
  const opts: CheckOptions = { ...DEFAULT_CHECK_OPTIONS, ...options };
  const models = pairModels(current, baseline);
  const uncompared = [...models.uncompared];
  const notes = [...models.notes, ...notesOnInputs(current, baseline)];

  const classes = foregroundClasses(current.classes).filter((c) => baseline.classes.includes(c));
  for (const c of current.classes)
    if (!baseline.classes.includes(c)) uncompared.push(`class ${c}: not in the baseline run`);
  for (const c of baseline.classes)
    if (!current.classes.includes(c)) uncompared.push(`class ${c}: only in the baseline run`);
  // Volumes and volume change have no summaries to compare (MetricInfo.tolerance).
  const metrics = toleranceMetrics(current.metrics).filter((m) => baseline.metrics.includes(m));
  for (const m of current.metrics)
    if (!baseline.metrics.includes(m)) uncompared.push(`metric ${m}: not in the baseline run`);
  for (const m of baseline.metrics)
    if (!current.metrics.includes(m)) uncompared.push(`metric ${m}: only in the baseline run`);
  const sameTau = Math.abs(current.tolerance - baseline.tolerance) <= EPSILON;
  if (!sameTau)
    uncompared.push(
      `tolerance intervals: the runs used different tolerance fractions τ (${current.tolerance} and ${baseline.tolerance})`,
    );
  if (!baseline.metrics.includes('dice') && opts.minBaselineDice > 0)
    notes.push('the baseline run has no Dice: every class is gated, whatever its baseline');

  const items: CheckItem[] = [];
  for (const series of current.series) {
    const reference = baseline.series.find((s) => s.name === series.name);
    if (!reference) {
      uncompared.push(`series ${series.name}: not in the baseline run`);
      continue;
    }
    if (reference.transform !== series.transform) {
      uncompared.push(
        `series ${series.name}: sweeps ${series.transform} here and ${reference.transform} in the baseline run`,
      );
      continue;
    }
    const sameSweep = sameNumbers(sortedValues(series.values), sortedValues(reference.values));
    if (!sameSweep)
      uncompared.push(
        `series ${series.name}: tolerance intervals and nAUC (the runs swept different values; baseline metrics are compared)`,
      );
    const resolutions = [series.refine?.resolution, reference.refine?.resolution];
    if (resolutions[0] !== resolutions[1]) {
      const said = (r: number | undefined) => (r === undefined ? 'not refined' : `refined to ${r}${series.unit}`);
      // Interval edges are only as precise as each run's resolution (or its grid when not refined).
      notes.push(
        `series ${series.name}: interval edges have different precision (${said(resolutions[0])} here, ${said(resolutions[1])} in the baseline run); --max-shrink should allow for it`,
      );
    }
    if (JSON.stringify(series.options ?? {}) !== JSON.stringify(reference.options ?? {}))
      notes.push(`series ${series.name}: the runs used different options (${JSON.stringify(series.options)} here)`);
    const compareCurves = sameSweep && sameTau;

    for (const [currentModel, baselineModel] of models.pairs) {
      for (const metric of metrics) {
        for (const className of classes) {
          const now = pooledSummary(series.summaries, currentModel, metric, className);
          const before = pooledSummary(reference.summaries, baselineModel, metric, className);
          if (!now || !before) {
            uncompared.push(
              `series ${series.name}, ${className}, ${METRICS[metric].label}: no summary over all inputs in ${now ? 'the baseline' : 'the current'} run`,
            );
            continue;
          }
          const higherIsBetter = METRICS[metric].higherIsBetter;
          const findings = [
            compareCurves ? toleranceFinding(now.tolerance, before.tolerance, opts.maxShrink) : undefined,
            compareCurves ? valueFinding('nauc', now.nauc, before.nauc, higherIsBetter, opts.maxNaucDrop) : undefined,
            valueFinding('baseline', now.baseline, before.baseline, higherIsBetter, opts.maxBaselineDrop),
          ].filter((f): f is CheckFinding => f !== undefined);
          const diceBefore = pooledSummary(reference.summaries, baselineModel, 'dice', className);
          const notGatedBecause = diceBefore?.failsAtBaseline
            ? `fails at baseline in the baseline run (Dice ${diceBefore.failsAtBaseline.dice.toFixed(2)})`
            : diceBefore?.baseline != null && diceBefore.baseline < opts.minBaselineDice
              ? `baseline Dice ${diceBefore.baseline.toFixed(2)} in the baseline run is below ${opts.minBaselineDice}`
              : undefined;
          items.push({
            model: { current: current.models[currentModel].label, baseline: baseline.models[baselineModel].label },
            series: series.name,
            unit: series.unit,
            className,
            metric,
            current: { tolerance: now.tolerance, nauc: now.nauc, baseline: now.baseline },
            baseline: { tolerance: before.tolerance, nauc: before.nauc, baseline: before.baseline },
            findings,
            verdict: verdictOf(findings, notGatedBecause === undefined),
            ...(notGatedBecause ? { notGatedBecause } : {}),
          });
        }
      }
    }
  }
  for (const s of baseline.series)
    if (!current.series.some((c) => c.name === s.name)) uncompared.push(`series ${s.name}: only in the baseline run`);

  // Stable: regressions first, then the rest in run order.
  items.sort((a, b) => VERDICT_ORDER.indexOf(a.verdict) - VERDICT_ORDER.indexOf(b.verdict));
  return {
    options: opts,
    modelMatch: models.match,
    items,
    uncompared,
    notes,
    regressed: items.some((item) => item.verdict === 'regressed'),
  };
}
