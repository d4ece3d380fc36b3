/** Small real datasets for the dataset tests: bundled Colin27 files copied into a temporary folder. */
import * as assert from 'node:assert/strict';
import { copyFileSync, mkdirSync, mkdtempSync, realpathSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { MisasInputError } from '../../../src/engine/errors';

const REPO = join(import.meta.dirname, '..', '..', '..');

/** Bundled real files: five Colin27 slices with labels (NIfTI and PNG), a 3D crop, a DICOM slice. */
export const SOURCES = {
  image: join(REPO, 'examples', 'colin27', 'data', 'colin27_z065_image.nii.gz'),
  label: join(REPO, 'examples', 'colin27', 'data', 'colin27_z065_label.nii.gz'),
  image2: join(REPO, 'examples', 'colin27', 'data', 'colin27_z085_image.nii.gz'),
  label2: join(REPO, 'examples', 'colin27', 'data', 'colin27_z085_label.nii.gz'),
  png: join(REPO, 'examples', 'colin27', 'data', 'colin27_z065_image.png'),
  pngLabel: join(REPO, 'examples', 'colin27', 'data', 'colin27_z065_label.png'),
  volume: join(REPO, 'test', 'data', 'colin27', 'ch2bet_crop40x48x10.nii.gz'),
  dicom: join(REPO, 'test', 'data', 'colin27', 'ch2bet_z68.dcm'),
} as const;

export interface TempTree {
  /** The temporary folder (real path, so it compares equal to resolved paths). */
  root: string;
  path: (relative: string) => string;
  /** Copies a bundled file to `relative` (folders are created). */
  copy: (relative: string, source: string) => string;
  write: (relative: string, content: string | Uint8Array) => string;
  cleanup: () => void;
}

export function tempTree(): TempTree {
  const root = realpathSync(mkdtempSync(join(tmpdir(), 'misas-dataset-')));
  const path = (relative: string) => join(root, relative);
  const ensureFolder = (relative: string) => mkdirSync(dirname(path(relative)), { recursive: true });
  return {
    root,
    path,
    copy: (relative, source) => {
      ensureFolder(relative);
      copyFileSync(source, path(relative));
      return path(relative);
    },
    write: (relative, content) => {
      ensureFolder(relative);
      writeFileSync(path(relative), content);
      return path(relative);
    },
    cleanup: () => rmSync(root, { recursive: true, force: true }),
  };
}

/** Runs `action`, expects a MisasInputError for `file`, and returns its problem text. */
export function problemOf(action: () => unknown, file: string): string {
  try {
    action();
  } catch (thrown) {
    assert.ok(thrown instanceof MisasInputError, `expected MisasInputError, got ${String(thrown)}`);
    assert.equal(thrown.file, file);
    assert.ok(thrown.message.startsWith(`${file}: `), thrown.message);
    return thrown.problem;
  }
  assert.fail('expected a MisasInputError');
}
