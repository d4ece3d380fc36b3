/** The engine host's answer to "inspect model": the tensors, metadata and the model card misas infers. */
import { formatInspectReport } from '../cli/inspect';
import { MisasInputError } from '../engine/errors';
import { inferCard, inspectModel, readSidecar, type TensorDescription } from '../engine/model';
import type { ModelInspectionInfo, TensorInfo } from '../protocol/engine';

function tensorInfo(tensor: TensorDescription): TensorInfo {
  return { name: tensor.name, elementType: tensor.elementType, shape: tensor.shape.map((dim, i) => dim ?? tensor.dimNames[i] ?? '?') };
}

export async function inspectForEditor(modelPath: string): Promise<ModelInspectionInfo> {
  const inspection = await inspectModel(modelPath);
  const base = {
    path: modelPath,
    inputs: inspection.inputs.map(tensorInfo),
    outputs: inspection.outputs.map(tensorInfo),
    metadata: inspection.metadata,
  };
  try {
    const resolution = inferCard(inspection, await readSidecar(modelPath));
    return { ...base, card: resolution.card, report: formatInspectReport({ inspection, resolution }) };
  } catch (thrown) {
    // The tensors are still worth showing when the model cannot be used for segmentation.
    if (!(thrown instanceof MisasInputError)) throw thrown;
    const lines = [`model ${modelPath}`, 'inputs:', ...base.inputs.map(line), 'outputs:', ...base.outputs.map(line), '', `not usable by misas: ${thrown.problem}`];
    return { ...base, problem: thrown.problem, report: lines.join('\n') };
  }
}

function line(tensor: TensorInfo): string {
  return `  ${tensor.name}: ${tensor.elementType} [${tensor.shape.join(', ')}]`;
}
