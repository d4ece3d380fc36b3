import * as assert from 'node:assert/strict';
import { dicomSeriesFolders } from '../../../src/extension/workspace/seriesFolders';

describe('dicomSeriesFolders (the wizard offers a folder of .dcm files as one image)', () => {
  it('lists folders with two or more .dcm files, with their counts; a lone .dcm stays a file', () => {
    const files = [
      '/w/study/t1/IM2.dcm',
      '/w/study/t1/IM1.DCM',
      '/w/study/t1/IM3.dcm',
      '/w/study/t1/notes.nii.gz',
      '/w/single/slice.dcm',
      '/w/study/flair/a.dcm',
      '/w/study/flair/b.dcm',
      '/w/images/a.png',
      '/w/images/b.png',
    ];
    assert.deepEqual(dicomSeriesFolders(files), [
      { folder: '/w/study/flair', files: 2 },
      { folder: '/w/study/t1', files: 3 },
    ]);
  });

  it('nothing when there are no DICOM files', () => {
    assert.deepEqual(dicomSeriesFolders(['/w/a.nii.gz', '/w/b.nii.gz']), []);
  });
});
