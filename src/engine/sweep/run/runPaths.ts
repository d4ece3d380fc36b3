/**
 * Where runs live on disk: `<experiment folder>/.misas/runs/<safe experiment name>/<timestamp>/`.
 * Kept apart from execute.ts so the extension host can find run folders without bundling the
 * runner (and everything it imports).
 */
import { createHash } from 'node:crypto';
import { dirname, join } from 'node:path';
import { DEFAULT_RUNS_FOLDER } from '../../defaults';
import { timestampFolderName } from '../../report/files';
import type { ResolvedExperiment } from '../experiment/types';

/**
 * A name that is safe as one path segment on every platform. Letters and digits of any script
 * are kept (NFC, so the same name typed on macOS and Linux gives one folder); other characters
 * become `_`. A name with no letter or digit left (e.g. only punctuation) gets a short hash of
 * the name, so different names never share a folder by becoming the same run of `_`.
 */
export function safeSegment(name: string): string {
  const normalized = name.normalize('NFC');
  const kept = normalized.replace(/[^\p{L}\p{M}\p{N}_.-]+/gu, '_').replace(/^\.+/, '_');
  // At most 100 characters and 200 bytes of UTF-8 (file systems limit a name to 255 bytes).
  let short = '';
  for (const char of Array.from(kept).slice(0, 100)) {
    if (Buffer.byteLength(short + char) > 200) break;
    short += char;
  }
  if (/[\p{L}\p{N}]/u.test(short)) return short;
  if (normalized.trim() === '') return 'experiment';
  return `${short.slice(0, 40)}${short.endsWith('_') ? '' : '_'}${createHash('sha256').update(normalized).digest('hex').slice(0, 8)}`;
}

export function defaultRunDir(experiment: ResolvedExperiment, date: Date): string {
  return join(
    dirname(experiment.file),
    DEFAULT_RUNS_FOLDER,
    safeSegment(experiment.experiment.name),
    timestampFolderName(date),
  );
}
