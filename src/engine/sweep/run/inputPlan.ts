/**
 * The run's inputs before any pixels are read: one entry per loaded input (an image, or one
 * picked slice of a volume), with dims and spacing from the file's header. An input whose header
 * cannot be read, whose slice does not exist or that would not fit in memory gets its `problem`
 * here, before work starts, and the run goes on without it.
 */
import { basename, dirname, relative } from 'node:path';
import { checkFits } from '../../dataset/memory';
import type { InputProblem } from '../../dataset/types';
import { MisasInputError } from '../../errors';
import { peekImage } from '../../io/peek';
import { thinVolumeProblem } from './loadInput';
import type { InputEstimate } from './memoryPlan';

type ImageHeader = Awaited<ReturnType<typeof peekImage>>;
import type { ResolvedExperiment } from '../experiment/types';
import type { RunInputInfo } from '../rows';

export interface InputPlanOptions {
  /** The axis a 2D model slices volumes along. */
  sliceAxis: number;
  /** The process's memory at the peak of an input with this header (the largest over the run's models; memoryPlan.ts). */
  estimateBytes: (header: ImageHeader, entry: { image: string; mask?: string }) => Promise<InputEstimate>;
  /** Inputs needing more memory than this are refused up front. */
  memoryBudgetBytes: number;
}

/** Display labels: file names, or paths relative to the experiment when names repeat. */
function labelsOf(experiment: ResolvedExperiment): string[] {
  const names = experiment.inputs.map((entry) => basename(entry.image));
  const repeated = names.filter((name, i) => names.indexOf(name) !== i);
  const base = dirname(experiment.file);
  return experiment.inputs.map((entry, i) => (repeated.includes(names[i]) ? relative(base, entry.image) : names[i]));
}

export async function planInputs(
  experiment: ResolvedExperiment,
  options: InputPlanOptions,
): Promise<{ inputs: RunInputInfo[]; problems: InputProblem[] }> {
  const inputs: RunInputInfo[] = [];
  const problems: InputProblem[] = [];
  const labels = labelsOf(experiment);
  for (const [entryIndex, entry] of experiment.inputs.entries()) {
    const common = {
      entry: entryIndex,
      imagePath: entry.image,
      ...(entry.mask ? { maskPath: entry.mask } : {}),
      ...(entry.group !== undefined ? { group: entry.group } : {}),
      ...(entry.frame !== undefined ? { frame: entry.frame } : {}),
      pseudoTruth: !entry.mask,
    };
    const slices: Array<number | undefined> = entry.slices ?? [undefined];
    let header: ImageHeader | undefined;
    let entryProblem: { file: string; problem: string } | undefined;
    try {
      header = await peekImage(entry.image, entry.frame);
      const thin = thinVolumeProblem(header.dims, options.sliceAxis);
      if (thin) throw new MisasInputError(entry.image, thin);
      if (entry.slices && header.dims.length !== 3)
        throw new MisasInputError(entry.image, `"slices" was given but the image is 2D (${header.dims.join('×')})`);
      const estimate = await options.estimateBytes(header, entry);
      checkFits(entry.image, estimate.bytes, options.memoryBudgetBytes, estimate.processBytes);
    } catch (thrown) {
      if (!(thrown instanceof MisasInputError)) throw thrown;
      entryProblem = { file: thrown.file, problem: thrown.problem };
    }
    for (const slice of slices) {
      const input = inputs.length;
      const label = slice === undefined ? labels[entryIndex] : `${labels[entryIndex]} [slice ${slice}]`;
      let problem = entryProblem;
      let dims = header?.dims;
      let spacing = header?.spacing;
      if (!problem && header && slice !== undefined) {
        const kept = [0, 1, 2].filter((axis) => axis !== options.sliceAxis);
        if (slice >= header.dims[options.sliceAxis])
          problem = {
            file: entry.image,
            problem: `slice ${slice} is outside 0…${header.dims[options.sliceAxis] - 1} along axis ${options.sliceAxis}`,
          };
        dims = kept.map((axis) => header!.dims[axis]);
        spacing = kept.map((axis) => header!.spacing[axis] ?? 1);
      }
      inputs.push({
        input,
        label,
        ...common,
        ...(slice !== undefined ? { slice: { axis: options.sliceAxis, index: slice } } : {}),
        ...(!problem && dims ? { dims, spacing: spacing ?? dims.map(() => 1) } : {}),
        ...(problem ? { problem: `${relative(dirname(experiment.file), problem.file)}: ${problem.problem}` } : {}),
      });
      if (problem) problems.push({ ...problem, action: 'skipped', input });
    }
  }
  return { inputs, problems };
}
