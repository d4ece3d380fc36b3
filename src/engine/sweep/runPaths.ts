/**
 * Where runs live on disk: `<experiment folder>/.misas/runs/<safe experiment name>/<timestamp>/`.
 * Kept apart from execute.ts so the extension host can find run folders without bundling the
 * runner (and everything it imports).
 */
import { dirname, join } from 'node:path';
import { timestampFolderName } from '../report/files';
import type { ResolvedExperiment } from './experiment';

export const DEFAULT_RUNS_FOLDER = join('.misas', 'runs');

/** A name that is safe as one path segment on every platform. */
export function safeSegment(name: string): string {
  return name.replace(/[^\w.-]+/g, '_').replace(/^\.+/, '_').slice(0, 100) || 'experiment';
}

export function defaultRunDir(experiment: ResolvedExperiment, date: Date): string {
  return join(dirname(experiment.file), DEFAULT_RUNS_FOLDER, safeSegment(experiment.experiment.name), timestampFolderName(date));
}
