/**
 * The texts of a run item in the Experiments tree: its description and its tooltip (Markdown
 * with theme icons). Pure (no `vscode` import), so they can be checked in plain mocha.
 */
import { FAILED_FILE, RESULTS_FILE } from '../../engine/report/runFolder';
import { checksToShow, type BaselineCheck } from '../../engine/sweep/analysis/baselineCheck';
import type { FailedRunRecord } from '../../engine/report/failedRun';
import { problemsSummary } from '../runLabels';
import { formatDuration, formatLocalTime } from './format';
import type { RunInfo } from './runsOnDisk';

/** A path as the user should read it (the tree passes vscode.workspace.asRelativePath). */
export type RelativePath = (file: string) => string;

const asIs: RelativePath = (file) => file;

/** Longest failure message in a description; the tooltip has the whole one. */
const MAX_DESCRIBED_FAILURE = 80;

/** Input problems listed in a run's tooltip; a dataset can skip hundreds. */
const MAX_PROBLEMS_SHOWN = 5;

/** The failure as the user reads it: a message about a file names it relative to the workspace. */
export function failureText(failure: FailedRunRecord, relativePath: RelativePath = asIs): string {
  const { message, file } = failure;
  return file && message.startsWith(`${file}: `) ? `${relativePath(file)}: ${message.slice(file.length + 2)}` : message;
}

function shortened(text: string, max: number): string {
  const line = text.replace(/\s+/g, ' ').trim();
  return line.length <= max ? line : `${line.slice(0, max - 1).trimEnd()}…`;
}

/** Baseline checks listed in a run's tooltip (the panel's banner has them all). */
const MAX_BASELINE_CHECKS_SHOWN = 5;

/** The run's baseline checks worth showing (classes failing at baseline, the convention hint). */
export function baselineWarnings(run: RunInfo): BaselineCheck[] {
  return checksToShow(run.results?.baselineChecks ?? []);
}

/** "2 baseline warnings" for the description; undefined when there is none. */
function baselineSummary(run: RunInfo): string | undefined {
  const count = baselineWarnings(run).length;
  return count === 0 ? undefined : `${count} baseline ${count === 1 ? 'warning' : 'warnings'}`;
}

/** "completed · 1 min 23 s · 3 inputs skipped", "running · 12/40 · rotate", "failed: model.onnx: file not found". */
export function runDescription(run: RunInfo, relativePath: RelativePath = asIs): string {
  if (!run.active && run.failure)
    return `failed: ${shortened(failureText(run.failure, relativePath), MAX_DESCRIBED_FAILURE)}`;
  const parts: string[] = [run.status];
  if (run.active) {
    parts.push(`${run.active.done}/${run.active.total}`);
    if (run.active.series) parts.push(run.active.series);
  }
  if (run.durationMs !== undefined) parts.push(formatDuration(run.durationMs));
  const problems = problemsSummary(run.results?.problems);
  if (problems) parts.push(problems);
  const baseline = baselineSummary(run);
  if (baseline) parts.push(baseline);
  return parts.join(' · ');
}

/** The run item's tooltip as Markdown with theme icons (`$(warning)`). */
export function runTooltipMarkdown(run: RunInfo, relativePath: RelativePath = asIs): string {
  const failed = !run.active && run.failure;
  const lines = [`**${failed ? 'failed' : run.status}** — ${escapeMarkdown(run.folderName)}`];
  const results = run.results;
  if (results) {
    const models = results.models.map((model) =>
      model.label === model.path ? model.path : `${model.label} (${model.path})`,
    );
    lines.push(
      `${models.length === 1 ? 'model' : 'models'} ${escapeMarkdown(models.join(', '))} · ${results.inputs.length} input(s) · ${results.series.length} series · ${results.metrics.join(', ')}`,
    );
    // First among the caveats: a failing baseline changes how everything else reads.
    const checks = baselineWarnings(run);
    if (checks.length) {
      const shown = checks.slice(0, MAX_BASELINE_CHECKS_SHOWN).map((check) => `- ${escapeMarkdown(check.message)}`);
      const more =
        checks.length > MAX_BASELINE_CHECKS_SHOWN
          ? [`- … and ${checks.length - MAX_BASELINE_CHECKS_SHOWN} more (Open Results shows them all)`]
          : [];
      lines.push(`$(warning) check the baseline first:\n${[...shown, ...more].join('\n')}`);
    }
    if (results.pseudoTruth)
      lines.push('$(info) some inputs had no ground truth: their prediction on the unchanged image was the reference');
    const problems = results.problems ?? [];
    if (problems.length) {
      const shown = problems
        .slice(0, MAX_PROBLEMS_SHOWN)
        .map((p) => `- ${escapeMarkdown(`${p.file}: ${p.problem} (${p.action})`)}`);
      const more =
        problems.length > MAX_PROBLEMS_SHOWN
          ? [`- … and ${problems.length - MAX_PROBLEMS_SHOWN} more (${RESULTS_FILE} lists them all)`]
          : [];
      lines.push(`$(warning) ${problemsSummary(problems)}:\n${[...shown, ...more].join('\n')}`);
    }
  }
  if (failed) {
    const at = new Date(failed.at);
    const when = Number.isNaN(at.getTime()) ? '' : ` at ${formatLocalTime(at)}`;
    lines.push(`$(error) the run failed${when}: ${escapeMarkdown(failureText(failed, relativePath))}`);
    lines.push(`what it wrote before it failed is kept; ${FAILED_FILE} says why`);
  } else if (run.status === 'incomplete') {
    lines.push(`$(warning) no ${RESULTS_FILE}: the run failed or was stopped before it finished`);
  }
  if (run.problem) lines.push(`$(warning) ${escapeMarkdown(run.problem)}`);
  return lines.join('\n\n');
}

export function escapeMarkdown(text: string): string {
  return text.replace(/[\\`*_{}[\]()#+\-.!|<>$]/g, '\\$&');
}
