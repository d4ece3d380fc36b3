/** `misas run --workers`: the model sessions in worker threads change nothing in the results. */
import * as assert from 'node:assert/strict';
import { mkdtemp, readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { resultsFromJson } from '../../../src/engine/report/results';
import { misas } from '../../helpers/cli';

const EXAMPLE = join(import.meta.dirname, '..', '..', '..', 'examples', 'colin27', 'colin27.misas.json');

describe('misas run --workers', function () {
  this.timeout(180_000);

  it('writes the same rows with 2 workers as with 1, and with none', async () => {
    const out = await mkdtemp(join(tmpdir(), 'misas-cli-workers-'));
    const series = ['--series', 'zoom', '--series', 'ghosting', '--threads', '2'];
    const rowsOf = async (workers: string) => {
      const dir = join(out, `workers-${workers}`);
      const { code, stderr } = await misas('run', EXAMPLE, ...series, '--workers', workers, '--out', dir);
      assert.equal(code, 0, stderr);
      const results = resultsFromJson(await readFile(join(dir, 'results.json'), 'utf8'));
      return { rows: results.series.map((s) => s.rows), csv: await readFile(join(dir, 'results.csv'), 'utf8') };
    };
    const one = await rowsOf('1');
    assert.ok(one.rows.flat().length > 50);
    assert.deepEqual(await rowsOf('2'), one);
    assert.deepEqual(await rowsOf('0'), one);
  });

  it('refuses a worker count that is not a number', async () => {
    const { code, stderr } = await misas('run', EXAMPLE, '--workers', 'many');
    assert.equal(code, 2);
    assert.match(stderr, /--workers must be auto, 0 or a positive integer, got "many"/);
  });
});
