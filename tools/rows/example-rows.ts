/**
 * Writes test/goldens/runs/colin27-rows.json: the rows of the example experiment
 * (examples/colin27, all series, all inputs) and a checksum of every row's label map, as the
 * engine computed them before issue 12 item 2 made the 2D path cheaper (generated at a96a24b).
 * Not a numpy reference: a record of "today's results", so that speed work provably changes
 * nothing (test/unit/sweep/rowsGolden.test.ts). Regenerate only for a deliberate change of results:
 *   npx tsx tools/rows/example-rows.ts
 */
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { exampleRows } from '../../test/helpers/exampleRows';

const ROOT = join(import.meta.dirname, '..', '..');
const OUT = join(ROOT, 'test', 'goldens', 'runs', 'colin27-rows.json');

const { rows, labels } = await exampleRows(0);
const lines = rows.map((row, i) => JSON.stringify({ ...row, labels: labels[i] }));
await writeFile(OUT, `{"generator": "tools/rows/example-rows.ts", "rows": [\n${lines.join(',\n')}\n]}\n`);
console.log(`${rows.length} rows → ${OUT}`);
