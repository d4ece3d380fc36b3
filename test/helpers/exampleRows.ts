/**
 * The example experiment's rows (examples/colin27, all series and inputs) and an FNV-1a checksum
 * of every row's predicted label map: what test/goldens/runs/colin27-rows.json records.
 */
import { join } from 'node:path';
import { loadModel } from '../../src/engine/model';
import { loadExperiment } from '../../src/engine/sweep/experiment/load';
import type { RunRow } from '../../src/engine/sweep/rows';
import { runSweeps } from '../../src/engine/sweep/run/runner';

const EXAMPLE = join(import.meta.dirname, '..', '..', 'examples', 'colin27', 'colin27.misas.json');

/** FNV-1a (32 bit) of a label map's values, as 8 hex digits. */
export function labelChecksum(labels: ArrayLike<number>): string {
  let hash = 0x811c9dc5;
  for (let i = 0; i < labels.length; i++) hash = Math.imul(hash ^ labels[i], 0x01000193) >>> 0;
  return hash.toString(16).padStart(8, '0');
}

export async function exampleRows(workers: number): Promise<{ rows: RunRow[]; labels: string[] }> {
  const experiment = await loadExperiment(EXAMPLE);
  const model = await loadModel(join(import.meta.dirname, '..', '..', 'examples', 'colin27', 'model.onnx'), {
    workers,
    threads: 1,
  });
  const rows: RunRow[] = [];
  const labels: string[] = [];
  try {
    const run = runSweeps(experiment, [model], {
      onPrediction: ({ prediction }) => void labels.push(labelChecksum(prediction.data)),
    });
    for await (const event of run) if (event.type === 'row') rows.push(event.row);
  } finally {
    await model.dispose();
  }
  return { rows, labels };
}
