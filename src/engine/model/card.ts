/**
 * Resolving a model card: what the tensor shapes imply, overridden by a MONAI bundle's
 * metadata.json around the model, by the model's metadata_props, by the sidecar; defaults for
 * the rest, listed as unresolved.
 * A card that contradicts the shapes is refused with a message naming both sides.
 */
import { MisasInputError } from '../errors';
import {
  isChannelsLast,
  layoutSpatialDims,
  type CardField,
  type CardResolution,
  type CardSource,
  type InputLayout,
  type ModelCard,
  type ModelCardFile,
  type OutputKind,
  type UnresolvedItem,
} from './cardTypes';
import { bundleCard, type BundleCard } from './monaiBundle';
import { formatShape, requireSegmentationShapes, type ModelInspection, type TensorDescription } from './inspect';
import { formatOrientation, orientationMap, type Orientation } from './orientation';
import { metadataCard, sidecarPath } from './sidecar';

export const DEFAULT_PAD_MULTIPLE = 16;
/** Neighbouring sliding windows share at least a quarter of their extent (MONAI's default). */
export const DEFAULT_WINDOW_OVERLAP = 0.25;
const INTEGER_TYPES = ['int8', 'uint8', 'int16', 'uint16', 'int32', 'uint32', 'int64', 'uint64', 'bool'];

/** Index of the channel axis for a layout of the given rank. */
export function channelAxis(layout: InputLayout): number {
  return isChannelsLast(layout) ? layout.length - 1 : 1;
}

/** The spatial axes of a tensor in image order (x, y[, z]) = (W, H[, D]), for a layout with a channel axis. */
export function spatialAxes(layout: InputLayout): number[] {
  const rank = layout.length;
  const first = isChannelsLast(layout) ? 1 : 2;
  return Array.from({ length: rank - 2 }, (_, i) => first + (rank - 3 - i));
}

/** Spatial axes, in image order, of a label-map output without a channel axis: [N, (D,) H, W]. */
export function labelSpatialAxes(rank: number): number[] {
  return Array.from({ length: rank - 1 }, (_, i) => rank - 1 - i);
}

function isChannelCount(dim: number | null): boolean {
  return dim === 1 || dim === 3;
}

/** Channels-first unless only the last axis looks like a channel axis. */
function inferLayout(input: TensorDescription, spatialDims: 2 | 3): { layout: InputLayout; decided: boolean } {
  const first = input.shape[1];
  const last = input.shape[input.shape.length - 1];
  const channelsFirst: InputLayout = spatialDims === 2 ? 'NCHW' : 'NCDHW';
  const channelsLast: InputLayout = spatialDims === 2 ? 'NHWC' : 'NDHWC';
  if (isChannelCount(first) && !isChannelCount(last)) return { layout: channelsFirst, decided: true };
  if (isChannelCount(last) && !isChannelCount(first)) return { layout: channelsLast, decided: true };
  return { layout: channelsFirst, decided: false };
}

function defaultClassNames(count: number): string[] {
  return Array.from({ length: count }, (_, i) => (i === 0 ? 'background' : `class ${i}`));
}

/** What every resolver needs: the model, the given card, and where to record sources and assumptions. */
interface Resolver {
  path: string;
  input: TensorDescription;
  given: ModelCardFile;
  /** An orientation the context suggests without stating it (a MONAI bundle's loading convention). */
  orientationHint?: BundleCard['orientationHint'];
  sources: Record<CardField, CardSource>;
  unresolved: UnresolvedItem[];
  /** Records that a field came from the sidecar or the metadata. */
  stated(field: CardField): void;
  assume(field: CardField, assumed: unknown, reason: string): void;
  conflict(field: keyof ModelCardFile, says: string, but: string): never;
}

function createResolver(
  inspection: ModelInspection,
  fromMetadata: ModelCardFile,
  sidecar: ModelCardFile | undefined,
  bundle: BundleCard | undefined,
): Resolver {
  const path = inspection.path;
  const fromBundle = bundle?.card ?? {};
  const sourceOf = (field: keyof ModelCardFile): CardSource =>
    sidecar?.[field] !== undefined
      ? 'sidecar'
      : fromMetadata[field] !== undefined
        ? 'metadata'
        : fromBundle[field] !== undefined
          ? 'monai-bundle'
          : 'default';
  const resolver: Resolver = {
    path,
    input: inspection.inputs[0],
    orientationHint: bundle?.orientationHint,
    given: { ...fromBundle, ...fromMetadata, ...(sidecar ?? {}) },
    sources: {} as Record<CardField, CardSource>,
    unresolved: [],
    stated(field) {
      resolver.sources[field] = sourceOf(field);
    },
    assume(field, assumed, reason) {
      resolver.sources[field] = 'default';
      resolver.unresolved.push({ field, assumed, reason });
    },
    conflict(field, says, but) {
      const source = sourceOf(field);
      const where =
        source === 'sidecar'
          ? `its card ${sidecarPath(path)}`
          : source === 'monai-bundle'
            ? `its MONAI bundle metadata ${inspection.bundle?.file}`
            : 'its metadata_props';
      throw new MisasInputError(path, `${where} says ${field} ${says}, but ${but}`);
    },
  };
  return resolver;
}

const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? '' : 's'}`;

function resolveLayout(r: Resolver, spatialDims: 2 | 3): InputLayout {
  const { input, given } = r;
  if (given.layout !== undefined) {
    if (layoutSpatialDims(given.layout) !== spatialDims) {
      r.conflict('layout', given.layout, `its input "${input.name}" ${formatShape(input)} is ${spatialDims}D`);
    }
    r.stated('layout');
    return given.layout;
  }
  const inferred = inferLayout(input, spatialDims);
  if (inferred.decided) r.sources.layout = 'model';
  else
    r.assume('layout', inferred.layout, `the shape ${formatShape(input)} does not show which axis holds the channels`);
  return inferred.layout;
}

function resolveChannels(r: Resolver, layout: InputLayout): 1 | 3 {
  const { input, given } = r;
  const modelChannels = input.shape[channelAxis(layout)];
  const wanted = given.channels ?? (given.channelMode === undefined ? undefined : given.channelMode === 'grey' ? 1 : 3);
  let channels: 1 | 3;
  if (wanted !== undefined) {
    const field = given.channels !== undefined ? 'channels' : 'channelMode';
    if (modelChannels !== null && modelChannels !== wanted) {
      r.conflict(
        field,
        field === 'channels' ? String(wanted) : `${given.channelMode} (${plural(wanted, 'channel')})`,
        `its input "${input.name}" ${formatShape(input)} takes ${plural(modelChannels, 'channel')} (${layout})`,
      );
    }
    channels = wanted;
    r.stated(field);
    r.sources.channels = r.sources[field];
  } else if (modelChannels === null) {
    channels = 1;
    r.assume('channels', 1, `the channel axis of ${formatShape(input)} is dynamic`);
  } else if (modelChannels === 1 || modelChannels === 3) {
    channels = modelChannels;
    r.sources.channels = 'model';
  } else {
    throw new MisasInputError(
      r.path,
      `its input "${input.name}" ${formatShape(input)} takes ${modelChannels} channels (${layout}); misas feeds 1 (grey) or 3 (grey repeated, or RGB)`,
    );
  }
  const channelMode = channels === 1 ? 'grey' : 'repeat-grey';
  if (given.channelMode !== undefined && given.channelMode !== channelMode)
    r.conflict('channelMode', given.channelMode, `channels is ${channels}`);
  r.sources.channelMode = r.sources.channels;
  return channels;
}

function resolveGeometry(r: Resolver, layout: InputLayout, spatialDims: 2 | 3): ModelCard['geometry'] {
  const { input, given } = r;
  const modelSize = spatialAxes(layout).map((axis) => input.shape[axis]);
  const fixedSize = modelSize.every((d) => d !== null) ? (modelSize as number[]) : undefined;
  const sizeText = `[${modelSize.map((d) => d ?? 'dynamic').join(', ')}] (width, height${spatialDims === 3 ? ', depth' : ''})`;
  if (given.geometry !== undefined) {
    const { policy, size, multiple, padValue = 'min', overlap, blend } = given.geometry;
    r.stated('geometry');
    if (size !== undefined && size.length !== spatialDims)
      r.conflict('geometry', `size [${size.join(', ')}]`, `the model is ${spatialDims}D`);
    if (policy === 'pad-to-multiple') {
      if (modelSize.some((d) => d !== null))
        r.conflict('geometry', 'policy pad-to-multiple', `its input size is fixed: ${sizeText}`);
      return { policy, multiple: multiple ?? DEFAULT_PAD_MULTIPLE, padValue };
    }
    if (size !== undefined && !modelSize.every((d, i) => d === null || d === size[i])) {
      r.conflict(
        'geometry',
        `size [${size.join(', ')}]`,
        `its input "${input.name}" ${formatShape(input)} takes ${sizeText}`,
      );
    }
    const resolvedSize = size ?? fixedSize;
    if (!resolvedSize) {
      throw new MisasInputError(
        r.path,
        `its card asks for geometry policy ${policy} but gives no size, and the model's input size is dynamic: add geometry.size`,
      );
    }
    if (policy === 'sliding-window') {
      return {
        policy,
        size: [...resolvedSize],
        padValue,
        overlap: overlap ?? DEFAULT_WINDOW_OVERLAP,
        blend: blend ?? 'gaussian',
      };
    }
    return { policy, size: [...resolvedSize], padValue };
  }
  if (fixedSize) {
    const geometry: ModelCard['geometry'] = { policy: 'resize', size: [...fixedSize], padValue: 'min' };
    r.assume(
      'geometry',
      geometry,
      spatialDims === 3
        ? 'the model takes a fixed size; resizing to it is assumed (sliding-window suits models trained on patches; pad-crop is the other alternative)'
        : 'the model takes a fixed size; resizing to it is assumed (pad-crop is the alternative)',
    );
    return geometry;
  }
  if (modelSize.every((d) => d === null)) {
    const geometry: ModelCard['geometry'] = {
      policy: 'pad-to-multiple',
      multiple: DEFAULT_PAD_MULTIPLE,
      padValue: 'min',
    };
    r.assume(
      'geometry',
      geometry,
      `the model takes any size; padding to a multiple of ${DEFAULT_PAD_MULTIPLE} is assumed`,
    );
    return geometry;
  }
  throw new MisasInputError(
    r.path,
    `its input size ${sizeText} is partly fixed and partly dynamic; its card must give geometry (policy and size)`,
  );
}

function resolveNormalization(r: Resolver, channels: 1 | 3): ModelCard['normalization'] {
  const given = r.given.normalization;
  if (given === undefined) {
    const normalization: ModelCard['normalization'] = { kind: 'z-score', statistics: 'image' };
    r.assume('normalization', normalization, 'neither the model nor a card says how intensities are normalised');
    return normalization;
  }
  for (const [name, value] of [
    ['mean', given.mean],
    ['std', given.std],
  ] as const) {
    if (Array.isArray(value) && value.length !== 1 && value.length !== channels) {
      r.conflict(
        'normalization',
        `${name} with ${value.length} values`,
        `the model takes ${plural(channels, 'channel')}`,
      );
    }
  }
  r.stated('normalization');
  return { ...given, statistics: given.statistics ?? 'image' };
}

interface ResolvedOutput {
  output: ModelCard['output'];
  tensor: TensorDescription;
  hasChannelAxis: boolean;
  /** Size of the output's channel axis, null when dynamic or absent. */
  classChannels: number | null;
}

function resolveOutput(
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

function resolveClasses(r: Resolver, { output, tensor, classChannels }: ResolvedOutput): string[] {
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

function resolveOrientation(r: Resolver, spatialDims: 2 | 3): Orientation {
  const given = r.given.orientation;
  if (given !== undefined) {
    if (!orientationMap(given, spatialDims)) {
      r.conflict(
        'orientation',
        formatOrientation(given),
        spatialDims === 2
          ? 'the model is 2D: orientation is one of as-stored, transposed, flipped-vertical, flipped-horizontal, rotated-180, rotated-90, rotated-270, anti-transposed'
          : 'the model is 3D: orientation is as-stored, reversed-axes or { "axes": a permutation of [0, 1, 2], "flip": [three booleans] }',
      );
    }
    r.stated('orientation');
    return given;
  }
  if (r.orientationHint) {
    r.assume('orientation', r.orientationHint.value, r.orientationHint.reason);
    r.sources.orientation = 'monai-bundle';
    return r.orientationHint.value;
  }
  r.assume(
    'orientation',
    'as-stored',
    spatialDims === 2
      ? "the model does not say how its training slices were laid out; as stored (rows = y, columns = x, as ITK/SimpleITK, PNG and DICOM read them) is assumed; a model trained on nibabel's data[:, :, k] wants transposed"
      : 'the model does not say how its training volumes were laid out; as stored (tensor D, H, W = z, y, x, as ITK/SimpleITK read them) is assumed; a model trained on nibabel or MONAI LoadImage arrays wants reversed-axes',
  );
  return 'as-stored';
}

/**
 * Resolves the card of an inspected model; `sidecar` is the parsed `<model>.onnx.misas.json`, if
 * any. Precedence: sidecar > metadata_props > MONAI bundle metadata > tensor shapes > defaults.
 */
export function inferCard(inspection: ModelInspection, sidecar?: ModelCardFile): CardResolution {
  const { card: fromMetadata, warnings } = metadataCard(inspection.metadata, inspection.path);
  requireSegmentationShapes(inspection, (sidecar?.output ?? fromMetadata.output)?.name);
  const bundle = inspection.bundle && bundleCard(inspection.bundle, inspection.inputs[0], inspection.outputs[0]);
  if (bundle) warnings.push(...bundle.warnings);
  const r = createResolver(inspection, fromMetadata, sidecar, bundle);
  const { input, given } = r;

  // The input rank decides 2D or 3D.
  const spatialDims: 2 | 3 = input.shape.length === 4 ? 2 : 3;
  if (given.spatialDims !== undefined && given.spatialDims !== spatialDims) {
    r.conflict(
      'spatialDims',
      String(given.spatialDims),
      `its input "${input.name}" ${formatShape(input)} is ${spatialDims}D`,
    );
  }
  r.sources.spatialDims = 'model';

  const layout = resolveLayout(r, spatialDims);
  const channels = resolveChannels(r, layout);
  const geometry = resolveGeometry(r, layout, spatialDims);
  const normalization = resolveNormalization(r, channels);
  const resolvedOutput = resolveOutput(r, inspection, layout, spatialDims);
  const classes = resolveClasses(r, resolvedOutput);
  if (resolvedOutput.tensor.shape.length > 0) {
    checkOutputSpatialShape(
      inspection,
      input,
      resolvedOutput.tensor,
      layout,
      resolvedOutput.output.layout,
      resolvedOutput.hasChannelAxis,
    );
  }

  let sliceAxis: ModelCard['sliceAxis'];
  if (spatialDims === 2) {
    sliceAxis = given.sliceAxis ?? 2;
    if (given.sliceAxis !== undefined) r.stated('sliceAxis');
    else r.assume('sliceAxis', 2, 'volumes are sliced into (x, y) planes unless the card says otherwise');
  } else {
    r.sources.sliceAxis = 'model';
  }
  const orientation = resolveOrientation(r, spatialDims);

  const card: ModelCard = {
    spatialDims,
    layout,
    channels,
    channelMode: channels === 1 ? 'grey' : 'repeat-grey',
    geometry,
    normalization,
    output: resolvedOutput.output,
    classes,
    ...(sliceAxis === undefined ? {} : { sliceAxis }),
    orientation,
  };
  if (given.description !== undefined) card.description = given.description;
  return {
    card,
    sources: r.sources,
    unresolved: r.unresolved,
    warnings,
    ...(inspection.bundle ? { bundle: inspection.bundle.file } : {}),
  };
}

/** Output and input spatial sizes must agree where both are fixed (dynamic ones are checked at run time). */
function checkOutputSpatialShape(
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
