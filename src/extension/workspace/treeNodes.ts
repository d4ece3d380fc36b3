/**
 * The elements of the Experiments tree. Each is a TreeItem, so commands invoked from the tree
 * receive an object with `resourceUri` (the experiment file, or the run folder) and, for runs,
 * `runDir` and `runId` (set while the run is active) — the fields the run commands read.
 */
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { ResultsSeries } from '../../engine/report/results';
import { formatLocalTime, formatValueRange } from './format';
import type { ExperimentHeader, RunInfo, RunStatus } from './runsOnDisk';
import { baselineWarnings, escapeMarkdown, runDescription, runTooltipMarkdown } from './runText';
import { COMMANDS } from '../commandIds';

export const CONTEXT_EXPERIMENT = 'misas.experiment';
export const CONTEXT_SERIES = 'misas.series';
/**
 * Runs: misas.run.completed | .cancelled | .running | .incomplete (menus match /^misas\.run\./).
 * A failed run (failed.json) is incomplete to the menus: it can be revealed and deleted the same way.
 */
export const runContext = (status: RunStatus) => `misas.run.${status}`;

export class ExperimentNode extends vscode.TreeItem {
  readonly kind = 'experiment' as const;

  constructor(
    readonly experimentFile: vscode.Uri,
    readonly header: ExperimentHeader,
  ) {
    super(
      header.name ?? path.posix.basename(experimentFile.path).replace(/\.misas\.json$/i, ''),
      vscode.TreeItemCollapsibleState.Expanded,
    );
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
const failedIcon = new vscode.ThemeIcon('error', new vscode.ThemeColor('testing.iconFailed'));
/** A finished run whose baseline fails (or whose conventions look off): its numbers need a second look. */
const baselineWarningIcon = new vscode.ThemeIcon('warning', new vscode.ThemeColor('problemsWarningIcon.foreground'));

/** Workspace-relative paths in run texts. */
const relativePath = (file: string) => vscode.workspace.asRelativePath(file, false);

export class RunNode extends vscode.TreeItem {
  readonly kind = 'run' as const;
  readonly experimentFile: vscode.Uri;
  readonly runDir: vscode.Uri;
  /** The active run's id while it runs (what misas.cancelRun takes). */
  readonly runId: string | undefined;

  constructor(readonly run: RunInfo) {
    const hasSeries = (run.results?.series.length ?? 0) > 0;
    super(
      run.startedAt ? formatLocalTime(run.startedAt) : run.folderName,
      hasSeries ? vscode.TreeItemCollapsibleState.Collapsed : vscode.TreeItemCollapsibleState.None,
    );
    this.experimentFile = run.experimentFile;
    this.runDir = run.runDir;
    this.runId = run.active?.id;
    this.id = `run:${run.runDir.toString()}`;
    this.resourceUri = run.runDir;
    this.description = runDescription(run, relativePath);
    this.iconPath =
      run.failure && !run.active
        ? failedIcon
        : !run.active && baselineWarnings(run).length > 0
          ? baselineWarningIcon
          : statusIcons[run.status];
    this.contextValue = runContext(run.status);
    this.tooltip = new vscode.MarkdownString(runTooltipMarkdown(run, relativePath), true);
    // A running run opens too: its panel shows the results so far.
    if (run.results || run.active)
      this.command = { command: COMMANDS.openResults, title: 'Open Results', arguments: [this] };
    this.accessibilityInformation = { label: `Run ${String(this.label)}, ${String(this.description)}` };
  }
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
    this.command = { command: COMMANDS.openResults, title: 'Open Results', arguments: [this] };
  }
}

export type MisasTreeNode = ExperimentNode | RunNode | SeriesNode;
