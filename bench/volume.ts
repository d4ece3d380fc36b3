/**
 * Full-volume speed (issue 16 item 3): the whole-volume k-space artefacts and the surface
 * distances, one step at a time on a brain-sized volume, on the calling thread (one core).
 *
 * 1. Gibbs, spike, ghosting and motion on Colin27 ch2bet 181×217×181 (Debian's mricron-data;
 *    without it a smooth synthetic volume of the same size): seconds per step, best of REPEATS.
 * 2. HD95 + ASSD (with Dice, as a run scores a step) on the same volume: truth = the example
 *    2D model's labels of the volume slice by slice (the volume run's pseudo-truth), prediction =
 *    its labels of the volume rotated by 15°; all four classes, background included, as rows hold,
 *    and the three foreground classes alone (what skipping the background would save).
 * Targets (issue 16 item 3): under 1 s per step for each artefact, under 0.3 s for the distances.
 * The load average is printed with the times: on a shared machine CPU seconds grow with it.
 *
 *   MISAS_BENCH_CASE=volume npm run bench     (this case alone; `npm run bench` runs it last)
 */
import { existsSync } from 'node:fs';
import { loadavg } from 'node:os';
import { join } from 'node:path';
import { readImage } from '../src/engine/io';
import { computeMetrics } from '../src/engine/metrics';
import { loadModel } from '../src/engine/model';
import { createRandom } from '../src/engine/random';
import { getTransform, resolveOptions } from '../src/engine/transforms/registry';
import type { TransformOptions } from '../src/engine/transforms/types';
import { identityAffine, type Volume } from '../src/engine/volume';

const ROOT = join(import.meta.dirname, '..');
const MODEL = join(ROOT, 'examples', 'colin27', 'model.onnx');
const COLIN_VOLUME = '/usr/share/mricron/templates/ch2bet.nii.gz';
const REPEATS = 3;

/**
 * Best wall and CPU seconds of `repeats` calls: on a shared machine noise only ever adds time,
 * and the CPU time of this process (one thread) counts only the time it ran.
 */
function bestSeconds(repeats: number, work: () => void): { wall: number; cpu: number } {
  let wall = Infinity,
    cpu = Infinity;
  for (let r = 0; r < repeats; r++) {
    const start = process.hrtime.bigint();
    const startCpu = process.cpuUsage();
    work();
    const used = process.cpuUsage(startCpu);
    wall = Math.min(wall, Number(process.hrtime.bigint() - start) / 1e9);
    cpu = Math.min(cpu, (used.user + used.system) / 1e6);
  }
  return { wall, cpu };
}

function secondsText({ wall, cpu }: { wall: number; cpu: number }): string {
  return `${wall.toFixed(3)} s/step wall, ${cpu.toFixed(3)} s CPU`;
}

/** A smooth 0…255 head-like phantom when mricron-data is not installed. */
function syntheticVolume(dims: [number, number, number]): Volume {
  const [nx, ny, nz] = dims;
  const data = new Float32Array(nx * ny * nz);
  for (let z = 0, i = 0; z < nz; z++) {
    for (let y = 0; y < ny; y++) {
      for (let x = 0; x < nx; x++, i++) {
        const r = Math.hypot((x - nx / 2) / (0.4 * nx), (y - ny / 2) / (0.45 * ny), (z - nz / 2) / (0.4 * nz));
        data[i] = r < 1 ? 120 + 80 * Math.cos(6 * r) * Math.sin(x / 7 + y / 11 + z / 5) : 0;
      }
    }
  }
  return { data, dims, spacing: [1, 1, 1], affine: identityAffine(), channels: 1 };
}

export async function volumeSpeed(): Promise<void> {
  const real = existsSync(COLIN_VOLUME);
  const volume = real ? await readImage(COLIN_VOLUME) : syntheticVolume([181, 217, 181]);
  const source = real ? 'Colin27 ch2bet' : 'synthetic (install mricron-data for Colin27)';
  const load = loadavg()
    .map((l) => l.toFixed(1))
    .join(' ');
  console.log(
    `\nFull-volume speed, one core: ${source} ${volume.dims.join('×')}, best of ${REPEATS}, load average ${load}`,
  );

  const steps: [string, number, TransformOptions][] = [
    ['gibbs', 0.3, {}],
    ['spike', 1, {}],
    ['ghosting', 0.5, {}],
    ['motion', 5, {}],
  ];
  for (const [name, value, given] of steps) {
    const spec = getTransform(name);
    const options = resolveOptions(spec, given);
    const seconds = bestSeconds(REPEATS, () =>
      spec.apply({ image: volume }, value, options, { random: createRandom(1) }),
    );
    console.log(`  ${`${name} ${value}`.padEnd(14)} ${secondsText(seconds)}`);
  }

  const model = await loadModel(MODEL, { threads: 2 });
  try {
    const rotate = getTransform('rotate');
    const rotated = rotate.apply({ image: volume }, 15, resolveOptions(rotate, {}), { random: createRandom(1) }).image;
    const [truth, prediction] = await model
      .predict([volume])
      .then(async ([t]) => [t, (await model.predict([rotated]))[0]]);
    const classes = model.card.classes.map((_, label) => label);
    let result = computeMetrics(prediction, truth, { classes, metrics: ['dice', 'hd95', 'assd'] });
    const seconds = bestSeconds(REPEATS, () => {
      result = computeMetrics(prediction, truth, { classes, metrics: ['dice', 'hd95', 'assd'] });
    });
    const hd95 = classes.map((c) => `${model.card.classes[c]} ${Number(result.values.hd95![c]).toFixed(2)}`).join(', ');
    console.log(
      `  dice+hd95+assd ${secondsText(seconds)}  (${classes.length} classes, truth = labels of the volume, prediction = labels after rotate 15°; HD95 mm: ${hd95})`,
    );
    const foreground = classes.slice(1);
    const foregroundSeconds = bestSeconds(REPEATS, () => {
      computeMetrics(prediction, truth, { classes: foreground, metrics: ['dice', 'hd95', 'assd'] });
    });
    console.log(`  foreground     ${secondsText(foregroundSeconds)}  (the same without the background class)`);
  } finally {
    await model.dispose();
  }
}
