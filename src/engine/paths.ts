/**
 * Paths in experiment files: relative to the file, and never outside the folder that bounds them.
 * The one place that bounds every path the engine opens or writes (models, images, masks, glob
 * matches and the folders globs walk, manifests and their rows, run folders, the panel's frames):
 * first as written, then where it really is, after symbolic links (so a link inside the
 * workspace to a file outside it is refused too).
 */
import { realpathSync } from 'node:fs';
import { basename, dirname, isAbsolute, join, relative, resolve } from 'node:path';
import { MisasInputError } from './errors';

function outside(root: string, path: string): boolean {
  const fromRoot = relative(root, path);
  return fromRoot === '..' || fromRoot.startsWith(`..${'/'}`) || fromRoot.startsWith('..\\') || isAbsolute(fromRoot);
}

/**
 * Where `path` really is: symbolic links resolved in every part that exists; the parts that do
 * not exist yet (a run folder about to be made) are appended as written.
 */
export function realLocation(path: string): string {
  const missing: string[] = [];
  let current = path;
  for (;;) {
    try {
      return join(realpathSync.native(current), ...missing);
    } catch {
      const parent = dirname(current);
      if (parent === current) return path;
      missing.unshift(basename(current));
      current = parent;
    }
  }
}

/** The real location of `path` when it lies outside the real `root`; undefined when inside. */
export function realPathOutside(root: string, path: string): string | undefined {
  const real = realLocation(path);
  return outside(realLocation(root), real) ? real : undefined;
}

const HOW_TO_WIDEN =
  "paths must stay inside the workspace (on the command line: the experiment's folder, or --root DIR)";

/** Resolves `path` against `base` and refuses results outside `root`, as written or through a symbolic link. */
export function resolveInside(root: string, base: string, path: string, file: string, jsonPathOfValue: string): string {
  const absolute = resolve(base, path);
  if (outside(root, absolute)) {
    throw new MisasInputError(file, `${jsonPathOfValue}: "${path}" points outside ${root}; ${HOW_TO_WIDEN}`);
  }
  const real = realPathOutside(root, absolute);
  if (real !== undefined) {
    throw new MisasInputError(
      file,
      `${jsonPathOfValue}: "${path}" is or passes through a symbolic link to ${real}, outside ${root}; ${HOW_TO_WIDEN}`,
    );
  }
  return absolute;
}

/**
 * A file that a header names (the data file of a .nhdr or .mhd), resolved against the header's
 * folder and refused outside that folder, as written or through a symbolic link. The header was
 * bounded like every input, so its data file is bounded too, without the reader knowing the
 * workspace; both are written side by side by the tools that make them (ITK, teem, Slicer).
 */
export function resolveBesideHeader(header: string, named: string, what: string): string {
  const folder = dirname(header);
  const path = resolve(folder, named);
  const keepIt = 'keep the data file in the header’s folder (or a folder below it)';
  if (outside(folder, path)) {
    throw new MisasInputError(header, `${what} "${named}" lies outside the header's folder ${folder}; ${keepIt}`);
  }
  const real = realPathOutside(folder, path);
  if (real !== undefined) {
    throw new MisasInputError(
      header,
      `${what} "${named}" is or passes through a symbolic link to ${real}, outside the header's folder ${folder}; ${keepIt}`,
    );
  }
  return path;
}
