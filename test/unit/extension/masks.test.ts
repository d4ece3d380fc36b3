/** The wizard's image list and mask matching by name (pure: paths in, paths out) for NRRD and MetaImage. */
import * as assert from 'node:assert/strict';
import { IMAGE_FILE_PATTERN, imageStem, matchMasks } from '../../../src/extension/workspace/masks';

describe('mask matching for NRRD and MetaImage files', () => {
  it('lists headers as images, never their data files', () => {
    const files = ['a.nrrd', 'b.NHDR', 'b.raw', 'c.mha', 'd.mhd', 'd.zraw', 'e.raw.gz', 'f.nii.gz'];
    assert.deepEqual(
      files.filter((file) => IMAGE_FILE_PATTERN.test(file)),
      ['a.nrrd', 'b.NHDR', 'c.mha', 'd.mhd', 'f.nii.gz'],
    );
    assert.equal(imageStem('data/case1_img.nhdr'), 'case1_img');
  });

  it('pairs by name, preferring a mask in the image’s own format (.nhdr with .nrrd, .mhd with .mha)', () => {
    const matched = matchMasks(
      ['d/case1_img.nhdr', 'd/case2.mhd', 'd/case3.nii.gz'],
      ['d/case1_seg.nii.gz', 'd/case1_seg.nrrd', 'd/case2_label.nii', 'd/case2_label.mha', 'd/case3_seg.mhd'],
    );
    assert.deepEqual(matched, ['d/case1_seg.nrrd', 'd/case2_label.mha', 'd/case3_seg.mhd']);
  });
});
