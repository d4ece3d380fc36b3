/**
 * Memory at clinical size (issue 16 items 1, 2 and 4): whole sweeps of large volumes through the
 * runner, each case in a child process of its own so that its peak resident memory is its own.
 *
 *   MISAS_BENCH_CASE=memory npm run bench      (MISAS_BENCH_MEMORY=ch2better,ct512 picks volumes)
 *
 * Volumes: Colin27 ch2better (301×370×316, Debian's mricron-data; skipped with the reason when it
 * is not installed) and a synthetic 512×512×400 int16 volume (CT-sized, written to a temporary
 * file first). Models: the example's 2D U-Net slice by slice, and a 3D sliding-window model
 * (test/data/models/window3d_pointwise.onnx, 16³ windows, from tools/testmodels). Series: rotate
 * 0/15 (slab-local); on ch2better also gibbs 0/0.3 (a whole-volume k-space transform).
 *
 * Printed per case: wall time; peak RSS; peak ÷ the float32 volume (4 bytes per voxel); the
 * header-time estimate against the peak; the target, peak ≤ 4 × float32 volume + model
 * + 300 MB, where "model" is what loading the model and its warm-up batch added to the process;
 * and wall time ÷ the time onnxruntime spent in session.run (the raw inference of the same slices
 * or windows).
 */
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, open, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { encodeNifti } from '../src/engine/io/nifti-write';
import { loadModel } from '../src/engine/model';
import { loadExperiment } from '../src/engine/sweep/experiment/load';
import { runSweeps } from '../src/engine/sweep/run/runner';
import type { InputEstimate } from '../src/engine/sweep/run/memoryPlan';
import { identityAffine } from '../src/engine/volume';

const ROOT = join(import.meta.dirname, '..');
const MODEL_2D = join(ROOT, 'examples', 'colin27', 'model.onnx');
const MODEL_3D = join(ROOT, 'test', 'data', 'models', 'window3d_pointwise.onnx');
const CH2BETTER = '/usr/share/mricron/templates/ch2better.nii.gz';
const MIB = 2 ** 20;

interface Case {
  name: string;
  image: string;
  voxels: number;
  model: string;
  series: unknown[];
  /** Windows per call for the 3D model (its default is 1). */
  batchSize?: number;
}

interface Measured {
  rows: number;
  seconds: number;
  rawSeconds: number;
  peakBytes: number;
  startBytes: number;
  estimate: InputEstimate;
}

const ROTATE = [{ transform: 'rotate', values: [0, 15] }];
const GIBBS = [{ transform: 'gibbs', values: [0, 0.3] }];

/** One case, in this (child) process: the run through runSweeps, timed, its peak RSS from the kernel. */
async function runCase(spec: Case): Promise<Measured> {
  const startBytes = process.memoryUsage().rss;
  const dir = await mkdtemp(join(tmpdir(), 'misas-bench-case-'));
  try {
    const file = join(dir, 'case.misas.json');
    await writeFile(
      file,
      JSON.stringify({ name: spec.name, model: spec.model, inputs: [{ image: spec.image }], series: spec.series }),
    );
    // The volumes and models live outside the case's folder: the workspace is the whole file system.
    const experiment = await loadExperiment(file, '/');
    let rawSeconds = 0;
    const model = await loadModel(spec.model, {
      threads: 2,
      workers: 0,
      ...(spec.batchSize ? { batchSize: spec.batchSize } : {}),
      onSessionRun: (_feed, seconds) => (rawSeconds += seconds),
    });
    let estimate: InputEstimate | undefined;
    let rows = 0;
    const start = process.hrtime.bigint();
    for await (const event of runSweeps(experiment, [model], { onMemoryEstimate: (_, e) => (estimate = e) })) {
      if (event.type === 'row') rows++;
      if (event.type === 'problem') throw new Error(`${event.problem.file}: ${event.problem.problem}`);
    }
    const seconds = Number(process.hrtime.bigint() - start) / 1e9;
    await model.dispose();
    return {
      rows,
      seconds,
      rawSeconds,
      peakBytes: process.resourceUsage().maxRSS * 1024,
      startBytes,
      estimate: estimate!,
    };
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

/** A smooth head-like int16 phantom, written slice by slice (the parent never holds the volume). */
async function writeSyntheticVolume(path: string, dims: [number, number, number]): Promise<void> {
  const [nx, ny, nz] = dims;
  const header = encodeNifti({
    data: new Int16Array(0),
    dims,
    spacing: [1, 1, 1],
    affine: identityAffine(),
    channels: 1,
  });
  const handle = await open(path, 'w');
  try {
    await handle.write(header);
    const slice = new Int16Array(nx * ny);
    for (let z = 0; z < nz; z++) {
      for (let y = 0, i = 0; y < ny; y++) {
        for (let x = 0; x < nx; x++, i++) {
          const r = Math.hypot((x - nx / 2) / (0.4 * nx), (y - ny / 2) / (0.45 * ny), (z - nz / 2) / (0.4 * nz));
          slice[i] = r < 1 ? Math.round(120 + 80 * Math.cos(6 * r) * Math.sin(x / 7 + y / 11 + z / 5)) : 0;
        }
      }
      await handle.write(new Uint8Array(slice.buffer));
    }
  } finally {
    await handle.close();
  }
}

/** Runs one case in a child process (node --import tsx this file) and reads its result line. */
function inChild(spec: Case): Promise<Measured> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', import.meta.filename, JSON.stringify(spec)], {
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    let out = '';
    child.stdout.on('data', (chunk: Buffer) => (out += chunk.toString()));
    child.on('error', reject);
    child.on('close', (code) => {
      const line = out.split('\n').find((l) => l.startsWith('{'));
      if (code !== 0 || !line) reject(new Error(`case ${spec.name} failed (exit ${code}): ${out}`));
      else resolve(JSON.parse(line) as Measured);
    });
  });
}

function mib(bytes: number): string {
  return `${(bytes / MIB).toFixed(0)} MiB`;
}

function report(spec: Case, m: Measured): void {
  const float32 = 4 * spec.voxels;
  const model = m.estimate.processBytes - m.startBytes;
  const target = 4 * float32 + model + 300 * 1e6;
  const error = (m.estimate.bytes - m.peakBytes) / m.peakBytes;
  console.log(`  ${spec.name}`);
  console.log(
    `    ${m.seconds.toFixed(1)} s for ${m.rows} rows, ${((1e9 * m.seconds) / (m.rows * spec.voxels)).toFixed(1)} ns per voxel and row; ` +
      `${(m.seconds / m.rawSeconds).toFixed(2)} × the raw inference (${m.rawSeconds.toFixed(1)} s in session.run)`,
  );
  console.log(
    `    peak RSS ${mib(m.peakBytes)} = ${(m.peakBytes / float32).toFixed(2)} × the float32 volume (${mib(float32)}); ` +
      `${(m.peakBytes / spec.voxels).toFixed(1)} bytes per voxel`,
  );
  console.log(
    `    estimate ${mib(m.estimate.bytes)} (${error >= 0 ? '+' : ''}${(100 * error).toFixed(0)}% of the peak; process and model before the image ${mib(m.estimate.processBytes)})`,
  );
  console.log(
    `    target 4 × float32 + model (${mib(model)}) + 300 MB = ${mib(target)}: ${m.peakBytes <= target ? 'met' : 'MISSED'}`,
  );
}

export async function memoryBench(): Promise<void> {
  const picked = process.env.MISAS_BENCH_MEMORY?.split(',') ?? ['ch2better', 'ct512'];
  const dir = await mkdtemp(join(tmpdir(), 'misas-bench-memory-'));
  console.log(`\nMemory at clinical size: each case in its own process, onnxruntime on 2 threads, no workers`);
  try {
    const cases: Case[] = [];
    if (picked.includes('ch2better')) {
      if (!existsSync(CH2BETTER)) {
        console.log(`  ch2better skipped: ${CH2BETTER} is not installed (apt-get install mricron-data)`);
      } else {
        const voxels = 301 * 370 * 316;
        cases.push(
          {
            name: 'ch2better 301×370×316 uint8, 2D model slice-wise, rotate 0/15',
            image: CH2BETTER,
            voxels,
            model: MODEL_2D,
            series: ROTATE,
          },
          {
            name: 'ch2better 301×370×316 uint8, 2D model slice-wise, gibbs 0/0.3',
            image: CH2BETTER,
            voxels,
            model: MODEL_2D,
            series: GIBBS,
          },
          {
            name: 'ch2better 301×370×316 uint8, 3D sliding windows 16³, rotate 0/15',
            image: CH2BETTER,
            voxels,
            model: MODEL_3D,
            series: ROTATE,
            batchSize: 8,
          },
        );
      }
    }
    if (picked.includes('ct512')) {
      const image = join(dir, 'ct512.nii');
      await writeSyntheticVolume(image, [512, 512, 400]);
      const voxels = 512 * 512 * 400;
      cases.push(
        {
          name: 'synthetic 512×512×400 int16, 2D model slice-wise, rotate 0/15',
          image,
          voxels,
          model: MODEL_2D,
          series: ROTATE,
        },
        {
          name: 'synthetic 512×512×400 int16, 3D sliding windows 16³, rotate 0/15',
          image,
          voxels,
          model: MODEL_3D,
          series: ROTATE,
          batchSize: 8,
        },
      );
    }
    for (const spec of cases) report(spec, await inChild(spec));
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

// As a child process: one case, its measurements as one JSON line.
if (process.argv[1] === import.meta.filename && process.argv[2]) {
  const measured = await runCase(JSON.parse(process.argv[2]) as Case);
  console.log(JSON.stringify(measured));
}
