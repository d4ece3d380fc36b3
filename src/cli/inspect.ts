/** `misas inspect`: what the ONNX file says and the model card misas derives from it. */
import { inferCard, inspectModel, readSidecar } from '../engine/model';
import type { InspectReport } from '../engine/model/inspectReport';

export async function inspectForCli(path: string): Promise<InspectReport> {
  const inspection = await inspectModel(path);
  return { inspection, resolution: inferCard(inspection, await readSidecar(path)) };
}
