/** Paths in experiment files: relative to the file, and never outside the folder that bounds them. */
import { isAbsolute, relative, resolve } from 'node:path';
import { MisasInputError } from './errors';

/** Resolves `path` against `base` and refuses results outside `root`. */
export function resolveInside(root: string, base: string, path: string, file: string, jsonPathOfValue: string): string {
  const absolute = resolve(base, path);
  const fromRoot = relative(root, absolute);
  if (fromRoot.startsWith('..') || isAbsolute(fromRoot)) {
    throw new MisasInputError(file, `${jsonPathOfValue}: "${path}" points outside ${root}; paths must stay inside the workspace (on the command line: the experiment's folder, or --root DIR)`);
  }
  return absolute;
}
