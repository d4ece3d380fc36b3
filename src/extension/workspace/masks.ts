/**
 * Pairing images with their label maps by name, the way datasets are usually laid out:
 * `foo_image.nii.gz` ↔ `foo_label.nii.gz` / `foo_seg` / `foo_mask` / `foo_gt` in the same folder,
 * or `imagesTr/case_001_0000.nii.gz` ↔ `labelsTr/case_001.nii.gz` (nnU-Net). Pure: paths in, paths out.
 */
import * as path from 'node:path';
import { IMAGE_FILE_PATTERN } from '../../engine/imageExtensions';

/** Files the engine reads as images or label maps: the engine's one list. */
export { IMAGE_FILE_PATTERN, IMAGE_FILES_GLOB } from '../../engine/imageExtensions';

/** Extensions of one format, so that a mask in its image's format is preferred. */
const FORMAT_FAMILY: Record<string, string> = {
  nii: 'nifti',
  'nii.gz': 'nifti',
  nhdr: 'nrrd',
  mhd: 'mha',
  dicom: 'dcm',
  ima: 'dcm',
};

const IMAGE_WORDS = new Set(['image', 'images', 'img', 'imgs', 'volume', 'volumes', 'vol', 'scan', 'scans', 'raw']);
const MASK_WORDS = new Set([
  'label',
  'labels',
  'lbl',
  'seg',
  'segs',
  'segmentation',
  'segmentations',
  'mask',
  'masks',
  'gt',
  'groundtruth',
  'truth',
  'annotation',
  'annotations',
  'manual',
]);

/** The file name without its image extension (`.nii.gz` counts as one). */
export function imageStem(file: string): string {
  return path.posix.basename(file.replace(/\\/g, '/')).replace(IMAGE_FILE_PATTERN, '');
}

function extensionFamily(file: string): string {
  const ext = (IMAGE_FILE_PATTERN.exec(file)?.[1] ?? '').toLowerCase();
  return FORMAT_FAMILY[ext] ?? ext;
}

/** Words of a name: split at separators and at lower→upper case changes ("imagesTr" → images, tr). */
function words(name: string): string[] {
  return name
    .split(/[_\-.\s]+|(?<=[a-z])(?=[A-Z])/)
    .map((word) => word.toLowerCase())
    .filter(Boolean);
}

const withoutRoleWords = (list: string[]) => list.filter((word) => !IMAGE_WORDS.has(word) && !MASK_WORDS.has(word));

function parentName(file: string): string {
  return path.posix.basename(path.posix.dirname(file.replace(/\\/g, '/')));
}

/** A file named or filed like a label map (foo_seg.nii.gz, labelsTr/foo.nii.gz). */
export function looksLikeMask(file: string): boolean {
  return [...words(imageStem(file)), ...words(parentName(file))].some((word) => MASK_WORDS.has(word));
}

/** The keys an image may share with its mask: the stem without role words, and without an nnU-Net channel suffix. */
function imageKeys(file: string): string[] {
  const stem = withoutRoleWords(words(imageStem(file)));
  const keys = [stem.join('_')];
  if (stem.length > 1 && /^\d{4}$/.test(stem[stem.length - 1])) keys.push(stem.slice(0, -1).join('_'));
  return keys;
}

const maskKey = (file: string) => withoutRoleWords(words(imageStem(file))).join('_');
const folderKey = (file: string) => withoutRoleWords(words(parentName(file))).join('_');
const folderOf = (file: string) => path.posix.dirname(file.replace(/\\/g, '/'));

/** How well `mask` fits `image`: 0 = not at all; same folder beats a sibling images/labels folder. */
export function maskScore(image: string, mask: string): number {
  if (image === mask || !looksLikeMask(mask) || !imageKeys(image).includes(maskKey(mask))) return 0;
  const sameExtension = extensionFamily(image) === extensionFamily(mask) ? 1 : 0;
  if (folderOf(image) === folderOf(mask)) return 4 + sameExtension;
  const siblingFolders =
    path.posix.dirname(folderOf(image)) === path.posix.dirname(folderOf(mask)) && folderKey(image) === folderKey(mask);
  return siblingFolders ? 2 + sameExtension : 0;
}

/** For each image, the best-fitting mask among `candidates`, or undefined when none fits. */
export function matchMasks(images: readonly string[], candidates: readonly string[]): Array<string | undefined> {
  return images.map((image) => {
    let best: string | undefined;
    let bestScore = 0;
    for (const candidate of [...candidates].sort()) {
      const score = maskScore(image, candidate);
      if (score > bestScore) [best, bestScore] = [candidate, score];
    }
    return best;
  });
}
