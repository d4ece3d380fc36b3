/**
 * File globs for dataset inputs: `*` and `?` match within one path segment, `**` matches any
 * number of folders (none included); no braces or character classes. Names starting with a dot
 * are only matched by a segment that starts with a dot too, so `**` never walks into `.misas/`
 * (where runs keep their predictions) or `.git/`.
 */
import { readdirSync, realpathSync, statSync, type Stats } from 'node:fs';
import { join, sep } from 'node:path';
import { realPathOutside } from '../paths';

/** Extensions of the files a folder or a glob yields as images (compared case-insensitively). */
export const IMAGE_EXTENSIONS = ['.nii.gz', '.nii', '.png', '.dcm', '.dicom', '.ima'] as const;

/** The image extension `name` ends with, as written in the name; undefined when it has none. */
export function imageExtensionOf(name: string): string | undefined {
  const lower = name.toLowerCase();
  const extension = IMAGE_EXTENSIONS.find((candidate) => lower.endsWith(candidate) && lower.length > candidate.length);
  return extension && name.slice(name.length - extension.length);
}

/** "a_img.nii.gz" → "a_img". */
export function withoutImageExtension(name: string): string {
  const extension = imageExtensionOf(name);
  return extension ? name.slice(0, name.length - extension.length) : name;
}

export function hasWildcards(text: string): boolean {
  return text.includes('*') || text.includes('?');
}

/** Pattern text split into segments; `\` separates too on Windows. */
export function patternSegments(pattern: string): string[] {
  const separators = sep === '\\' ? /[\\/]+/ : /\/+/;
  return pattern.split(separators);
}

/** One segment with `*` / `?` as a regular expression; each `*` is a capture group. */
export function segmentRegExp(segment: string): RegExp {
  let source = '';
  for (const char of segment) {
    if (char === '*') source += '(.*?)';
    else if (char === '?') source += '.';
    else source += char.replace(/[.+^${}()|[\]\\]/g, '\\$&');
  }
  return new RegExp(`^${source}$`, 's');
}

export interface GlobMatch {
  /** Absolute path of the matched file. */
  path: string;
  /** What each `*` of the pattern's last segment matched, in order. */
  captures: string[];
}

function statOrUndefined(path: string): Stats | undefined {
  try {
    return statSync(path);
  } catch {
    return undefined;
  }
}

function entriesOf(folder: string): string[] {
  try {
    return readdirSync(folder);
  } catch {
    return [];
  }
}

function hiddenFrom(segment: string, name: string): boolean {
  return name.startsWith('.') && !segment.startsWith('.');
}

/** A glob reached a folder that is a symbolic link out of the folder paths must stay in. */
export class GlobOutsideRootError extends Error {
  constructor(
    readonly path: string,
    readonly real: string,
  ) {
    super(`${path} is a symbolic link to ${real}`);
  }
}

/**
 * The files `segments` (relative to the absolute folder `start`) names, sorted by path in byte
 * order. Matching folders are followed through symbolic links; `**` visits each real folder once.
 * With `root`, a folder whose real location is outside it is never walked: GlobOutsideRootError.
 */
export function globFiles(start: string, segments: readonly string[], root?: string): GlobMatch[] {
  const matches = new Map<string, GlobMatch>();
  const last = segments.length - 1;

  const walk = (folder: string, index: number, visited: Set<string>): void => {
    const real = root === undefined ? undefined : realPathOutside(root, folder);
    if (real !== undefined) throw new GlobOutsideRootError(folder, real);
    const segment = segments[index];
    if (segment === '**') {
      // Zero folders, then one more level each time.
      walk(folder, index + 1, visited);
      for (const name of entriesOf(folder).sort()) {
        if (name.startsWith('.')) continue;
        const child = join(folder, name);
        if (!statOrUndefined(child)?.isDirectory()) continue;
        const real = realpathSync(child);
        if (visited.has(real)) continue;
        walk(child, index, new Set(visited).add(real));
      }
      return;
    }
    const names = hasWildcards(segment)
      ? entriesOf(folder).filter((name) => !hiddenFrom(segment, name) && segmentRegExp(segment).test(name))
      : [segment];
    for (const name of names) {
      const path = join(folder, name);
      const stats = statOrUndefined(path);
      if (index === last) {
        if (stats?.isFile()) matches.set(path, { path, captures: captured(segment, name) });
      } else if (stats?.isDirectory()) {
        walk(path, index + 1, visited);
      }
    }
  };

  if (segments.length > 0) walk(start, 0, new Set([realpathOrSelf(start)]));
  return [...matches.values()].sort((a, b) => compareBytes(a.path, b.path));
}

function captured(segment: string, name: string): string[] {
  return segmentRegExp(segment).exec(name)?.slice(1) ?? [];
}

function realpathOrSelf(path: string): string {
  try {
    return realpathSync(path);
  } catch {
    return path;
  }
}

/** Order by UTF-8 bytes: the same on every machine and locale, so shards of a run agree. */
export function compareBytes(a: string, b: string): number {
  return Buffer.compare(Buffer.from(a), Buffer.from(b));
}
