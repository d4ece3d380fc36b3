/**
 * File globs for dataset inputs: `*` and `?` match within one path segment, `**` matches any
 * number of folders (none included); no braces or character classes. Names starting with a dot
 * are only matched by a segment that starts with a dot too, so `**` never walks into `.misas/`
 * (where runs keep their predictions) or `.git/`.
 */
import { readdirSync, realpathSync, statSync, type Dirent, type Stats } from 'node:fs';
import { join, sep } from 'node:path';
import { IMAGE_EXTENSIONS } from '../imageExtensions';
import { realPathOutside } from '../paths';

/** Extensions of the files a folder or a glob yields as images (compared case-insensitively). */
export { IMAGE_EXTENSIONS };

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

function entriesOf(folder: string): Dirent[] {
  try {
    return readdirSync(folder, { withFileTypes: true });
  } catch {
    return [];
  }
}

/**
 * Whether the entry is a folder (or a file), through symbolic links. A plain entry says so itself,
 * which spares a stat per entry; links and entries of unknown type (some file systems) are stat'ed.
 */
function entryIs(folder: string, entry: Dirent, kind: 'directory' | 'file'): boolean {
  if (entry.isFile() || entry.isDirectory()) return kind === 'directory' ? entry.isDirectory() : entry.isFile();
  const stats = statOrUndefined(join(folder, entry.name));
  return kind === 'directory' ? stats?.isDirectory() === true : stats?.isFile() === true;
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

  // One regular expression per wildcard segment, compiled once for the whole walk.
  const patterns = segments.map((segment) => (hasWildcards(segment) ? segmentRegExp(segment) : undefined));

  const walk = (folder: string, index: number, visited: Set<string>): void => {
    const real = root === undefined ? undefined : realPathOutside(root, folder);
    if (real !== undefined) throw new GlobOutsideRootError(folder, real);
    const segment = segments[index];
    if (segment === '**') {
      // Zero folders, then one more level each time.
      walk(folder, index + 1, visited);
      const folders = entriesOf(folder)
        .filter((entry) => !entry.name.startsWith('.') && entryIs(folder, entry, 'directory'))
        .map((entry) => entry.name)
        .sort();
      for (const name of folders) {
        const child = join(folder, name);
        const real = realpathSync.native(child);
        if (visited.has(real)) continue;
        walk(child, index, new Set(visited).add(real));
      }
      return;
    }
    const pattern = patterns[index];
    if (pattern) {
      for (const entry of entriesOf(folder)) {
        if (hiddenFrom(segment, entry.name)) continue;
        const captures = pattern.exec(entry.name)?.slice(1);
        if (captures === undefined) continue;
        const path = join(folder, entry.name);
        if (index === last) {
          if (entryIs(folder, entry, 'file')) matches.set(path, { path, captures });
        } else if (entryIs(folder, entry, 'directory')) {
          walk(path, index + 1, visited);
        }
      }
      return;
    }
    // A literal segment: no listing, one stat.
    const path = join(folder, segment);
    const stats = statOrUndefined(path);
    if (index === last) {
      if (stats?.isFile()) matches.set(path, { path, captures: [] });
    } else if (stats?.isDirectory()) {
      walk(path, index + 1, visited);
    }
  };

  if (segments.length > 0) walk(start, 0, new Set([realpathOrSelf(start)]));
  return [...matches.values()].sort((a, b) => compareBytes(a.path, b.path));
}

function realpathOrSelf(path: string): string {
  try {
    return realpathSync.native(path);
  } catch {
    return path;
  }
}

/** Order by UTF-8 bytes: the same on every machine and locale, so shards of a run agree. */
export function compareBytes(a: string, b: string): number {
  return Buffer.compare(Buffer.from(a), Buffer.from(b));
}
