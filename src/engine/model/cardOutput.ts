/**
 * The output side of a model card: which tensor holds the segmentation, how to read it
 * (labels, logits, probabilities or a sigmoid score), how many classes it has and their names,
 * and that its spatial size matches the input's.
 */
import { MisasInputError } from '../errors';
import { channelAxis, labelSpatialAxes, spatialAxes } from './axes';
import { layoutSpatialDims, type InputLayout, type ModelCard, type OutputKind } from './cardTypes';
import type { Resolver } from './cardResolver';
import { formatShape, type ModelInspection, type TensorDescription } from './inspect';

const INTEGER_TYPES = ['int8', 'uint8', 'int16', 'uint16', 'int32', 'uint32', 'int64', 'uint64', 'bool'];

function defaultClassNames(count: number): string[] {
  return Array.from({ length: count }, (_, i) => (i === 0 ? 'background' : `class ${i}`));
}

export interface ResolvedOutput {
  output: ModelCard['output'];
  tensor: TensorDescription;
  hasChannelAxis: boolean;
  /** Size of the output's channel axis, null when dynamic or absent. */
  classChannels: number | null;
}

export function resolveOutput(
  r: Resolver,
  inspection: ModelInspection,
  layout: InputLayout,
  spatialDims: 2 | 3,
): ResolvedOutput {
  const { given } = r;
  const rank = r.input.shape.length;
  const tensor =
    given.output?.name === undefined
      ? inspection.outputs[0]
      : inspection.outputs.find((t) => t.name === given.output!.name)!;
  const outputRank = tensor.shape.length === 0 ? rank : tensor.shape.length; // unknown shape: assume like the input
  const integerOutput = INTEGER_TYPES.includes(tensor.elementType);
  const hasChannelAxis = outputRank === rank;
  const outputLayout = given.output?.layout ?? layout;
  if (layoutSpatialDims(outputLayout) !== spatialDims)
    r.conflict('output', `layout ${outputLayout}`, `the model is ${spatialDims}D`);
  const classChannels = hasChannelAxis ? (tensor.shape[channelAxis(outputLayout)] ?? null) : null;
  const shape = `its output "${tensor.name}" ${formatShape(tensor)}`;
  let kind: OutputKind;
  if (given.output !== undefined) {
    kind = given.output.kind;
    if (kind !== 'labels' && (integerOutput || !hasChannelAxis))
      r.conflict('output', `kind ${kind}`, `${shape} (${tensor.elementType}) is a label map`);
    if (kind === 'labels' && classChannels !== null && classChannels !== 1)
      r.conflict('output', 'kind labels', `${shape} has ${classChannels} channels (${outputLayout})`);
    if ((kind === 'logits' || kind === 'probabilities') && classChannels === 1) {
      r.conflict(
        'output',
        `kind ${kind}`,
        `${shape} has a single channel (softmax over one channel is always 1; use sigmoid)`,
      );
    }
    r.stated('output');
  } else if (integerOutput || !hasChannelAxis) {
    kind = 'labels';
    r.sources.output = 'model';
  } else {
    kind = classChannels === 1 ? 'sigmoid' : 'logits';
    r.assume(
      'output',
      kind,
      kind === 'sigmoid'
        ? 'a single-channel output is assumed to be a sigmoid score'
        : 'several output channels are assumed to be logits (probabilities give the same labels)',
    );
  }
  const output: ModelCard['output'] = { kind, name: tensor.name, layout: outputLayout };
  if (kind === 'sigmoid') {
    output.threshold = given.output?.threshold ?? 0.5;
    // A graph that ends in a Sigmoid outputs probabilities: thresholding them in logit space
    // (sigmoidApplied false) would make every pixel foreground.
    const endsInSigmoid = inspection.outputOps?.[tensor.name] === 'Sigmoid';
    const stated = given.output?.sigmoidApplied;
    if (stated === false && endsInSigmoid)
      r.conflict(
        'output',
        'sigmoidApplied false',
        `its output "${tensor.name}" is computed by a Sigmoid node, so it holds probabilities (sigmoidApplied true)`,
      );
    output.sigmoidApplied = stated ?? endsInSigmoid;
  }
  return { output, tensor, hasChannelAxis, classChannels };
}

export function resolveClasses(r: Resolver, { output, tensor, classChannels }: ResolvedOutput): string[] {
  const kind = output.kind;
  const expected =
    classChannels === null || kind === 'labels' ? null : kind === 'sigmoid' ? classChannels + 1 : classChannels;
  const given = r.given.classes;
  if (given !== undefined) {
    if (expected !== null && given.length !== expected) {
      r.conflict(
        'classes',
        `${given.length} names`,
        `its output "${tensor.name}" ${formatShape(tensor)} (${kind}) has ${expected} classes${kind === 'sigmoid' ? ' (background + one per channel)' : ''}`,
      );
    }
    r.stated('classes');
    return [...given];
  }
  const classes = defaultClassNames(expected ?? 2);
  r.assume(
    'classes',
    classes,
    expected === null
      ? 'the output does not show how many classes there are; 2 are assumed'
      : 'the model does not name its classes',
  );
  return classes;
}

/** Output and input spatial sizes must agree where both are fixed (dynamic ones are checked at run time). */
export function checkOutputSpatialShape(
  inspection: ModelInspection,
  input: TensorDescription,
  output: TensorDescription,
  layout: InputLayout,
  outputLayout: InputLayout,
  hasChannelAxis: boolean,
): void {
  const inputSize = spatialAxes(layout).map((axis) => input.shape[axis]);
  const outputSize = (hasChannelAxis ? spatialAxes(outputLayout) : labelSpatialAxes(output.shape.length)).map(
    (axis) => output.shape[axis],
  );
  const differs = inputSize.some((d, i) => d !== null && outputSize[i] !== null && d !== outputSize[i]);
  if (differs) {
    throw new MisasInputError(
      inspection.path,
      `its output "${output.name}" ${formatShape(output)} does not have the spatial size of its input "${input.name}" ${formatShape(input)}; misas needs one label per input pixel`,
    );
  }
}
