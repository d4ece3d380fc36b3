/** One fuzzing worker: runs cases first, first + stride, … below end and reports each (see scripts/fuzz.ts). */
import { parentPort, workerData } from 'node:worker_threads';
import { makeCase, runCase, type FuzzFormat } from './cases';

interface Job {
  seed: number;
  first: number;
  stride: number;
  end: number;
  dir: string;
  formats: FuzzFormat[];
}

const job = workerData as Job;
for (let id = job.first; id < job.end; id += job.stride) {
  parentPort!.postMessage({ type: 'start', id });
  const fuzzCase = makeCase(job.seed, id, job.formats);
  const started = performance.now();
  const outcome = await runCase(fuzzCase, job.dir);
  parentPort!.postMessage({
    type: 'done',
    id,
    ms: performance.now() - started,
    format: fuzzCase.format,
    mutation: fuzzCase.mutation,
    outcome,
  });
}
parentPort!.postMessage({ type: 'end' });
