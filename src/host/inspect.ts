/** The engine host's answer to "inspect model": the tensors, metadata and the model card misas infers. */
import { MisasInputError } from '../engine/errors';
import {
  inferCard,
  inspectModel,
  metadataCard,
  readSidecar,
  sidecarPath,
  validateCardFile,
  type ModelCardFile,
  type TensorDescription,
} from '../engine/model';
import type { ModelInspectionInfo, TensorInfo } from '../protocol/engine';
import { fileExists } from '../engine/io/files';
import { formatInspectReport } from '../engine/model/inspectReport';

function tensorInfo(tensor: TensorDescription): TensorInfo {
  return {
    name: tensor.name,
    elementType: tensor.elementType,
    shape: tensor.shape.map((dim, i) => dim ?? tensor.dimNames[i] ?? '?'),
  };
}

/**
 * Inspects a model and resolves its card. `card`, when given, stands in for the sidecar on disk
 * (validated as if it were that file): the wizard checks its answers against the model with it.
 */
export async function inspectForEditor(modelPath: string, card?: ModelCardFile): Promise<ModelInspectionInfo> {
  const inspection = await inspectModel(modelPath);
  const sidecar = sidecarPath(modelPath);
  const base = {
    path: modelPath,
    inputs: inspection.inputs.map(tensorInfo),
    outputs: inspection.outputs.map(tensorInfo),
    metadata: inspection.metadata,
    ...((await fileExists(sidecar)) ? { sidecar } : {}),
  };
  try {
    const onDisk = card === undefined ? await readSidecar(modelPath) : undefined;
    const given = card === undefined ? onDisk : validateCardFile(card, sidecar);
    const resolution = inferCard(inspection, given);
    return {
      ...base,
      card: resolution.card,
      unresolved: resolution.unresolved,
      sources: resolution.sources,
      ...(onDisk ? { sidecarCard: onDisk } : {}),
      metadataCard: metadataCard(inspection.metadata, modelPath).card,
      report: formatInspectReport({ inspection, resolution }),
    };
  } catch (thrown) {
    // The tensors are still worth showing when the model cannot be used for segmentation.
    if (!(thrown instanceof MisasInputError)) throw thrown;
    const lines = [
      `model ${modelPath}`,
      'inputs:',
      ...base.inputs.map(line),
      'outputs:',
      ...base.outputs.map(line),
      '',
      `not usable by misas: ${thrown.problem}`,
    ];
    return {
      ...base,
      problem: thrown.problem,
      ...(thrown.file ? { problemFile: thrown.file } : {}),
      report: lines.join('\n'),
    };
  }
}

function line(tensor: TensorInfo): string {
  return `  ${tensor.name}: ${tensor.elementType} [${tensor.shape.join(', ')}]`;
}
