import { transforms } from './registry';
import type { Sweep } from './sweep';

/** One transform of the registry as plain data (`misas transforms --json`, the engine host's `listTransforms`). */
export interface TransformSummary {
  name: string;
  title: string;
  kind: 'spatial' | 'intensity';
  parameter: string;
  unit: string;
  /** The value that leaves the input unchanged; null where it depends on the input (resize). */
  identity: number | null;
  /** The default sweep in words. */
  defaultSweep: string;
  /** The default sweep as an experiment file writes it; null where it depends on the input (resize). */
  defaultRange: Sweep | null;
  /** Severity levels 1…5 in words (a series' `"severities"`). */
  severities: string;
  /** Their parameter values; null where they depend on the input (pixels). */
  severityValues: number[] | null;
}

/** The registry as plain data, for help texts, the engine protocol and the UI. */
export function summarizeTransforms(): TransformSummary[] {
  return transforms.map((spec) => ({
    name: spec.name,
    title: spec.title,
    kind: spec.kind,
    parameter: spec.parameter.name,
    unit: spec.parameter.unit,
    identity: spec.identityFor ? null : spec.identity,
    defaultSweep: spec.defaultSweepText,
    defaultRange: typeof spec.defaultSweep === 'function' ? null : spec.defaultSweep,
    severities: spec.severities?.text ?? '',
    severityValues:
      !spec.severities || typeof spec.severities.values === 'function' ? null : [...spec.severities.values],
  }));
}
