/**
 * `misas export --format rood-csv`: a run's severity series in ROOD-MRI's table layout (the CSV
 * its calculate_metrics reads, roodmri README step 2), one line per model × task × transform ×
 * severity × subject:
 *   Model,Task,Transform,Severity,Subject_ID,DSC,HD95
 * Task is the class (ROOD-MRI's tasks are single structures: WMHs, ventricles); Transform is the
 * series' name; the untransformed inputs are Transform "Clean" at Severity 0, once per model,
 * class and subject, as ROOD-MRI expects. A metric the run did not compute, or an undefined one,
 * is an empty cell (pandas reads NaN, which its means skip); an infinite HD95 (a class missing
 * from the prediction) is "inf", which pandas and Python read as infinity.
 */
import { MisasInputError } from '../errors';
import { foregroundClasses } from '../sweep/analysis/classes';
import type { MetricsByClass } from '../metrics/types';
import { csvField, type RunResults } from './results';

export const ROOD_CSV_COLUMNS = ['Model', 'Task', 'Transform', 'Severity', 'Subject_ID', 'DSC', 'HD95'] as const;
export const ROOD_CLEAN_LABEL = 'Clean';

function number(value: number | null | undefined): string {
  if (value === null || value === undefined || Number.isNaN(value)) return '';
  return Number.isFinite(value) ? String(value) : value > 0 ? 'inf' : '-inf';
}

/** The ROOD-MRI table of a run; `file` names the run in the error when it has no severity series. */
export function resultsToRoodCsv(results: RunResults, file: string): string {
  const graded = results.series.filter((s) => s.severities);
  if (!graded.length) {
    throw new MisasInputError(
      file,
      `no series of this run has severity levels, and ROOD-MRI's table needs them: give a series "severities": [1, 2, 3, 4, 5] instead of a sweep (docs/TRANSFORMS.md, "Severity levels") and run it again; series here: ${results.series.map((s) => s.name).join(', ')}`,
    );
  }
  const classes = foregroundClasses(results.classes);
  const lines = [ROOD_CSV_COLUMNS.join(',')];
  const modelLabel = (model: number) => results.models[model]?.label ?? String(model);
  const subject = (input: number) => results.inputs[input]?.label ?? String(input);
  const line = (model: number, transform: string, severity: number, input: number, metrics: MetricsByClass) => {
    for (const className of classes) {
      lines.push(
        [
          csvField(modelLabel(model)),
          csvField(className),
          csvField(transform),
          String(severity),
          csvField(subject(input)),
          number(metrics.dice?.[className]),
          number(metrics.hd95?.[className]),
        ].join(','),
      );
    }
  };
  // Clean: the inputs (per model) that some severity series ran, from the untransformed predictions.
  const ran = new Set(graded.flatMap((s) => s.rows.map((row) => `${row.model}:${row.input}`)));
  for (const baseline of results.baselines)
    if (ran.has(`${baseline.model}:${baseline.input}`))
      line(baseline.model, ROOD_CLEAN_LABEL, 0, baseline.input, baseline.metrics);
  for (const series of graded)
    for (const row of series.rows)
      if (row.severity !== undefined && row.severity > 0)
        line(row.model, series.name, row.severity, row.input, row.metrics);
  return lines.join('\n') + '\n';
}
