/**
 * The elements of the Experiments tree. Each is a TreeItem, so commands invoked from the tree
 * receive an object with `resourceUri` (the experiment file, or the run folder) and, for runs,
 * `runDir` and `runId` (set while the run is active) — the fields the run commands read.
 */
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { ResultsSeries } from '../../engine/report/results';
import { problemsSummary } from '../runSummary';
import { formatDuration, formatLocalTime, formatValueRange } from './format';
import type { ExperimentHeader, RunInfo, RunStatus } from './runsOnDisk';

export const CONTEXT_EXPERIMENT = 'misas.experiment';
export const CONTEXT_SERIES = 'misas.series';
/** Runs: misas.run.completed | .cancelled | .running | .incomplete (menus match /^misas\.run\./). */
export const runContext = (status: RunStatus) => `misas.run.${status}`;

export class ExperimentNode extends vscode.TreeItem {
  readonly kind = 'experiment' as const;

  constructor(
    readonly experimentFile: vscode.Uri,
    readonly header: ExperimentHeader,
  ) {
    super(header.name ?? path.posix.basename(experimentFile.path).replace(/\.misas\.json$/i, ''), vscode.TreeItemCollapsibleState.Expanded);
    this.id = `experiment:${experimentFile.toString()}`;
    this.resourceUri = experimentFile;
    this.description = header.problem ? header.problem : vscode.workspace.asRelativePath(experimentFile, false);
    this.iconPath = new vscode.ThemeIcon(header.problem ? 'warning' : 'beaker');
    this.contextValue = CONTEXT_EXPERIMENT;
    const tooltip = new vscode.MarkdownString(undefined, true);
    tooltip.appendMarkdown(`**${escapeMarkdown(String(this.label))}**\n\n`);
    if (header.description) tooltip.appendMarkdown(`${escapeMarkdown(header.description)}\n\n`);
    tooltip.appendMarkdown(`$(file) ${escapeMarkdown(vscode.workspace.asRelativePath(experimentFile, false))}`);
    if (header.problem) tooltip.appendMarkdown(`\n\n$(warning) ${escapeMarkdown(header.problem)}`);
    this.tooltip = tooltip;
    this.command = { command: 'vscode.open', title: 'Open Experiment', arguments: [experimentFile] };
  }

  /** The name runs are stored under. */
  get experimentName(): string {
    return String(this.label);
  }
}

const statusIcons: Record<RunStatus, vscode.ThemeIcon> = {
  completed: new vscode.ThemeIcon('pass', new vscode.ThemeColor('testing.iconPassed')),
  cancelled: new vscode.ThemeIcon('circle-slash', new vscode.ThemeColor('testing.iconSkipped')),
  running: new vscode.ThemeIcon('sync~spin'),
  incomplete: new vscode.ThemeIcon('warning', new vscode.ThemeColor('problemsWarningIcon.foreground')),
};

export class RunNode extends vscode.TreeItem {
  readonly kind = 'run' as const;
  readonly experimentFile: vscode.Uri;
  readonly runDir: vscode.Uri;
  /** The active run's id while it runs (what misas.cancelRun takes). */
  readonly runId: string | undefined;

  constructor(readonly run: RunInfo) {
    const hasSeries = (run.results?.series.length ?? 0) > 0;
    super(run.startedAt ? formatLocalTime(run.startedAt) : run.folderName, hasSeries ? vscode.TreeItemCollapsibleState.Collapsed : vscode.TreeItemCollapsibleState.None);
    this.experimentFile = run.experimentFile;
    this.runDir = run.runDir;
    this.runId = run.active?.id;
    this.id = `run:${run.runDir.toString()}`;
    this.resourceUri = run.runDir;
    this.description = runDescription(run);
    this.iconPath = statusIcons[run.status];
    this.contextValue = runContext(run.status);
    this.tooltip = runTooltip(run);
    // A running run opens too: its panel shows the results so far.
    if (run.results || run.active) this.command = { command: 'misas.openResults', title: 'Open Results', arguments: [this] };
    this.accessibilityInformation = { label: `Run ${String(this.label)}, ${String(this.description)}` };
  }
}

function runDescription(run: RunInfo): string {
  const parts: string[] = [run.status];
  if (run.active) {
    parts.push(`${run.active.done}/${run.active.total}`);
    if (run.active.series) parts.push(run.active.series);
  }
  if (run.durationMs !== undefined) parts.push(formatDuration(run.durationMs));
  const problems = problemsSummary(run.results?.problems);
  if (problems) parts.push(problems);
  return parts.join(' · ');
}

/** Input problems listed in a run's tooltip; a dataset can skip hundreds. */
const MAX_PROBLEMS_SHOWN = 5;

function runTooltip(run: RunInfo): vscode.MarkdownString {
  const tooltip = new vscode.MarkdownString(undefined, true);
  const lines = [`**${run.status}** — ${escapeMarkdown(run.folderName)}`];
  const results = run.results;
  if (results) {
    const models = results.models.map((model) => (model.label === model.path ? model.path : `${model.label} (${model.path})`));
    lines.push(`${models.length === 1 ? 'model' : 'models'} ${escapeMarkdown(models.join(', '))} · ${results.inputs.length} input(s) · ${results.series.length} series · ${results.metrics.join(', ')}`);
    if (results.pseudoTruth) lines.push('$(info) some inputs had no ground truth: their prediction on the unchanged image was the reference');
    const problems = results.problems ?? [];
    if (problems.length) {
      const shown = problems.slice(0, MAX_PROBLEMS_SHOWN).map((p) => `- ${escapeMarkdown(`${p.file}: ${p.problem} (${p.action})`)}`);
      const more = problems.length > MAX_PROBLEMS_SHOWN ? [`- … and ${problems.length - MAX_PROBLEMS_SHOWN} more (results.json lists them all)`] : [];
      lines.push(`$(warning) ${problemsSummary(problems)}:\n${[...shown, ...more].join('\n')}`);
    }
  }
  if (run.status === 'incomplete') lines.push('$(warning) no results.json: the run failed or was stopped before it finished');
  if (run.problem) lines.push(`$(warning) ${escapeMarkdown(run.problem)}`);
  tooltip.appendMarkdown(lines.join('\n\n'));
  return tooltip;
}

export class SeriesNode extends vscode.TreeItem {
  readonly kind = 'series' as const;
  readonly runDir: vscode.Uri;
  readonly experimentFile: vscode.Uri;

  constructor(
    readonly run: RunInfo,
    readonly series: ResultsSeries,
  ) {
    super(series.name, vscode.TreeItemCollapsibleState.None);
    this.runDir = run.runDir;
    this.experimentFile = run.experimentFile;
    this.id = `series:${run.runDir.toString()}:${series.name}`;
    const range = formatValueRange(series.values, series.unit);
    this.description = [series.name === series.transform ? '' : series.transform, range].filter(Boolean).join(' · ');
    this.iconPath = new vscode.ThemeIcon(series.kind === 'spatial' ? 'symbol-ruler' : 'symbol-color');
    this.contextValue = CONTEXT_SERIES;
    const headlines = series.summaries.filter((summary) => summary.headline).map((summary) => summary.sentence);
    this.tooltip = headlines.length ? headlines.join('\n') : `${series.transform}: no summary (no rows)`;
    this.command = { command: 'misas.openResults', title: 'Open Results', arguments: [this] };
  }
}

export type MisasTreeNode = ExperimentNode | RunNode | SeriesNode;

function escapeMarkdown(text: string): string {
  return text.replace(/[\\`*_{}[\]()#+\-.!|<>$]/g, '\\$&');
}
