import * as assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { readImage, readLabelMap, writePng } from '../../../src/engine/io';
import { identityAffine, type Volume } from '../../../src/engine/volume';
import { assertAllClose } from '../../helpers/goldens';
import { dataPath, expectedFiles, rejectsInput, scratchDir } from './fixtures';

interface PilFacts {
  width: number;
  height: number;
  mode: string;
  data: number[];
  indices?: number[];
}

const pil = expectedFiles<PilFacts>('png');

describe('readImage on PNG written by PIL', () => {
  const cases: [string, number, string][] = [
    ['grey8.png', 1, 'Uint8Array'],
    ['grey16.png', 1, 'Uint16Array'],
    ['grey_alpha.png', 1, 'Uint8Array'],
    ['rgb.png', 3, 'Uint8Array'],
    ['rgba.png', 3, 'Uint8Array'],
    ['palette.png', 3, 'Uint8Array'],
    ['palette_grey.png', 1, 'Uint8Array'],
    ['grey1.png', 1, 'Uint8Array'],
  ];
  for (const [name, channels, arrayType] of cases) {
    it(`reads ${name} (${pil[name].mode}) as ${channels} planar channel(s) of ${arrayType}`, async () => {
      const facts = pil[name];
      const volume = await readImage(dataPath('png', name));
      assert.deepEqual(volume.dims, [facts.width, facts.height]);
      assert.equal(volume.channels, channels);
      assert.equal(volume.data.constructor.name, arrayType);
      assert.deepEqual(volume.spacing, [1, 1]);
      assert.deepEqual(volume.affine, identityAffine([1, 1, 1]));
      assertAllClose(volume.data, facts.data, { rtol: 0, atol: 0 });
    });
  }

  it('takes the pixel size from a metric pHYs chunk (254 and 127 dpi → 0.1 × 0.2 mm)', async () => {
    const volume = await readImage(dataPath('png', 'grey8_dpi.png'));
    assertAllClose(volume.spacing, [0.1, 0.2], { rtol: 1e-3 });
    assertAllClose([volume.affine[0][0], volume.affine[1][1]], [0.1, 0.2], { rtol: 1e-3 });
    assertAllClose(volume.data, pil['grey8_dpi.png'].data, { rtol: 0, atol: 0 });
  });

  it('returns palette indices, not colours, for a palette label map', async () => {
    for (const name of ['palette.png', 'palette_grey.png']) {
      const labels = await readLabelMap(dataPath('png', name));
      assert.equal(labels.channels, 1);
      assert.deepEqual(Array.from(labels.data), pil[name].indices);
    }
  });
});

describe('writePng', () => {
  const scratch = scratchDir();
  after(() => scratch.cleanup());

  function plane(data: Volume['data'], width: number, height: number): Volume {
    return { data, dims: [width, height], spacing: [1, 1], affine: identityAffine(), channels: 1 };
  }

  it('round-trips 8-bit grey, including label maps stored in wider arrays', async () => {
    const labels = Int32Array.from({ length: 35 }, (_, i) => (i * 7) % 4);
    const path = scratch.path('labels.png');
    await writePng(path, plane(labels, 7, 5));
    assert.equal(readFileSync(path)[24], 8, 'bit depth in IHDR');
    const back = await readImage(path);
    assert.ok(back.data instanceof Uint8Array);
    assert.deepEqual(back.dims, [7, 5]);
    assert.deepEqual(Array.from(back.data), Array.from(labels));
  });

  it('round-trips 16-bit grey when values exceed 255 or the data is Uint16Array', async () => {
    const values = Uint16Array.from({ length: 12 }, (_, i) => i * 5000 + 3);
    const path = scratch.path('wide.png');
    await writePng(path, plane(values, 4, 3));
    assert.equal(readFileSync(path)[24], 16);
    const back = await readImage(path);
    assert.ok(back.data instanceof Uint16Array);
    assert.deepEqual(Array.from(back.data), Array.from(values));
  });

  it('refuses what a grey PNG cannot hold', async () => {
    const path = scratch.path('bad.png');
    await rejectsInput(
      writePng(path, plane(Int16Array.from([0, -3, 4, 5]), 2, 2)),
      path,
      /values -3…5 do not fit an 8-bit PNG/,
    );
    await rejectsInput(
      writePng(path, plane(Float32Array.from([0, 1.5, 2, 3]), 2, 2)),
      path,
      /non-integer value 1\.5 at \(1, 0\)/,
    );
    await rejectsInput(
      writePng(path, plane(Uint16Array.from([0, 300, 2, 3]), 2, 2), { depth: 8 }),
      path,
      /do not fit an 8-bit PNG \(0…255\)/,
    );
    const volume: Volume = {
      data: new Uint8Array(8),
      dims: [2, 2, 2],
      spacing: [1, 1, 1],
      affine: identityAffine(),
      channels: 1,
    };
    await rejectsInput(writePng(path, volume), path, /a PNG holds one 2D grey image; got dims 2×2×2/);
  });
});

describe('readImage refuses bad PNG files', () => {
  const scratch = scratchDir();
  after(() => scratch.cleanup());

  it('a file that is not a PNG', async () => {
    const path = scratch.write('photo.png', new TextEncoder().encode('GIF89a this is not a png at all'));
    await rejectsInput(readImage(path), path, /not a PNG file \(the PNG signature is missing\)/);
  });

  it('a truncated PNG', async () => {
    const bytes = readFileSync(dataPath('colin27', 'ch2bet_z68.png'));
    const path = scratch.write('cut.png', bytes.subarray(0, bytes.length >> 1));
    await rejectsInput(
      readImage(path),
      path,
      /corrupt PNG: the file is truncated: the IDAT chunk at byte 33 declares \d+ bytes of data but the file ends after \d+ bytes/,
    );
  });
});
