/** The text of `misas inspect` (also shown by VS Code's Inspect Model): what the ONNX file says and the card misas derives. */
import type { CardResolution } from './cardTypes';
import type { ModelInspection, TensorDescription } from './inspect';

export interface InspectReport {
  inspection: ModelInspection;
  resolution: CardResolution;
}

function tensorLine(tensor: TensorDescription): string {
  const shape = tensor.shape.map((dim, i) => dim ?? tensor.dimNames[i] ?? '?').join(', ');
  return `  ${tensor.name}: ${tensor.elementType} [${shape}]`;
}

export function formatInspectReport({ inspection, resolution }: InspectReport): string {
  const lines = [
    `model ${inspection.path}`,
    'inputs:',
    ...inspection.inputs.map(tensorLine),
    'outputs:',
    ...inspection.outputs.map(tensorLine),
  ];
  const metadata = Object.entries(inspection.metadata);
  if (metadata.length) lines.push('metadata:', ...metadata.map(([key, value]) => `  ${key} = ${value}`));
  if (resolution.bundle) lines.push(`MONAI bundle metadata: ${resolution.bundle}`);
  lines.push('model card (field: value ← source: sidecar, metadata, monai-bundle, model or default):');
  for (const [field, value] of Object.entries(resolution.card)) {
    const source = resolution.sources[field as keyof typeof resolution.sources];
    lines.push(`  ${field}: ${JSON.stringify(value)}${source ? `  ← ${source}` : ''}`);
  }
  if (resolution.warnings.length) lines.push('warnings:', ...resolution.warnings.map((warning) => `  ${warning}`));
  if (resolution.unresolved.length) {
    lines.push('assumed (write them into the model card to be sure):');
    for (const item of resolution.unresolved)
      lines.push(`  ${item.field}: ${JSON.stringify(item.assumed)} — ${item.reason}`);
  }
  return lines.join('\n');
}
