/**
 * Speed work must not change results: the example experiment's rows and every row's label map
 * (as a checksum) are exactly those recorded before issue 12 item 2 (fused output pass, float32
 * batches, reused buffers) in test/goldens/runs/colin27-rows.json (tools/rows/example-rows.ts).
 */
import * as assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { exampleRows } from '../../helpers/exampleRows';

const GOLDEN = join(import.meta.dirname, '..', '..', 'goldens', 'runs', 'colin27-rows.json');

describe('the example run against its recorded rows', function () {
  this.timeout(300_000);

  it('gives the same rows and the same label maps as recorded, row for row', async () => {
    const golden = JSON.parse(await readFile(GOLDEN, 'utf8')) as { rows: Array<Record<string, unknown>> };
    const { rows, labels } = await exampleRows(1);
    assert.equal(rows.length, golden.rows.length);
    rows.forEach((row, i) => assert.deepEqual({ ...row, labels: labels[i] }, golden.rows[i], `row ${i}`));
  });
});
