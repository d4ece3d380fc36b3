/**
 * What an ONNX file says about itself: its input and output tensors (names, element types,
 * shapes with dynamic dims) and its metadata_props — and whether that can be a segmentation
 * model at all.
 */
import type * as ort from 'onnxruntime-node';
import { MisasInputError } from '../errors';
import { readOutputProducers } from './graphOutputs';
import { readOnnxMetadata } from './metadata';
import { readMonaiBundle, type MonaiBundle } from './monaiBundle';
import { openSession } from './session';

export interface TensorDescription {
  name: string;
  /** onnxruntime's element type name: 'float32', 'int64', … */
  elementType: string;
  /** One entry per axis: a fixed size, or null for a dynamic (symbolic or unknown) size. */
  shape: (number | null)[];
  /** The symbolic name of each dynamic axis ('batch', 'height', …), or null. */
  dimNames: (string | null)[];
}

export interface ModelInspection {
  path: string;
  inputs: TensorDescription[];
  outputs: TensorDescription[];
  /** The model's metadata_props. */
  metadata: Record<string, string>;
  /** Output tensor name → the operator that computes it ("Sigmoid", "Conv", …), when the graph could be read. */
  outputOps?: Record<string, string>;
  /** The MONAI bundle metadata around the model file, when there is one. */
  bundle?: MonaiBundle;
}

/** Input element types the engine can feed (it builds float32 tensors, float64 by conversion). */
export const FEEDABLE_TYPES: readonly string[] = ['float32', 'float64'];

function describeValue(value: ort.InferenceSession.ValueMetadata): TensorDescription {
  if (!value.isTensor) return { name: value.name, elementType: 'non-tensor', shape: [], dimNames: [] };
  return {
    name: value.name,
    elementType: value.type,
    shape: value.shape.map((dim) => (typeof dim === 'number' && dim > 0 ? dim : null)),
    dimNames: value.shape.map((dim) => (typeof dim === 'string' && dim ? dim : null)),
  };
}

/**
 * Describes an open session; `metadata` comes from readOnnxMetadata (the session does not expose
 * it), `found.outputOps` from readOutputProducers, `found.bundle` from readMonaiBundle.
 */
export function describeSession(
  session: ort.InferenceSession,
  path: string,
  metadata: Record<string, string>,
  found: { outputOps?: Record<string, string>; bundle?: MonaiBundle } = {},
): ModelInspection {
  const outputs = session.outputMetadata.map(describeValue);
  const { outputOps, bundle } = found;
  const ops =
    outputOps && Object.fromEntries(outputs.filter((t) => outputOps[t.name]).map((t) => [t.name, outputOps[t.name]]));
  return {
    path,
    inputs: session.inputMetadata.map(describeValue),
    outputs,
    metadata,
    ...(ops ? { outputOps: ops } : {}),
    ...(bundle ? { bundle } : {}),
  };
}

/** Opens the model once on the CPU, describes it and releases it. */
export async function inspectModel(path: string): Promise<ModelInspection> {
  const { session } = await openSession(path);
  try {
    return describeSession(session, path, await readOnnxMetadata(path), {
      outputOps: await readOutputProducers(path),
      bundle: await readMonaiBundle(path),
    });
  } finally {
    await session.release();
  }
}

export function formatShape(tensor: TensorDescription): string {
  return `[${tensor.shape.map((dim, i) => dim ?? tensor.dimNames[i] ?? '?').join(', ')}]`;
}

/**
 * Refuses models that cannot be per-pixel segmentation models whatever their card says:
 * several inputs, an input of rank other than 4 (2D) or 5 (3D), a non-float input, or an
 * output without spatial axes (a classifier's [N, K]).
 */
export function requireSegmentationShapes(inspection: ModelInspection, outputName?: string): void {
  const fail = (problem: string) => {
    throw new MisasInputError(inspection.path, problem);
  };
  if (inspection.inputs.length !== 1) {
    fail(
      `has ${inspection.inputs.length} inputs (${inspection.inputs.map((t) => t.name).join(', ')}); misas feeds segmentation models with exactly one image input`,
    );
  }
  const input = inspection.inputs[0];
  const rank = input.shape.length;
  if (rank !== 4 && rank !== 5) {
    fail(
      `is not a segmentation model: its input "${input.name}" has shape ${formatShape(input)} (rank ${rank}); expected rank 4 ([batch, channels, height, width]) or 5 ([batch, channels, depth, height, width])`,
    );
  }
  if (!FEEDABLE_TYPES.includes(input.elementType)) {
    fail(
      `its input "${input.name}" has element type ${input.elementType}; expected a float image tensor (${FEEDABLE_TYPES.join(' or ')})`,
    );
  }
  const output =
    outputName === undefined ? inspection.outputs[0] : inspection.outputs.find((t) => t.name === outputName);
  if (!output) {
    fail(
      outputName === undefined
        ? 'has no outputs'
        : `has no output named "${outputName}" (outputs: ${inspection.outputs.map((t) => t.name).join(', ')})`,
    );
    return;
  }
  if (output.shape.length < rank - 1) {
    fail(
      `is not a segmentation model: its output "${output.name}" has shape ${formatShape(output)}, without the ${rank - 2} spatial axes of its input ${formatShape(input)} (a classifier?)`,
    );
  }
  if (output.shape.length > rank) {
    fail(
      `its output "${output.name}" has shape ${formatShape(output)}, more axes than its input ${formatShape(input)}`,
    );
  }
}
