import * as assert from 'node:assert/strict';
import { mkdirSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { expandInputs, type ExpandOptions } from '../../../src/engine/dataset';
import { checkSameGrid, readImage, readLabelMap } from '../../../src/engine/io';
import { SOURCES, problemOf, tempTree, type TempTree } from './fixtures';

describe('dataset expansion (expandInputs)', () => {
  let tree: TempTree;
  let options: ExpandOptions;
  const expand = (spec: unknown, extra: Partial<ExpandOptions> = {}) => expandInputs(spec, { ...options, ...extra });
  const images = (spec: unknown, extra: Partial<ExpandOptions> = {}) =>
    expand(spec, extra).inputs.map((input) => input.image);

  beforeEach(() => {
    tree = tempTree();
    options = { file: tree.path('study.misas.json'), base: tree.root, root: tree.root, missingMasks: 'skip' };
  });
  afterEach(() => tree.cleanup());

  describe('globs and folders', () => {
    describe('DICOM series', () => {
      const SERIES = join(import.meta.dirname, '..', '..', 'data', 'dicom-series');
      /** The oblique series' files under `folder` (with `rename` applied to their names), and those of `extra` series. */
      const copySeries = (folder: string, name = 'oblique', rename = (file: string) => file) => {
        for (const file of readdirSync(join(SERIES, name)))
          tree.copy(`${folder}/${rename(file)}`, join(SERIES, name, file));
      };

      it('a glob of one series’ files is one input, the glob its image (also extensionless files: IM*)', () => {
        copySeries('study/s3', 'oblique', (file) => `IM${file.replace('.dcm', '')}`);
        assert.deepEqual(expand('study/s3/IM*').inputs, [{ image: tree.path('study/s3/IM*') }]);
        assert.deepEqual(expand('study/**/IM*').inputs, [{ image: tree.path('study/**/IM*') }]);
        assert.deepEqual(expand('study/s3/').inputs, [{ image: tree.path('study/s3') }]);
        assert.deepEqual(expand({ images: 'study/**', frame: 0 }).inputs, [
          { image: tree.path('study/**/*'), frame: 0 },
        ]);
      });

      it('files of several series are refused with the list; a "masks" pattern points to an entry', () => {
        copySeries('study/two', 'two-series');
        assert.match(
          problemOf(() => expand('study/two/*'), options.file),
          /"study\/two\/\*" matches the files of 2 DICOM series of several slices \(.*series 1 "colin27 crop": 10 file\(s\), e\.g\. study\/two\/\S+; .*series 2 "localizer": 3 file\(s\).*\); a series is one input: give each series as an entry/,
        );
        copySeries('study/one');
        assert.match(
          problemOf(() => expand({ images: 'study/one/*', masks: 'masks/{name}.nii.gz' }), options.file),
          /matches the 10 files of one DICOM series, one input: give it as an entry \{ "image": "study\/one\/\*", "mask": "<its mask file>" \}/,
        );
      });

      it('2D DICOM files that are each their own series stay one input each', () => {
        tree.copy('xr/a.dcm', SOURCES.dicom);
        tree.copy('xr/b.dcm', join(import.meta.dirname, '..', '..', 'data', 'dicom', 'explicit_le_uint8.dcm'));
        assert.deepEqual(images('xr/*.dcm'), [tree.path('xr/a.dcm'), tree.path('xr/b.dcm')]);
      });
    });

    it('expands * within one segment, sorted by path, without masks', () => {
      tree.copy('data/b_img.nii.gz', SOURCES.image2);
      tree.copy('data/a_img.nii.gz', SOURCES.image);
      tree.copy('data/a_seg.nii.gz', SOURCES.label);
      tree.copy('data/sub/c_img.nii.gz', SOURCES.image);
      const result = expand('data/*_img.nii.gz');
      assert.deepEqual(result.inputs, [
        { image: tree.path('data/a_img.nii.gz') },
        { image: tree.path('data/b_img.nii.gz') },
      ]);
      assert.deepEqual(result.problems, []);
    });

    it('a folder yields NRRD and MetaImage headers as images, never their .raw data files', () => {
      tree.write('data/a.nhdr', 'x');
      tree.write('data/a.raw', 'x');
      tree.write('data/b.mhd', 'x');
      tree.write('data/b.zraw', 'x');
      tree.write('data/c.MHA', 'x');
      tree.write('data/d.nrrd', 'x');
      assert.deepEqual(images('data'), ['data/a.nhdr', 'data/b.mhd', 'data/c.MHA', 'data/d.nrrd'].map(tree.path));
    });

    it('matches ? as exactly one character', () => {
      tree.copy('data/a_img.nii.gz', SOURCES.image);
      tree.copy('data/ab_img.nii.gz', SOURCES.image);
      tree.copy('data/_img.nii.gz', SOURCES.image);
      assert.deepEqual(images('data/?_img.nii.gz'), [tree.path('data/a_img.nii.gz')]);
      assert.deepEqual(images('data/??_img.nii.gz'), [tree.path('data/ab_img.nii.gz')]);
    });

    it('matches ** as any number of folders, including none, and skips hidden folders', () => {
      tree.copy('cases/top.png', SOURCES.png);
      tree.copy('cases/p1/slice.png', SOURCES.png);
      tree.copy('cases/p2/deep/er/slice.png', SOURCES.png);
      tree.copy('cases/.misas/runs/x/prediction.png', SOURCES.png);
      tree.copy('cases/p1/notes.png.txt', SOURCES.png);
      assert.deepEqual(images('cases/**/*.png'), [
        tree.path('cases/p1/slice.png'),
        tree.path('cases/p2/deep/er/slice.png'),
        tree.path('cases/top.png'),
      ]);
      assert.deepEqual(images('**/slice.png'), [
        tree.path('cases/p1/slice.png'),
        tree.path('cases/p2/deep/er/slice.png'),
      ]);
      assert.deepEqual(images('cases/**'), images('cases/**/*.png'), 'a trailing ** means every image file below');
    });

    it('takes a folder (with or without a trailing slash) as every image file directly in it', () => {
      tree.copy('data/a.nii.gz', SOURCES.image);
      tree.copy('data/b.png', SOURCES.png);
      tree.copy('data/c.dcm', SOURCES.dicom);
      tree.copy('data/nested/d.nii.gz', SOURCES.image);
      tree.write('data/README.txt', 'not an image');
      tree.write('data/.hidden.nii.gz', 'hidden');
      const expected = ['data/a.nii.gz', 'data/b.png', 'data/c.dcm'].map(tree.path);
      assert.deepEqual(images('data'), expected);
      assert.deepEqual(images('data/'), expected);
      assert.deepEqual(images('./data/../data'), expected);
    });

    it('filters glob matches to image files and takes a single named file as it is', () => {
      tree.copy('data/a.nii.gz', SOURCES.image);
      tree.write('data/a.json', '{}');
      assert.deepEqual(images('data/a*'), [tree.path('data/a.nii.gz')]);
      assert.deepEqual(images('data/a.nii.gz'), [tree.path('data/a.nii.gz')]);
    });

    it('sorts by path in byte order, the same on every machine', () => {
      for (const name of ['a', 'B', '_', 'Z', 'é', '10', '9']) tree.copy(`data/${name}.png`, SOURCES.png);
      tree.copy('data/a/x.png', SOURCES.png);
      // Byte order: digits < upper case < "_" < lower case < UTF-8 multi-byte; "a.png" < "a/x.png" ('.' 0x2E < '/' 0x2F).
      const expected = ['10.png', '9.png', 'B.png', 'Z.png', '_.png', 'a.png', 'a/x.png', 'é.png'].map((name) =>
        tree.path(`data/${name}`),
      );
      assert.deepEqual(images('data/**/*.png'), expected);
      assert.deepEqual(images('data/**/*.png'), expected, 'the same order again');
    });

    it('refuses a pattern that matches no images, saying so', () => {
      tree.copy('data/a.nii.gz', SOURCES.image);
      tree.write('data/notes.txt', 'x');
      mkdirSync(tree.path('empty'));
      assert.match(
        problemOf(() => expand('data/*.dcm'), options.file),
        /^\$\.inputs: "data\/\*\.dcm" matched no images \(no files match\)$/,
      );
      assert.match(
        problemOf(() => expand('data/*.txt'), options.file),
        /^\$\.inputs: "data\/\*\.txt" matched no images \(1 file matches, none of them \.nii\.gz/,
      );
      assert.match(
        problemOf(() => expand('empty/'), options.file),
        /"empty\/" matched no images \(no \.nii\.gz, \.nii, \.nrrd, \.nhdr, \.mha, \.mhd, \.png, \.dcm, \.dicom, \.ima files there\)/,
      );
      assert.match(
        problemOf(() => expand('nothing/x.nii.gz'), options.file),
        /"nothing\/x\.nii\.gz" matched no images \(no such file or folder\)/,
      );
      assert.match(
        problemOf(() => expand({ images: 'missing/*.png' }), options.file),
        /^\$\.inputs\.images: "missing\/\*\.png" matched no images/,
      );
    });
  });

  describe('pairing masks', () => {
    it('pairs {id} (what the first * matched) and loads as real image/mask pairs on one grid', async () => {
      tree.copy('data/a_img.nii.gz', SOURCES.image);
      tree.copy('data/a_seg.nii.gz', SOURCES.label);
      tree.copy('data/b_img.nii.gz', SOURCES.image2);
      tree.copy('data/b_seg.nii.gz', SOURCES.label2);
      const result = expand({
        images: 'data/*_img.nii.gz',
        masks: 'data/{id}_seg.nii.gz',
        group: 'colin',
        slices: [0],
      });
      assert.deepEqual(result.inputs, [
        { image: tree.path('data/a_img.nii.gz'), mask: tree.path('data/a_seg.nii.gz'), group: 'colin', slices: [0] },
        { image: tree.path('data/b_img.nii.gz'), mask: tree.path('data/b_seg.nii.gz'), group: 'colin', slices: [0] },
      ]);
      for (const input of result.inputs) {
        checkSameGrid(await readImage(input.image), input.image, await readLabelMap(input.mask!), input.mask!);
      }
    });

    it('pairs {name} (file name without its image extension) across folders and formats', () => {
      tree.copy('images/x.png', SOURCES.png);
      tree.copy('images/y.nii.gz', SOURCES.image);
      tree.copy('labels/x.png', SOURCES.pngLabel);
      tree.copy('labels/y.nii.gz', SOURCES.label);
      const result = expand({ images: 'images/', masks: 'labels/{name}.png' }, { missingMasks: 'pseudo-truth' });
      assert.deepEqual(result.inputs, [
        { image: tree.path('images/x.png'), mask: tree.path('labels/x.png') },
        { image: tree.path('images/y.nii.gz') },
      ]);
      assert.equal(result.problems.length, 1);
    });

    it('pairs {dir} (the image folder relative to the experiment) and falls back to the file name for {id} without a *', () => {
      tree.copy('cases/p1/image.nii.gz', SOURCES.image);
      tree.copy('cases/p1/label.nii.gz', SOURCES.label);
      tree.copy('cases/p2/image.nii.gz', SOURCES.image2);
      tree.copy('cases/p2/label.nii.gz', SOURCES.label2);
      const byDir = expand({ images: 'cases/*/image.nii.gz', masks: '{dir}/label.nii.gz' });
      assert.deepEqual(byDir.inputs, [
        { image: tree.path('cases/p1/image.nii.gz'), mask: tree.path('cases/p1/label.nii.gz') },
        { image: tree.path('cases/p2/image.nii.gz'), mask: tree.path('cases/p2/label.nii.gz') },
      ]);
      tree.copy('cases/p1/image_mask.nii.gz', SOURCES.label);
      const byId = expand({ images: 'cases/p1/image.nii.gz', masks: 'cases/p1/{id}_mask.nii.gz' });
      assert.deepEqual(byId.inputs, [
        { image: tree.path('cases/p1/image.nii.gz'), mask: tree.path('cases/p1/image_mask.nii.gz') },
      ]);
    });

    it('does not take files of the masks pattern as images', () => {
      tree.copy('data/a.nii.gz', SOURCES.image);
      tree.copy('data/a_seg.nii.gz', SOURCES.label);
      tree.copy('data/b.nii.gz', SOURCES.image2);
      tree.copy('data/b_seg.nii.gz', SOURCES.label2);
      tree.copy('data/orphan_seg.nii.gz', SOURCES.label);
      const result = expand({ images: 'data/*.nii.gz', masks: 'data/{id}_seg.nii.gz' });
      assert.deepEqual(result.inputs, [
        { image: tree.path('data/a.nii.gz'), mask: tree.path('data/a_seg.nii.gz') },
        { image: tree.path('data/b.nii.gz'), mask: tree.path('data/b_seg.nii.gz') },
      ]);
      assert.deepEqual(result.problems, [], 'orphan_seg is a mask without an image, not an image without a mask');
      assert.match(
        problemOf(() => expand({ images: 'data/*_seg.nii.gz', masks: 'data/{name}.nii.gz' }), options.file),
        /matched no images: all 3 files it matched are masks/,
      );
    });

    it('skips an image whose mask is missing by default, and lists it as a problem', () => {
      tree.copy('data/a_img.nii.gz', SOURCES.image);
      tree.copy('data/a_seg.nii.gz', SOURCES.label);
      tree.copy('data/b_img.nii.gz', SOURCES.image2);
      const result = expand({ images: 'data/*_img.nii.gz', masks: 'data/{id}_seg.nii.gz' });
      assert.deepEqual(result.inputs, [
        { image: tree.path('data/a_img.nii.gz'), mask: tree.path('data/a_seg.nii.gz') },
      ]);
      assert.deepEqual(result.problems, [
        {
          file: tree.path('data/b_img.nii.gz'),
          problem:
            'the pattern $.inputs.masks "data/{id}_seg.nii.gz" names the mask data/b_seg.nii.gz, which does not exist',
          action: 'skipped',
        },
      ]);
    });

    it('keeps an image whose mask is missing as pseudo-truth when asked, pointing at its input', () => {
      tree.copy('data/a_img.nii.gz', SOURCES.image);
      tree.copy('data/b_img.nii.gz', SOURCES.image2);
      tree.copy('data/b_seg.nii.gz', SOURCES.label2);
      const result = expand(
        { images: 'data/*_img.nii.gz', masks: 'data/{id}_seg.nii.gz' },
        { missingMasks: 'pseudo-truth' },
      );
      assert.deepEqual(result.inputs, [
        { image: tree.path('data/a_img.nii.gz') },
        { image: tree.path('data/b_img.nii.gz'), mask: tree.path('data/b_seg.nii.gz') },
      ]);
      assert.equal(result.problems.length, 1);
      assert.equal(result.problems[0].file, tree.path('data/a_img.nii.gz'));
      assert.equal(result.problems[0].action, 'pseudo-truth');
      assert.equal(result.problems[0].input, 0);
      assert.match(result.problems[0].problem, /names the mask data\/a_seg\.nii\.gz, which does not exist/);
    });

    it('refuses to run when every image was skipped, naming the way out', () => {
      tree.copy('data/a_img.nii.gz', SOURCES.image);
      const problem = problemOf(
        () => expand({ images: 'data/*_img.nii.gz', masks: 'labels/{id}.nii.gz' }),
        options.file,
      );
      assert.match(
        problem,
        /^\$\.inputs: no inputs left: all 1 image were skipped because their masks do not exist \(set "missingMasks": "pseudo-truth"/,
      );
    });

    it('refuses unknown placeholders and keys', () => {
      tree.copy('data/a.png', SOURCES.png);
      assert.match(
        problemOf(() => expand({ images: 'data/*.png', masks: 'labels/{stem}.png' }), options.file),
        /^\$\.inputs\.masks: unknown placeholder \{stem\} in "labels\/\{stem\}\.png"; use \{id\}, \{name\} or \{dir\}$/,
      );
      assert.match(
        problemOf(() => expand({ images: 'data/*.png', mask: 'x' }), options.file),
        /^\$\.inputs: unknown key "mask" \(allowed: images, masks, slices, group, frame\)$/,
      );
      assert.match(
        problemOf(() => expand(42), options.file),
        /^\$\.inputs: give a list/,
      );
    });
  });

  describe('manifests', () => {
    it('reads image, mask and group relative to the CSV folder, keeping its row order', () => {
      tree.copy('data/z.nii.gz', SOURCES.image);
      tree.copy('data/z_seg.nii.gz', SOURCES.label);
      tree.copy('data/a, b.png', SOURCES.png);
      tree.copy('data/y.nii.gz', SOURCES.image2);
      tree.write(
        'lists/set.csv',
        '\uFEFFimage,mask,group\r\n../data/z.nii.gz,../data/z_seg.nii.gz,"site ""A"""\r\n"../data/a, b.png",,B\r\n../data/y.nii.gz,,\r\n',
      );
      const result = expand({ manifest: 'lists/set.csv' });
      assert.deepEqual(result.inputs, [
        { image: tree.path('data/z.nii.gz'), mask: tree.path('data/z_seg.nii.gz'), group: 'site "A"' },
        { image: tree.path('data/a, b.png'), group: 'B' },
        { image: tree.path('data/y.nii.gz') },
      ]);
      assert.deepEqual(result.problems, [], 'an empty mask cell is pseudo-truth by intent, not a problem');
    });

    it('applies the missing-mask policy to masks the manifest names', () => {
      tree.copy('data/a.nii.gz', SOURCES.image);
      tree.copy('data/b.nii.gz', SOURCES.image2);
      tree.write('set.csv', 'mask,image\ndata/gone.nii.gz,data/a.nii.gz\n,data/b.nii.gz\n');
      const skipped = expand({ manifest: 'set.csv' });
      assert.deepEqual(skipped.inputs, [{ image: tree.path('data/b.nii.gz') }]);
      assert.deepEqual(skipped.problems, [
        {
          file: tree.path('data/a.nii.gz'),
          problem: 'set.csv line 2 names the mask data/gone.nii.gz, which does not exist',
          action: 'skipped',
        },
      ]);
      const kept = expand({ manifest: 'set.csv' }, { missingMasks: 'pseudo-truth' });
      assert.deepEqual(kept.inputs, [{ image: tree.path('data/a.nii.gz') }, { image: tree.path('data/b.nii.gz') }]);
      assert.deepEqual(
        kept.problems.map((p) => [p.action, p.input]),
        [['pseudo-truth', 0]],
      );
    });

    it('refuses a manifest without an image column, with unknown columns, or naming missing images', () => {
      tree.copy('data/a.nii.gz', SOURCES.image);
      const csv = tree.write('no-image.csv', 'mask,group\nx.nii.gz,A\n');
      assert.match(
        problemOf(() => expand({ manifest: 'no-image.csv' }), csv),
        /^line 1: no "image" column/,
      );
      const unknown = tree.write('unknown.csv', 'image,label,site\ndata/a.nii.gz,x,y\n');
      assert.match(
        problemOf(() => expand({ manifest: 'unknown.csv' }), unknown),
        /^line 1: unknown columns "label", "site"; the columns are image \(required\), mask and group$/,
      );
      const missing = tree.write('missing.csv', 'image\ndata/a.nii.gz\ndata/nope.nii.gz\n');
      assert.match(
        problemOf(() => expand({ manifest: 'missing.csv' }), missing),
        /^line 3, column "image": "data\/nope\.nii\.gz" does not exist$/,
      );
      assert.match(
        problemOf(() => expand({ manifest: 'absent.csv' }), options.file),
        /^\$\.inputs\.manifest: "absent\.csv" does not exist$/,
      );
    });
  });

  describe('paths stay inside the root', () => {
    beforeEach(() => {
      tree.copy('outside/a.nii.gz', SOURCES.image);
      tree.copy('project/data/a.nii.gz', SOURCES.image);
      options = {
        ...options,
        file: tree.path('project/study.misas.json'),
        base: tree.path('project'),
        root: tree.path('project'),
      };
    });

    it('refuses globs, folders and mask patterns that leave the root, naming the JSON path', () => {
      const outside = (spec: unknown) => problemOf(() => expand(spec), options.file);
      assert.match(
        outside('../outside/*.nii.gz'),
        /^\$\.inputs: "\.\.\/outside\/\*\.nii\.gz" points outside .*project; paths must stay inside the workspace \(on the command line: the experiment.s folder, or --root DIR\)$/,
      );
      assert.match(outside({ images: '../outside/' }), /^\$\.inputs\.images: "\.\.\/outside\/" points outside/);
      assert.match(
        outside({ images: 'data/*.nii.gz', masks: '../outside/{id}.nii.gz' }),
        /^\$\.inputs\.masks: "\.\.\/outside\/a\.nii\.gz" points outside/,
      );
      assert.match(
        outside([{ image: 'data/a.nii.gz' }, { image: 'data/a.nii.gz', mask: '../outside/a.nii.gz' }]),
        /^\$\.inputs\[1\]\.mask: "\.\.\/outside\/a\.nii\.gz" points outside/,
      );
      assert.match(
        outside({ manifest: '../outside.csv' }),
        /^\$\.inputs\.manifest: "\.\.\/outside\.csv" points outside/,
      );
    });

    it('refuses manifest rows that leave the root, naming the line and column', () => {
      const csv = tree.write('project/set.csv', 'image,mask\ndata/a.nii.gz,../outside/a.nii.gz\n');
      assert.match(
        problemOf(() => expand({ manifest: 'set.csv' }), csv),
        /^line 2, column "mask": "\.\.\/outside\/a\.nii\.gz" points outside/,
      );
    });
  });

  describe('lists of entries', () => {
    it('resolves entries in their written order, with slices and groups', () => {
      const result = expand([
        { image: 'b.nii.gz', mask: 'b_seg.nii.gz', group: 'g' },
        { image: 'a.nii.gz', slices: [3, 1] },
      ]);
      assert.deepEqual(result, {
        inputs: [
          { image: tree.path('b.nii.gz'), mask: tree.path('b_seg.nii.gz'), group: 'g' },
          { image: tree.path('a.nii.gz'), slices: [3, 1] },
        ],
        problems: [],
      });
      assert.match(
        problemOf(() => expand([{ image: 'a.nii.gz', slices: [-1] }]), options.file),
        /^\$\.inputs\[0\]\.slices: must be a non-empty list of slice indices/,
      );
      assert.match(
        problemOf(() => expand([]), options.file),
        /^\$\.inputs: the list of inputs is empty$/,
      );
    });
  });
});
