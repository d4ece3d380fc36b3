/**
 * The Experiments tree: experiment files → their runs (newest first) → series. It reads the
 * disk each time VS Code asks (results.json is cached per modification), so a refresh is just
 * an event; refreshes from watchers and run progress are debounced.
 */
import * as vscode from 'vscode';
import type { RunController } from '../run/controller';
import { findExperimentFiles, forgetExperimentFiles, listRuns, readExperimentHeader } from './runsOnDisk';
import { ExperimentNode, RunNode, SeriesNode, type MisasTreeNode } from './treeNodes';

const REFRESH_DELAY_MS = 250;
const PROGRESS_REFRESH_MS = 1000;

export class ExperimentsTreeProvider implements vscode.TreeDataProvider<MisasTreeNode>, vscode.Disposable {
  private readonly changed = new vscode.EventEmitter<MisasTreeNode | undefined>();
  readonly onDidChangeTreeData = this.changed.event;
  private timer: ReturnType<typeof setTimeout> | undefined;
  private progressTimer: ReturnType<typeof setTimeout> | undefined;
  /** The experiment nodes last returned, by file: a progress refresh fires just those. */
  private shownExperiments = new Map<string, ExperimentNode>();
  /** How many times the tree was told to refresh: lets the tests see that file events arrive. */
  refreshCount = 0;

  constructor(private readonly runs: RunController) {}

  /** Refreshes now. */
  refresh(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
    this.refreshCount++;
    this.changed.fire(undefined);
  }

  /** Refreshes soon: bursts of file events become one refresh. */
  scheduleRefresh(): void {
    if (this.timer) return;
    this.timer = setTimeout(() => this.refresh(), REFRESH_DELAY_MS);
  }

  /**
   * A run made progress: at most once per PROGRESS_REFRESH_MS, and only the experiments whose
   * runs are active (their run nodes show how far they are); the whole tree if those are not shown yet.
   */
  scheduleProgressRefresh(): void {
    if (this.timer || this.progressTimer) return;
    this.progressTimer = setTimeout(() => {
      this.progressTimer = undefined;
      if (this.timer) return; // a full refresh is coming anyway
      const nodes = this.runs.active.map((run) => this.shownExperiments.get(run.experimentFile.toString()));
      if (nodes.length === 0 || nodes.some((node) => node === undefined)) return this.refresh();
      this.refreshCount++;
      for (const node of new Set(nodes)) this.changed.fire(node);
    }, PROGRESS_REFRESH_MS);
  }

  getTreeItem(node: MisasTreeNode): vscode.TreeItem {
    return node;
  }

  async getChildren(node?: MisasTreeNode): Promise<MisasTreeNode[]> {
    if (!node) {
      // VS Code knows elements by identity: remember the ones it was given, for progress refreshes.
      const experiments = await this.experiments();
      this.shownExperiments = new Map(
        experiments.map((experiment) => [experiment.experimentFile.toString(), experiment]),
      );
      return experiments;
    }
    if (node.kind === 'experiment') {
      if (node.header.problem) return [];
      const runs = await listRuns(node.experimentFile, node.experimentName, this.runs.active);
      return runs.map((run) => new RunNode(run));
    }
    if (node.kind === 'run') return (node.run.results?.series ?? []).map((series) => new SeriesNode(node.run, series));
    return [];
  }

  async experiments(): Promise<ExperimentNode[]> {
    let files = await findExperimentFiles();
    // A run of a file the (cached) search has not seen yet: the file is new, search again.
    const known = new Set(files.map((file) => file.toString()));
    if (this.runs.active.some((run) => !known.has(run.experimentFile.toString()))) {
      forgetExperimentFiles();
      files = await findExperimentFiles();
    }
    return Promise.all(files.map(async (file) => new ExperimentNode(file, await readExperimentHeader(file))));
  }

  dispose(): void {
    if (this.timer) clearTimeout(this.timer);
    if (this.progressTimer) clearTimeout(this.progressTimer);
    this.changed.dispose();
  }
}

/** What the tree shows, as plain data: for the extension tests (see misas.internal.experimentsSnapshot). */
export interface TreeSnapshot {
  refreshCount: number;
  nodes: NodeSnapshot[];
}

export interface NodeSnapshot {
  kind: MisasTreeNode['kind'];
  label: string;
  description: string;
  contextValue: string;
  tooltip: string;
  resource?: string;
  runId?: string;
  children: NodeSnapshot[];
}

export async function snapshotTree(provider: ExperimentsTreeProvider): Promise<TreeSnapshot> {
  return { refreshCount: provider.refreshCount, nodes: await snapshotNodes(provider) };
}

async function snapshotNodes(provider: ExperimentsTreeProvider, node?: MisasTreeNode): Promise<NodeSnapshot[]> {
  const children = node ? await provider.getChildren(node) : await provider.experiments();
  return Promise.all(
    children.map(async (child) => ({
      kind: child.kind,
      label: String(child.label),
      description: String(child.description ?? ''),
      contextValue: child.contextValue ?? '',
      tooltip: typeof child.tooltip === 'string' ? child.tooltip : (child.tooltip?.value ?? ''),
      ...(child.resourceUri ? { resource: child.resourceUri.toString() } : {}),
      ...(child.kind === 'run' && child.runId ? { runId: child.runId } : {}),
      children: await snapshotNodes(provider, child),
    })),
  );
}
