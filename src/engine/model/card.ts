/**
 * Resolving a model card: what the tensor shapes imply, overridden by a MONAI bundle's
 * metadata.json around the model, by the model's metadata_props, by the sidecar; defaults for
 * the rest, listed as unresolved.
 * A card that contradicts the shapes is refused with a message naming both sides.
 * This file resolves the input side and assembles the card; the output side (output kind,
 * classes) is cardOutput.ts, the bookkeeping of sources and assumptions cardResolver.ts.
 */
import { MisasInputError } from '../errors';
import { channelAxis, spatialAxes } from './axes';
import { checkOutputSpatialShape, resolveClasses, resolveOutput } from './cardOutput';
import { createResolver, plural, type Resolver } from './cardResolver';
import {
  layoutSpatialDims,
  type CardResolution,
  type InputLayout,
  type ModelCard,
  type ModelCardFile,
} from './cardTypes';
import { bundleCard } from './monaiBundle';
import { formatShape, requireSegmentationShapes, type ModelInspection, type TensorDescription } from './inspect';
import { formatOrientation, orientationMap, type Orientation } from './orientation';
import { metadataCard } from './sidecar';

export const DEFAULT_PAD_MULTIPLE = 16;
/** Neighbouring sliding windows share at least a quarter of their extent (MONAI's default). */
export const DEFAULT_WINDOW_OVERLAP = 0.25;

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
