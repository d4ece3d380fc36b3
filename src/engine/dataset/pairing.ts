/**
 * Pairing images with masks through a template such as `labels/{id}_seg.nii.gz`:
 * `{id}` = what the first `*` of the images pattern's file-name segment matched (the file name
 * without its image extension when that segment has no `*`), `{name}` = the file name without
 * its image extension, `{dir}` = the image's folder relative to the experiment's folder.
 */
import { basename, dirname, relative, resolve, sep } from 'node:path';
import { MisasInputError } from '../errors';
import { withoutImageExtension } from './glob';

export interface PairingKeys {
  id: string;
  name: string;
  dir: string;
}

const PLACEHOLDER = /\{([^{}]*)\}/g;
const KNOWN = new Set(['id', 'name', 'dir']);

/** Refuses placeholders other than {id}, {name} and {dir}. */
export function checkMaskTemplate(template: string, file: string, jsonPath: string): void {
  const unknown = [...template.matchAll(PLACEHOLDER)]
    .map((match) => match[0])
    .filter((token) => !KNOWN.has(token.slice(1, -1)));
  if (unknown.length > 0) {
    throw new MisasInputError(
      file,
      `${jsonPath}: unknown placeholder${unknown.length > 1 ? 's' : ''} ${unknown.join(', ')} in "${template}"; use {id}, {name} or {dir}`,
    );
  }
}

function toSlashes(path: string): string {
  return sep === '\\' ? path.replaceAll('\\', '/') : path;
}

/** The keys of one image; `firstStar` is the first `*` capture of its file-name segment, if it had one. */
export function pairingKeys(imagePath: string, firstStar: string | undefined, base: string): PairingKeys {
  const name = withoutImageExtension(basename(imagePath));
  return { id: firstStar ?? name, name, dir: toSlashes(relative(base, dirname(imagePath))) || '.' };
}

/** The template with the image's keys filled in (still relative to the experiment's folder). */
export function fillMaskTemplate(template: string, keys: PairingKeys): string {
  return template.replace(PLACEHOLDER, (token, key: string) =>
    KNOWN.has(key) ? keys[key as keyof PairingKeys] : token,
  );
}

/**
 * Whether an absolute path has the shape of a mask the template names for some image: `{id}`
 * and `{name}` stand for any text within a segment, `{dir}` for any folders. Files of that shape
 * are masks, never images (`data/*.nii.gz` with masks `data/{id}_seg.nii.gz`).
 */
export function maskShapeMatcher(template: string, base: string): (path: string) => boolean {
  const marker = (key: string) => `\u0000${key}\u0000`;
  const absolute = toSlashes(
    resolve(
      base,
      template.replace(PLACEHOLDER, (token, key: string) => (KNOWN.has(key) ? marker(key) : token)),
    ),
  );
  const escaped = absolute.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  const source = escaped
    .replaceAll(`/${marker('dir')}`, '(?:/.*)?')
    .replaceAll(marker('dir'), '.*')
    .replaceAll(marker('id'), '[^/]*')
    .replaceAll(marker('name'), '[^/]*');
  const pattern = new RegExp(`^${source}$`, 's');
  return (path) => pattern.test(toSlashes(path));
}
