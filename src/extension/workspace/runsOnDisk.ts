/**
 * Finding experiments' runs on disk: `<experiment folder>/<misas.runsFolder>/<safe name>/<timestamp>/`.
 * A folder with results.json is finished (completed or cancelled); one without is running when an
 * active run writes it, otherwise incomplete: failed (its failed.json says why), or killed with
 * its process.
 */
import * as path from 'node:path';
import * as vscode from 'vscode';
import { MisasInputError } from '../../engine/errors';
import { DEFAULT_RUNS_FOLDER } from '../../engine/defaults';
import type { RunResults } from '../../engine/report/results';
import { FAILED_FILE, parseRunResults, RESULTS_FILE } from '../../engine/report/runFolder';
import { safeSegment } from '../../engine/sweep/run/runPaths';
import { parseFailedRun, type FailedRunRecord } from '../../engine/report/failedRun';
import type { ActiveRun } from '../run/controller';
import { runsFolder } from '../settings';
import { dateFromRunFolder } from './format';

export type RunStatus = 'completed' | 'cancelled' | 'running' | 'incomplete';

export interface RunInfo {
  experimentFile: vscode.Uri;
  runDir: vscode.Uri;
  /** The folder name: a timestamp for runs written by the engine. */
  folderName: string;
  startedAt?: Date;
  status: RunStatus;
  durationMs?: number;
  results?: RunResults;
  active?: ActiveRun;
  /** Why results.json could not be read, if it could not. */
  problem?: string;
  /** An incomplete run's failed.json: why it failed (the tree says "failed: …" instead of "incomplete"). */
  failure?: FailedRunRecord;
}

export interface ExperimentHeader {
  name?: string;
  description?: string;
  /** Set when the file is not valid JSON or not an object. */
  problem?: string;
}

const decoder = new TextDecoder();

export async function readText(uri: vscode.Uri): Promise<string> {
  return decoder.decode(await vscode.workspace.fs.readFile(uri));
}

/** The experiment's name and description, without validating the rest (the editor does that). */
export async function readExperimentHeader(file: vscode.Uri): Promise<ExperimentHeader> {
  try {
    const text = (await readText(file)).replace(/^\uFEFF/, '');
    const data: unknown = JSON.parse(text);
    if (!data || typeof data !== 'object' || Array.isArray(data)) return { problem: 'not a JSON object' };
    const { name, description } = data as Record<string, unknown>;
    return {
      ...(typeof name === 'string' && name ? { name } : {}),
      ...(typeof description === 'string' ? { description } : {}),
    };
  } catch (thrown) {
    return { problem: thrown instanceof SyntaxError ? `not valid JSON (${thrown.message})` : String(thrown) };
  }
}

/** Every folder that may hold this experiment's runs: the configured one, and the CLI's default. */
export function runsRootsFor(experimentFile: vscode.Uri, experimentName: string): vscode.Uri[] {
  const folder = vscode.Uri.joinPath(experimentFile, '..');
  const configured = runsFolder(experimentFile);
  const segment = safeSegment(experimentName);
  const rootOf = (runs: string) =>
    path.isAbsolute(runs)
      ? vscode.Uri.joinPath(vscode.Uri.file(runs), segment)
      : vscode.Uri.joinPath(folder, ...runs.split(/[\\/]+/).filter(Boolean), segment);
  const roots = [rootOf(configured), rootOf(DEFAULT_RUNS_FOLDER)];
  return roots.filter((root, i) => roots.findIndex((other) => sameUri(other, root)) === i);
}

/**
 * What the file watchers watch for one runs folder (a setting's value, or the default): run
 * folders appearing or disappearing (`<experiment>/<runs>/<name>/<run>`, which catches deletions
 * of whole runs) and their results.json written. An absolute runs folder is watched whole.
 */
export function runFolderWatchPatterns(runs: string): vscode.GlobPattern[] {
  if (path.isAbsolute(runs)) return [new vscode.RelativePattern(vscode.Uri.file(runs), '**')];
  const folder = runs.replace(/\\/g, '/').replace(/^\.\/|\/$/g, '');
  return [`**/${folder}/*/*`, `**/${folder}/*/*/${RESULTS_FILE}`];
}

export function sameUri(a: vscode.Uri, b: vscode.Uri): boolean {
  const strip = (uri: vscode.Uri) => uri.with({ path: uri.path.replace(/\/+$/, '') }).toString();
  return strip(a) === strip(b);
}

/** results.json parsed once per modification: runs do not change after they are written. */
const resultsCache = new Map<string, { mtime: number; size: number; results: RunResults }>();

async function readResults(file: vscode.Uri, stat: vscode.FileStat): Promise<RunResults> {
  const key = file.toString();
  const cached = resultsCache.get(key);
  if (cached && cached.mtime === stat.mtime && cached.size === stat.size) return cached.results;
  const results = parseRunResults(await readText(file), file.fsPath);
  resultsCache.set(key, { mtime: stat.mtime, size: stat.size, results });
  return results;
}

async function statOrUndefined(uri: vscode.Uri): Promise<vscode.FileStat | undefined> {
  try {
    return await vscode.workspace.fs.stat(uri);
  } catch {
    return undefined;
  }
}

async function readRunFolder(
  experimentFile: vscode.Uri,
  runDir: vscode.Uri,
  active: ActiveRun | undefined,
): Promise<RunInfo> {
  const folderName = path.posix.basename(runDir.path);
  const base: RunInfo = { experimentFile, runDir, folderName, status: 'incomplete' };
  const fromName = dateFromRunFolder(folderName);
  if (fromName) base.startedAt = fromName;
  if (active) {
    return {
      ...base,
      status: 'running',
      active,
      startedAt: new Date(active.startedAt),
      durationMs: Date.now() - active.startedAt,
    };
  }
  const resultsFile = vscode.Uri.joinPath(runDir, RESULTS_FILE);
  const stat = await statOrUndefined(resultsFile);
  if (!stat) {
    const failure = await readFailure(runDir);
    return failure ? { ...base, failure } : base;
  }
  try {
    const results = await readResults(resultsFile, stat);
    const started = new Date(results.timing?.startedAt);
    return {
      ...base,
      results,
      status: results.status === 'cancelled' ? 'cancelled' : 'completed',
      ...(Number.isNaN(started.getTime()) ? {} : { startedAt: started }),
      ...(typeof results.timing?.durationMs === 'number' ? { durationMs: results.timing.durationMs } : {}),
    };
  } catch (thrown) {
    const why =
      thrown instanceof MisasInputError ? thrown.problem : thrown instanceof Error ? thrown.message : String(thrown);
    return { ...base, problem: `${RESULTS_FILE} cannot be read: ${why}` };
  }
}

/** The run's failed.json, if it has a readable one. */
async function readFailure(runDir: vscode.Uri): Promise<FailedRunRecord | undefined> {
  try {
    return parseFailedRun(await readText(vscode.Uri.joinPath(runDir, FAILED_FILE)));
  } catch {
    return undefined; // none: killed with its process, or an older run
  }
}

/** The experiment's runs, newest first, including active runs whose folder does not exist yet. */
export async function listRuns(
  experimentFile: vscode.Uri,
  experimentName: string,
  activeRuns: readonly ActiveRun[],
): Promise<RunInfo[]> {
  const mine = activeRuns.filter((run) => sameUri(run.experimentFile, experimentFile));
  const runDirs: vscode.Uri[] = [];
  for (const root of runsRootsFor(experimentFile, experimentName)) {
    let entries: [string, vscode.FileType][];
    try {
      entries = await vscode.workspace.fs.readDirectory(root);
    } catch {
      continue; // no runs yet
    }
    for (const [name, type] of entries) {
      if (type & vscode.FileType.Directory && !name.startsWith('.')) runDirs.push(vscode.Uri.joinPath(root, name));
    }
  }
  for (const run of mine) if (!runDirs.some((dir) => sameUri(dir, run.runDir))) runDirs.push(run.runDir);
  const runs = await Promise.all(
    runDirs.map((dir) =>
      readRunFolder(
        experimentFile,
        dir,
        mine.find((run) => sameUri(run.runDir, dir)),
      ),
    ),
  );
  return runs.sort(newestFirst);
}

function newestFirst(a: RunInfo, b: RunInfo): number {
  const time = (run: RunInfo) => run.startedAt?.getTime() ?? -Infinity;
  return time(b) - time(a) || b.folderName.localeCompare(a.folderName);
}

/** Experiment files in the workspace; model cards (`*.onnx.misas.json`) are not experiments. */
/**
 * A workspace search is expensive (in a remote workbench it crosses to the search service), and
 * the tree asks on every refresh: the answer is kept until a watcher reports an experiment file
 * created or deleted (forgetExperimentFiles), and at most EXPERIMENT_LIST_MAX_AGE_MS as a safety
 * net for files the watcher misses.
 */
const EXPERIMENT_LIST_MAX_AGE_MS = 10_000;
let experimentList: { at: number; files: Promise<vscode.Uri[]> } | undefined;

export function findExperimentFiles(): Promise<vscode.Uri[]> {
  if (!experimentList || Date.now() - experimentList.at > EXPERIMENT_LIST_MAX_AGE_MS) {
    const files = searchExperimentFiles();
    experimentList = { at: Date.now(), files };
    files.catch(() => (experimentList = undefined));
  }
  return experimentList.files;
}

/** Experiment files were created or deleted: the next findExperimentFiles searches again. */
export function forgetExperimentFiles(): void {
  experimentList = undefined;
}

async function searchExperimentFiles(): Promise<vscode.Uri[]> {
  const files = await vscode.workspace.findFiles('**/*.misas.json', '{**/node_modules/**,**/.misas/**,**/.git/**}');
  return files.filter((file) => !isModelCard(file)).sort((a, b) => a.path.localeCompare(b.path));
}

export function isModelCard(file: vscode.Uri): boolean {
  return /\.onnx\.misas\.json$/i.test(file.path);
}

/**
 * The experiment a run folder belongs to, if `runDir` is one: a timestamp folder (as the engine
 * names them) directly in a runs folder of an experiment in the workspace
 * (`<experiment folder>/<misas.runsFolder or .misas/runs>/<experiment>/<timestamp>`).
 */
export async function experimentOfRunFolder(runDir: vscode.Uri): Promise<vscode.Uri | undefined> {
  if (!dateFromRunFolder(path.posix.basename(runDir.path))) return undefined;
  const parent = vscode.Uri.joinPath(runDir, '..');
  for (const file of await findExperimentFiles()) {
    const header = await readExperimentHeader(file);
    const name = header.name ?? path.posix.basename(file.path).replace(/\.misas\.json$/i, '');
    if (runsRootsFor(file, name).some((root) => sameUri(root, parent))) return file;
  }
  return undefined;
}
