/**
 * The Experiments tree: experiment files → their runs (newest first) → series. It reads the
 * disk each time VS Code asks (results.json is cached per modification), so a refresh is just
 * an event; refreshes from watchers and run progress are debounced.
 */
import * as vscode from 'vscode';
import type { RunController } from '../run/controller';
import { findExperimentFiles, listRuns, readExperimentHeader } from './runsOnDisk';
import { ExperimentNode, RunNode, SeriesNode, type MisasTreeNode } from './treeNodes';

const REFRESH_DELAY_MS = 250;

export class ExperimentsTreeProvider implements vscode.TreeDataProvider<MisasTreeNode>, vscode.Disposable {
  private readonly changed = new vscode.EventEmitter<MisasTreeNode | undefined>();
  readonly onDidChangeTreeData = this.changed.event;
  private timer: ReturnType<typeof setTimeout> | undefined;
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

  /** Refreshes soon: bursts of file events and progress ticks become one refresh. */
  scheduleRefresh(): void {
    if (this.timer) return;
    this.timer = setTimeout(() => this.refresh(), REFRESH_DELAY_MS);
  }

  getTreeItem(node: MisasTreeNode): vscode.TreeItem {
    return node;
  }

  async getChildren(node?: MisasTreeNode): Promise<MisasTreeNode[]> {
    if (!node) return this.experiments();
    if (node.kind === 'experiment') {
      if (node.header.problem) return [];
      const runs = await listRuns(node.experimentFile, node.experimentName, this.runs.active);
      return runs.map((run) => new RunNode(run));
    }
    if (node.kind === 'run') return (node.run.results?.series ?? []).map((series) => new SeriesNode(node.run, series));
    return [];
  }

  async experiments(): Promise<ExperimentNode[]> {
    const files = await findExperimentFiles();
    return Promise.all(files.map(async (file) => new ExperimentNode(file, await readExperimentHeader(file))));
  }

  dispose(): void {
    if (this.timer) clearTimeout(this.timer);
    this.changed.dispose();
  }
}

/** What the tree shows, as plain data: for the extension tests (see misas._experimentsSnapshot). */
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
  const children = await provider.getChildren(node);
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
