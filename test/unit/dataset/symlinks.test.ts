/**
 * Paths are bounded where they really are, not only as written: real symbolic links (made here
 * in a temporary folder) from inside the experiment's folder to files and folders outside it are
 * refused for models, images, masks, glob folders, manifests and their rows; links that stay
 * inside are ordinary paths.
 */
import * as assert from 'node:assert/strict';
import { mkdirSync, symlinkSync } from 'node:fs';
import { expandInputs, type ExpandOptions } from '../../../src/engine/dataset';
import { realLocation, resolveInside } from '../../../src/engine/paths';
import { resolveExperiment } from '../../../src/engine/sweep/experiment/load';
import { SOURCES, problemOf, tempTree, type TempTree } from './fixtures';

describe('paths: symbolic links out of the root are refused', () => {
  let tree: TempTree;
  let options: ExpandOptions;
  const expand = (spec: unknown) => expandInputs(spec, options);
  const refusal = (spec: unknown, file = options.file) => problemOf(() => expand(spec), file);

  beforeEach(() => {
    tree = tempTree();
    tree.copy('outside/a.nii.gz', SOURCES.image);
    tree.copy('outside/a_seg.nii.gz', SOURCES.label);
    tree.copy('project/data/b.nii.gz', SOURCES.image2);
    tree.write('outside/set.csv', 'image\na.nii.gz\n');
    symlinkSync(tree.path('outside/a.nii.gz'), tree.path('project/data/link.nii.gz'));
    symlinkSync(tree.path('outside/a_seg.nii.gz'), tree.path('project/data/link_seg.nii.gz'));
    symlinkSync(tree.path('outside'), tree.path('project/away'));
    symlinkSync(tree.path('outside/set.csv'), tree.path('project/set.csv'));
    options = {
      file: tree.path('project/study.misas.json'),
      base: tree.path('project'),
      root: tree.path('project'),
      missingMasks: 'skip',
    };
  });
  afterEach(() => tree.cleanup());

  it('refuses linked images and masks in lists, naming the JSON path and where the link leads', () => {
    const target = tree.path('outside/a.nii.gz');
    assert.equal(
      refusal([{ image: 'data/link.nii.gz' }]),
      `$.inputs[0].image: "data/link.nii.gz" is or passes through a symbolic link to ${target}, outside ${options.root}; paths must stay inside the workspace (on the command line: the experiment's folder, or --root DIR)`,
    );
    assert.match(
      refusal([{ image: 'data/b.nii.gz', mask: 'data/link_seg.nii.gz' }]),
      /^\$\.inputs\[0\]\.mask: "data\/link_seg\.nii\.gz" is or passes through a symbolic link to .*outside\/a_seg\.nii\.gz/,
    );
    // Through a linked folder, and for a file that does not exist behind it yet.
    assert.match(
      refusal([{ image: 'away/a.nii.gz' }]),
      /^\$\.inputs\[0\]\.image: "away\/a\.nii\.gz" is or passes through a symbolic link to .*outside\/a\.nii\.gz/,
    );
    assert.match(
      refusal([{ image: 'away/none.nii.gz' }]),
      /passes through a symbolic link to .*outside\/none\.nii\.gz/,
    );
  });

  it('never walks a glob into a linked folder outside, and refuses linked files a glob matches', () => {
    assert.match(
      refusal('**/*.nii.gz'),
      /^\$\.inputs: "\*\*\/\*\.nii\.gz" reaches away, a symbolic link to .*outside, outside .*project; paths must stay inside/,
    );
    assert.match(
      refusal({ images: 'away/*.nii.gz' }),
      /^\$\.inputs\.images: "away\/\*\.nii\.gz" is or passes through a symbolic link/,
    );
    assert.match(
      refusal('data/*.nii.gz'),
      /^\$\.inputs: ".*\/project\/data\/link\.nii\.gz" is or passes through a symbolic link to .*\/outside\/a\.nii\.gz, outside /,
    );
  });

  it('refuses a linked manifest, and manifest rows behind a linked folder', () => {
    assert.match(
      refusal({ manifest: 'set.csv' }),
      /^\$\.inputs\.manifest: "set\.csv" is or passes through a symbolic link to .*outside\/set\.csv/,
    );
    const csv = tree.write('project/rows.csv', 'image\naway/a.nii.gz\n');
    assert.match(
      refusal({ manifest: 'rows.csv' }, csv),
      /^line 2, column "image": "away\/a\.nii\.gz" is or passes through a symbolic link/,
    );
  });

  it('refuses a linked model', () => {
    symlinkSync(tree.path('outside/a.nii.gz'), tree.path('project/model.onnx'));
    const data = {
      name: 'x',
      model: 'model.onnx',
      inputs: [{ image: 'data/b.nii.gz' }],
      series: [{ transform: 'rotate', values: [10] }],
    };
    assert.match(
      problemOf(() => resolveExperiment(data, options.file, options.root), options.file),
      /^\$\.model: "model\.onnx" is or passes through a symbolic link to .*outside\/a\.nii\.gz, outside/,
    );
  });

  it('takes links that stay inside the root, and a root that holds the targets', () => {
    symlinkSync(tree.path('project/data/b.nii.gz'), tree.path('project/inside.nii.gz'));
    mkdirSync(tree.path('project/more'));
    symlinkSync(tree.path('project/data'), tree.path('project/more/data'));
    assert.deepEqual(
      expand([{ image: 'inside.nii.gz' }, { image: 'more/data/b.nii.gz' }]).inputs.map((input) => input.image),
      [tree.path('project/inside.nii.gz'), tree.path('project/more/data/b.nii.gz')],
    );
    const wide = expandInputs([{ image: 'data/link.nii.gz' }], { ...options, root: tree.root });
    assert.deepEqual(
      wide.inputs.map((input) => input.image),
      [tree.path('project/data/link.nii.gz')],
    );
  });

  it('resolves links in the parts that exist and keeps the rest as written', () => {
    assert.equal(realLocation(tree.path('project/away/new/folder')), tree.path('outside/new/folder'));
    assert.equal(resolveInside(tree.root, tree.root, 'project/away/x', 'f', '$'), tree.path('project/away/x'));
  });
});
