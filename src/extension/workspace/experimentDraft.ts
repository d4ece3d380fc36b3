/**
 * The experiment file the wizard and "New Experiment" write: paths relative to the file, series
 * by name (the registry's default sweep applies) or with their default range spelled out for
 * editing. Pure, so the tests can check it against the engine's validation.
 */
import * as path from 'node:path';
import type { Experiment, ExperimentSeries } from '../../engine/sweep/experiment/types';
import type { TransformSummary } from '../../protocol/engine';

export interface ExperimentDraft {
  /** Absolute path of the experiment file to write. */
  file: string;
  name: string;
  description?: string;
  /** Absolute paths. */
  model: string;
  inputs: Array<{ image: string; mask?: string }>;
  series: string[];
  /** Write each series' default sweep explicitly (values or start/stop/step), ready to edit: the registry as the engine lists it. */
  explicitRanges?: readonly TransformSummary[];
}

/** A path relative to the experiment's folder, with forward slashes (the file is shared across platforms). */
export function relativeToExperiment(experimentFile: string, target: string): string {
  return path.relative(path.dirname(experimentFile), target).split(path.sep).join('/');
}

/** A series by transform name alone: the engine sweeps the registry's default range. */
export function namedSeries(transform: string): ExperimentSeries {
  // The type insists on a sweep, the schema and the engine do not: an absent one means the default.
  return { transform } as ExperimentSeries;
}

function seriesEntry(transform: string, registry: readonly TransformSummary[] | undefined): ExperimentSeries {
  const range = registry?.find((t) => t.name === transform)?.defaultRange;
  // A default that depends on the input size (resize) stays implicit: no fixed range to write.
  return range ? { transform, ...range } : namedSeries(transform);
}

export function draftExperiment(draft: ExperimentDraft): Experiment {
  return {
    name: draft.name,
    ...(draft.description ? { description: draft.description } : {}),
    model: relativeToExperiment(draft.file, draft.model),
    inputs: draft.inputs.map((input) => ({
      image: relativeToExperiment(draft.file, input.image),
      ...(input.mask ? { mask: relativeToExperiment(draft.file, input.mask) } : {}),
    })),
    series: draft.series.map((name) => seriesEntry(name, draft.explicitRanges)),
    metrics: ['dice'],
  };
}

/** JSON with one line per input and per series, like the bundled example: easy to read and to edit. */
export function experimentText(experiment: Experiment): string {
  const lines: string[] = ['{'];
  const entries = Object.entries(experiment).filter(([, value]) => value !== undefined);
  entries.forEach(([key, value], index) => {
    const comma = index < entries.length - 1 ? ',' : '';
    if (Array.isArray(value) && value.some((item) => item && typeof item === 'object')) {
      lines.push(`  ${JSON.stringify(key)}: [`);
      value.forEach((item, i) => lines.push(`    ${oneLine(item)}${i < value.length - 1 ? ',' : ''}`));
      lines.push(`  ]${comma}`);
    } else {
      lines.push(`  ${JSON.stringify(key)}: ${oneLine(value)}${comma}`);
    }
  });
  lines.push('}');
  return lines.join('\n') + '\n';
}

/** JSON.stringify on one line with a space after colons and commas. */
function oneLine(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(oneLine).join(', ')}]`;
  if (value && typeof value === 'object') {
    const body = Object.entries(value)
      .map(([key, item]) => `${JSON.stringify(key)}: ${oneLine(item)}`)
      .join(', ');
    return body ? `{ ${body} }` : '{}';
  }
  return JSON.stringify(value);
}
