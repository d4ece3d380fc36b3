import * as assert from 'node:assert/strict';
import { mkdirSync, symlinkSync } from 'node:fs';
import { globFiles, imageExtensionOf, segmentRegExp, withoutImageExtension } from '../../../src/engine/dataset/glob';
import { fillMaskTemplate, maskShapeMatcher, pairingKeys } from '../../../src/engine/dataset/pairing';
import { SOURCES, tempTree, type TempTree } from './fixtures';

describe('dataset globs', () => {
  it('turns a segment into a pattern: * captures within the segment, ? is one character, the rest is literal', () => {
    assert.deepEqual(segmentRegExp('*_img.nii.gz').exec('case_1_img.nii.gz')?.slice(1), ['case_1']);
    assert.deepEqual(
      segmentRegExp('*_*.png').exec('a_b_c.png')?.slice(1),
      ['a', 'b_c'],
      'the first * takes the shortest text',
    );
    assert.ok(segmentRegExp('a?.png').test('ab.png'));
    assert.ok(!segmentRegExp('a?.png').test('a.png'));
    assert.ok(!segmentRegExp('a.png').test('aXpng'), 'a dot is literal');
    assert.ok(segmentRegExp('(x)[1]+.png').test('(x)[1]+.png'), 'regex characters are literal');
  });

  it('knows image extensions, case-insensitively, longest first', () => {
    assert.equal(imageExtensionOf('a.nii.gz'), '.nii.gz');
    assert.equal(imageExtensionOf('A.NII.GZ'), '.NII.GZ');
    assert.equal(imageExtensionOf('a.nii'), '.nii');
    assert.equal(imageExtensionOf('scan.IMA'), '.IMA');
    assert.equal(imageExtensionOf('a.gz'), undefined);
    assert.equal(imageExtensionOf('.png'), undefined, 'a name that is only an extension is not an image');
    assert.equal(withoutImageExtension('case.7.nii.gz'), 'case.7');
  });

  describe('on files', () => {
    let tree: TempTree;
    beforeEach(() => (tree = tempTree()));
    afterEach(() => tree.cleanup());

    it('walks ** through a symbolic-link loop once', () => {
      tree.copy('a/x.png', SOURCES.png);
      mkdirSync(tree.path('a/b'));
      symlinkSync(tree.path('a'), tree.path('a/b/loop'));
      const paths = globFiles(tree.root, ['**', '*.png']).map((match) => match.path);
      assert.deepEqual(paths, [tree.path('a/x.png')]);
    });

    it('matches dot files only with a dot pattern', () => {
      tree.copy('.x.png', SOURCES.png);
      tree.copy('y.png', SOURCES.png);
      assert.deepEqual(
        globFiles(tree.root, ['*.png']).map((m) => m.path),
        [tree.path('y.png')],
      );
      assert.deepEqual(
        globFiles(tree.root, ['.*.png']).map((m) => m.path),
        [tree.path('.x.png')],
      );
    });

    it('gives pairing keys and recognises mask-shaped paths', () => {
      const image = tree.path('cases/p1/t1_img.nii.gz');
      const keys = pairingKeys(image, 't1', tree.root);
      assert.deepEqual(keys, { id: 't1', name: 't1_img', dir: 'cases/p1' });
      assert.equal(fillMaskTemplate('{dir}/{id}-{name}.png', keys), 'cases/p1/t1-t1_img.png');
      assert.deepEqual(pairingKeys(tree.path('x.png'), undefined, tree.root), { id: 'x', name: 'x', dir: '.' });
      const isMask = maskShapeMatcher('{dir}/{id}_seg.nii.gz', tree.root);
      assert.ok(isMask(tree.path('cases/p1/t1_seg.nii.gz')));
      assert.ok(isMask(tree.path('t1_seg.nii.gz')), '{dir} may be the experiment folder itself');
      assert.ok(!isMask(tree.path('cases/p1/t1_img.nii.gz')));
      assert.ok(
        !maskShapeMatcher('labels/{id}.nii.gz', tree.root)(tree.path('labels/sub/x.nii.gz')),
        '{id} stays within a segment',
      );
    });
  });
});
