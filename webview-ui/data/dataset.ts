/**
 * What a run's dataset is made of, for the header and the toolbar: which inputs have rows (an
 * input with a problem has none), which groups they form, and what went wrong with the others.
 */
import type { InputProblem } from '../../src/engine/dataset/types';
import type { RunResults } from '../../src/engine/report/results';

/** Inputs that have rows in any series (for one model when `model` is given), ascending. */
export function inputsWithRows(results: RunResults, model?: number): number[] {
  const inputs = new Set<number>();
  for (const series of results.series)
    for (const row of series.rows) if (model === undefined || row.model === model) inputs.add(row.input);
  return [...inputs].sort((a, b) => a - b);
}

/** Distinct groups of the run's inputs, sorted (as the engine's aggregates are); empty when none has one. */
export function groupsOf(results: RunResults): string[] {
  const groups = new Set<string>();
  for (const input of results.inputs) if (input.group !== undefined) groups.add(input.group);
  return [...groups].sort();
}

export interface DatasetFacts {
  /** Inputs listed in the run (with or without rows). */
  inputs: number;
  /** Inputs with rows. */
  usable: number;
  groups: string[];
  /** What the run went on without (skipped files, pseudo-truth, unreadable inputs). */
  problems: InputProblem[];
}

/**
 * The dataset in numbers. Problems are the run's `problems`, plus inputs that carry a `problem`
 * the list does not already name (a file that failed while loading keeps its input index).
 */
export function datasetFacts(results: RunResults): DatasetFacts {
  const problems = [...(results.problems ?? [])];
  for (const input of results.inputs) {
    if (input.problem === undefined) continue;
    const listed = problems.some(
      (p) => p.input === input.input || (p.input === undefined && p.file === input.imagePath),
    );
    if (!listed)
      problems.push({ file: input.imagePath, problem: input.problem, action: 'skipped', input: input.input });
  }
  return { inputs: results.inputs.length, usable: inputsWithRows(results).length, groups: groupsOf(results), problems };
}

/** The file name of a path (for compact lists; the full path is in the title). */
export function baseName(path: string): string {
  return path.split(/[\\/]/).at(-1) ?? path;
}
