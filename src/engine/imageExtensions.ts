/**
 * The file extensions misas reads as images and label maps: one list for the engine (dataset
 * globs, folders) and the extension (file pickers, the wizard, mask pairing), which may import
 * this file because it is only data. NRRD and MetaImage count by their headers (.nhdr, .mhd),
 * never by their .raw data files.
 */
export const IMAGE_EXTENSIONS = [
  '.nii.gz',
  '.nii',
  '.nrrd',
  '.nhdr',
  '.mha',
  '.mhd',
  '.png',
  '.dcm',
  '.dicom',
  '.ima',
] as const;

const escaped = IMAGE_EXTENSIONS.map((extension) => extension.slice(1).replace(/\./g, '\\.'));

/** A path that ends in one of IMAGE_EXTENSIONS (case-insensitive). */
export const IMAGE_FILE_PATTERN = new RegExp(`\\.(${escaped.join('|')})$`, 'i');

/** A VS Code findFiles glob for IMAGE_EXTENSIONS in lower and upper case (globs there are case-sensitive). */
export const IMAGE_FILES_GLOB = `**/*.{${IMAGE_EXTENSIONS.flatMap((extension) => [extension.slice(1), extension.slice(1).toUpperCase()]).join(',')}}`;
