import * as assert from 'node:assert/strict';
import { parseCsv, parseManifest } from '../../../src/engine/dataset/manifest';
import { problemOf } from './fixtures';

const FILE = '/data/set.csv';

describe('manifest CSV', () => {
  it('parses RFC 4180 quoting: commas, doubled quotes and line breaks inside quotes', () => {
    const records = parseCsv('a,"b,c","say ""hi"""\r\n"two\r\nlines",x,\n', FILE);
    assert.deepEqual(records, [
      { line: 1, fields: ['a', 'b,c', 'say "hi"'] },
      { line: 2, fields: ['two\r\nlines', 'x', ''] },
    ]);
  });

  it('tolerates a byte-order mark, blank lines, CR-only lines and spaces around fields', () => {
    const records = parseCsv('\uFEFFimage , mask\n\n  a.png ,  "b.png" \rc.png,\n', FILE);
    assert.deepEqual(records, [
      { line: 1, fields: ['image', 'mask'] },
      { line: 3, fields: ['a.png', 'b.png'] },
      { line: 4, fields: ['c.png', ''] },
    ]);
    assert.deepEqual(parseCsv('" keep spaces "', FILE)[0].fields, [' keep spaces ']);
  });

  it('refuses broken quoting, naming the line', () => {
    assert.match(
      problemOf(() => parseCsv('image\n"a.png\n', FILE), FILE),
      /^line 2: a quoted field is not closed/,
    );
    assert.match(
      problemOf(() => parseCsv('image\nab"c.png\n', FILE), FILE),
      /^line 2: a quote inside an unquoted field/,
    );
    assert.match(
      problemOf(() => parseCsv('image\n"a"b\n', FILE), FILE),
      /^line 2: text after the closing quote/,
    );
  });

  it('maps columns by the header, in any order and case', () => {
    assert.deepEqual(parseManifest('Group,IMAGE,mask\nA,x.nii,x_seg.nii\n,y.nii,\n', FILE), [
      { line: 2, image: 'x.nii', mask: 'x_seg.nii', group: 'A' },
      { line: 3, image: 'y.nii' },
    ]);
    assert.deepEqual(
      parseManifest('image\nx.png\n', FILE),
      [{ line: 2, image: 'x.png' }],
      'mask and group columns are optional',
    );
  });

  it('refuses a missing image column, unknown or repeated columns, ragged rows, empty images and empty files', () => {
    assert.match(
      problemOf(() => parseManifest('x.png,y.png\na.png,b.png\n', FILE), FILE),
      /^line 1: unknown columns "x\.png", "y\.png"/,
    );
    assert.match(
      problemOf(() => parseManifest('mask\nm.png\n', FILE), FILE),
      /^line 1: no "image" column; the first row must name the columns/,
    );
    assert.match(
      problemOf(() => parseManifest('image,image\na,b\n', FILE), FILE),
      /^line 1: the column "image" appears twice$/,
    );
    assert.match(
      problemOf(() => parseManifest('image,mask\na.png\n', FILE), FILE),
      /^line 2: 1 field, but the header has 2 columns$/,
    );
    assert.match(
      problemOf(() => parseManifest('image,group\n,A\n', FILE), FILE),
      /^line 2: the image is empty$/,
    );
    assert.match(
      problemOf(() => parseManifest('\uFEFF\n', FILE), FILE),
      /the manifest is empty/,
    );
    assert.match(
      problemOf(() => parseManifest('image,mask\n', FILE), FILE),
      /a header row but no inputs/,
    );
  });
});
