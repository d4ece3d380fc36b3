import type { TransformSummary } from '../../protocol/engine';
import { transforms } from './registry';

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
  }));
}
