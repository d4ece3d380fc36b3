/**
 * `npm run fuzz -- [--seed N] [--cases N] [--workers N] [--budget-ms N] [--formats nifti,png,dicom,nrrd,metaimage,experiment]`
 * `npm run fuzz -- --seed N --case I [--save DIR]`   (one case again, e.g. a finding; --save writes its bytes)
 *
 * Seeded mutation fuzzing of the NIfTI, PNG, DICOM and experiment readers (scripts/fuzz/cases.ts).
 * Workers run the cases; a case that runs longer than the budget is a hang: its worker is
 * stopped and a new one goes on with the next case. Exit code 1 when anything but the
 * project's MisasInputError was thrown, or a case hung.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { Worker } from 'node:worker_threads';
import { encodeNifti } from '../src/engine/io';
import { FORMATS, makeCase, runCase, type FuzzFormat, type Outcome } from './fuzz/cases';

const { values } = parseArgs({
  options: {
    seed: { type: 'string', default: '1' },
    cases: { type: 'string', default: '4000' },
    workers: { type: 'string', default: '2' },
    'budget-ms': { type: 'string', default: '10000' },
    formats: { type: 'string', default: FORMATS.join(',') },
    case: { type: 'string' },
    save: { type: 'string' },
  },
});
const seed = Number(values.seed);
const cases = Number(values.cases);
const workerCount = Math.max(1, Number(values.workers));
const budgetMs = Number(values['budget-ms']);
const formats = values.formats!.split(',') as FuzzFormat[];
if (formats.some((f) => !FORMATS.includes(f))) throw new Error(`--formats takes ${FORMATS.join(', ')}`);

/** A folder with the files the seed experiment names, so that experiments resolve as in a workspace. */
function workspace(): string {
  const dir = mkdtempSync(join(tmpdir(), 'misas-fuzz-'));
  const image = encodeNifti({
    data: new Float32Array(16),
    dims: [4, 4],
    spacing: [1, 1],
    affine: [
      [1, 0, 0, 0],
      [0, 1, 0, 0],
      [0, 0, 1, 0],
      [0, 0, 0, 1],
    ],
    channels: 1,
  });
  for (const name of ['image.nii', 'mask.nii', 'model.onnx']) writeFileSync(join(dir, name), image);
  return dir;
}

/** Workers load TypeScript through tsx's API: `--import tsx` in a worker's execArgv does not reach its module loader on Node 20. */
const WORKER_BOOT = `import(${JSON.stringify(import.meta.resolve('tsx/esm/api'))}).then((tsx) => { tsx.register(); return import(${JSON.stringify(new URL('./fuzz/worker.ts', import.meta.url).href)}); })`;

interface Finding {
  id: number;
  format: string;
  mutation: string;
  what: string;
}

async function one(dir: string): Promise<number> {
  const fuzzCase = makeCase(seed, Number(values.case), formats);
  if (values.save) {
    mkdirSync(values.save, { recursive: true });
    writeFileSync(join(values.save, `case-${seed}-${fuzzCase.id}-${fuzzCase.name}`), fuzzCase.bytes);
  }
  const outcome = await runCase(fuzzCase, dir);
  console.log(`case ${fuzzCase.id} (${fuzzCase.format}, ${fuzzCase.mutation}): ${outcome.kind}`);
  if (outcome.kind !== 'ok') console.log(outcome.kind === 'crash' ? outcome.stack : outcome.message);
  return outcome.kind === 'crash' ? 1 : 0;
}

async function all(dir: string): Promise<number> {
  const started = performance.now();
  const findings: Finding[] = [];
  const counts: Record<string, Record<Outcome['kind'], number>> = {};
  let slowest = { ms: 0, id: -1, format: '', mutation: '' };
  let done = 0;

  const runWorker = (first: number): Promise<void> =>
    new Promise((resolve) => {
      if (first >= cases) return resolve();
      const worker = new Worker(WORKER_BOOT, {
        eval: true,
        workerData: { seed, first, stride: workerCount, end: cases, dir, formats },
      });
      let current = -1;
      let timer: NodeJS.Timeout | undefined;
      const arm = (id: number) => {
        clearTimeout(timer);
        current = id;
        timer = setTimeout(() => {
          const fuzzCase = makeCase(seed, id, formats);
          findings.push({
            id,
            format: fuzzCase.format,
            mutation: fuzzCase.mutation,
            what: `hang: still running after ${budgetMs} ms`,
          });
          done++;
          void worker.terminate().then(() => runWorker(id + workerCount).then(resolve));
        }, budgetMs);
      };
      worker.on(
        'message',
        (message: { type: string; id: number; ms: number; format: string; mutation: string; outcome: Outcome }) => {
          if (message.type === 'start') arm(message.id);
          if (message.type === 'end') {
            clearTimeout(timer);
            void worker.terminate().then(() => resolve());
          }
          if (message.type !== 'done') return;
          done++;
          const perFormat = (counts[message.format] ??= { ok: 0, refused: 0, crash: 0 });
          perFormat[message.outcome.kind]++;
          if (message.ms > slowest.ms)
            slowest = { ms: message.ms, id: message.id, format: message.format, mutation: message.mutation };
          if (message.outcome.kind === 'crash')
            findings.push({
              id: message.id,
              format: message.format,
              mutation: message.mutation,
              what: message.outcome.stack.split('\n').slice(0, 3).join(' | '),
            });
          if (done % 500 === 0) process.stderr.write(`${done}/${cases} cases, ${findings.length} finding(s)\n`);
        },
      );
      worker.on('error', (error) => {
        clearTimeout(timer);
        findings.push({ id: current, format: '?', mutation: '?', what: `worker died: ${error.message}` });
        // A worker that fails before its first case would fail again: stop its share.
        if (current < 0) resolve();
        else void runWorker(current + workerCount).then(resolve);
      });
    });

  await Promise.all(Array.from({ length: Math.min(workerCount, cases) }, (_, w) => runWorker(w)));
  const seconds = (performance.now() - started) / 1000;
  console.log(
    `seed ${seed}: ${cases} cases in ${seconds.toFixed(1)} s (${workerCount} workers, budget ${budgetMs} ms per case)`,
  );
  for (const [format, c] of Object.entries(counts))
    console.log(`  ${format.padEnd(10)} ok ${c.ok}, refused with a message ${c.refused}, uncaught ${c.crash}`);
  console.log(`  slowest case: ${slowest.id} (${slowest.format}, ${slowest.mutation}) ${slowest.ms.toFixed(0)} ms`);
  console.log(`findings: ${findings.length}`);
  for (const f of findings.slice(0, 30))
    console.log(
      `  case ${f.id} (${f.format}, ${f.mutation}): ${f.what}\n    again: npm run fuzz -- --seed ${seed} --case ${f.id} --formats ${formats.join(',')} --save out/fuzz`,
    );
  return findings.length > 0 ? 1 : 0;
}

const dir = workspace();
try {
  process.exitCode = values.case !== undefined ? await one(dir) : await all(dir);
} finally {
  rmSync(dir, { recursive: true, force: true });
}
