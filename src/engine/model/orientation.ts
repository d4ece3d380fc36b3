/**
 * The model card's `orientation`: how the model wants an image's array laid out relative to
 * the way misas stores it, and the exact (pixel-permuting) maps there and back.
 *
 * misas stores an image with the first axis x fastest; as a C-order array that is [y][x]
 * (2D: rows = y, columns = x) or [z][y][x] (3D), the layout ITK, SimpleITK, PNG and DICOM give.
 * Every orientation is a transpose of that C-order array followed by flips of the transposed
 * array's axes — `numpy.flip(numpy.transpose(a, axes), [i for i, f in enumerate(flip) if f])` —
 * so it only moves values: applying and inverting it round-trips bit for bit.
 */

/** The eight symmetries of a slice, named as people describe them. */
export type Orientation2d =
  | 'as-stored'
  | 'transposed'
  | 'flipped-vertical'
  | 'flipped-horizontal'
  | 'rotated-180'
  | 'rotated-90'
  | 'rotated-270'
  | 'anti-transposed';

/** 3D: tensor spatial axis i (D, H, W) is axis `axes[i]` of the stored [z][y][x] array, reversed when flip[i]. */
export interface AxesOrientation {
  axes: [number, number, number];
  /** Default: no flips. */
  flip?: [boolean, boolean, boolean];
}

export type Orientation3dPreset = 'as-stored' | 'reversed-axes';
export type Orientation = Orientation2d | Orientation3dPreset | AxesOrientation;

/** An orientation as numbers: C-order axis permutation and flips of the permuted axes (length 2 or 3). */
export interface OrientationMap {
  axes: number[];
  flip: boolean[];
}

export interface OrientationChoice<T extends Orientation = Orientation> {
  value: T;
  map: OrientationMap;
  /** What the model sees, in the words of the tools people train with. */
  description: string;
}

/** The eight 2D orientations, in the order a wizard offers them (the common ones first). */
export const ORIENTATIONS_2D: readonly OrientationChoice<Orientation2d>[] = [
  {
    value: 'as-stored',
    map: { axes: [0, 1], flip: [false, false] },
    description: 'rows = y, columns = x, as stored: what ITK/SimpleITK (GetArrayFromImage), PNG, DICOM and PIL give',
  },
  {
    value: 'transposed',
    map: { axes: [1, 0], flip: [false, false] },
    description: "rows = x, columns = y (the stored slice's .T): what nibabel/NumPy img.get_fdata()[:, :, k] gives",
  },
  {
    value: 'flipped-vertical',
    map: { axes: [0, 1], flip: [true, false] },
    description: 'rows reversed (np.flipud): the last row on top',
  },
  {
    value: 'flipped-horizontal',
    map: { axes: [0, 1], flip: [false, true] },
    description: 'columns reversed (np.fliplr): mirrored left-right',
  },
  {
    value: 'rotated-180',
    map: { axes: [0, 1], flip: [true, true] },
    description: 'turned half way (np.rot90(a, 2)): rows and columns reversed',
  },
  {
    value: 'rotated-90',
    map: { axes: [1, 0], flip: [true, false] },
    description: 'a quarter turn counter-clockwise as displayed, row 0 on top (np.rot90(a, 1) = np.flipud(a.T))',
  },
  {
    value: 'rotated-270',
    map: { axes: [1, 0], flip: [false, true] },
    description: 'a quarter turn clockwise as displayed (np.rot90(a, 3) = np.rot90(a, -1) = np.fliplr(a.T))',
  },
  {
    value: 'anti-transposed',
    map: { axes: [1, 0], flip: [true, true] },
    description: 'mirrored across the other diagonal (np.rot90(a, 2).T): rows = x reversed, columns = y reversed',
  },
];

/** The 3D presets; any other axis order and flips are written as { axes, flip }. */
export const ORIENTATIONS_3D: readonly OrientationChoice<Orientation3dPreset>[] = [
  {
    value: 'as-stored',
    map: { axes: [0, 1, 2], flip: [false, false, false] },
    description: 'tensor D, H, W = z, y, x: what ITK/SimpleITK (GetArrayFromImage) give for a NIfTI volume',
  },
  {
    value: 'reversed-axes',
    map: { axes: [2, 1, 0], flip: [false, false, false] },
    description: 'tensor D, H, W = x, y, z: nibabel get_fdata() and MONAI LoadImage (channel-first) layout',
  },
];

export const DEFAULT_ORIENTATION: Orientation = 'as-stored';

/** The numbers of an orientation for a model of `spatialDims`, or undefined when it does not apply to it. */
export function orientationMap(orientation: Orientation, spatialDims: 2 | 3): OrientationMap | undefined {
  if (typeof orientation === 'object') {
    const flip = orientation.flip ?? [false, false, false];
    if (spatialDims !== 3 || !isPermutation(orientation.axes, 3) || flip.length !== 3) return undefined;
    return { axes: [...orientation.axes], flip: [...flip] };
  }
  const choices: readonly OrientationChoice[] = spatialDims === 2 ? ORIENTATIONS_2D : ORIENTATIONS_3D;
  const map = choices.find((choice) => choice.value === orientation)?.map;
  return map && { axes: [...map.axes], flip: [...map.flip] };
}

export function isPermutation(axes: readonly number[], n: number): boolean {
  return axes.length === n && [...axes].sort().every((a, i) => a === i);
}

export function isIdentityOrientation(map: OrientationMap): boolean {
  return map.axes.every((a, i) => a === i) && !map.flip.some(Boolean);
}

/** Image-order dims [nx, ny(, nz)] after the orientation. */
export function orientedDims(dims: readonly number[], map: OrientationMap): number[] {
  const stored = [...dims].reverse(); // C-order shape
  return map.axes.map((a) => stored[a]).reverse();
}

/**
 * For every position of the oriented array (in its own fastest-first order), the index of
 * the stored value it holds. Both directions use it, so they agree exactly.
 */
function sourceIndices(dims: readonly number[], map: OrientationMap): Int32Array {
  const n = dims.length;
  const stored = [...dims].reverse();
  const storedStride = new Array<number>(n);
  for (let a = n - 1, s = 1; a >= 0; a--) {
    storedStride[a] = s;
    s *= stored[a];
  }
  // Per oriented C-order axis i: its extent, and how a step along it moves in the stored array.
  const extent = map.axes.map((a) => stored[a]);
  const step = map.axes.map((a, i) => (map.flip[i] ? -storedStride[a] : storedStride[a]));
  let start = 0;
  map.axes.forEach((a, i) => {
    if (map.flip[i]) start += (stored[a] - 1) * storedStride[a];
  });
  const total = extent.reduce((p, e) => p * e, 1);
  const indices = new Int32Array(total);
  // Pad to three axes so one loop nest serves 2D and 3D.
  const [e0, e1, e2] = n === 3 ? extent : [1, ...extent];
  const [s0, s1, s2] = n === 3 ? step : [0, ...step];
  let k = 0;
  for (let i = 0; i < e0; i++) {
    for (let j = 0; j < e1; j++) {
      let at = start + i * s0 + j * s1;
      for (let l = 0; l < e2; l++, at += s2) indices[k++] = at;
    }
  }
  return indices;
}

type Planar = Float32Array | Float64Array | Uint8Array | Uint16Array;

export interface OrientedPlanes<T extends Planar> {
  data: T;
  dims: number[];
}

/** Puts planar channels stored on `dims` into the model's orientation (a new array; the input is not changed). */
export function applyOrientation<T extends Planar>(
  data: T,
  dims: readonly number[],
  channels: number,
  map: OrientationMap,
): OrientedPlanes<T> {
  const outDims = orientedDims(dims, map);
  const source = sourceIndices(dims, map);
  const voxels = source.length;
  const out = new (data.constructor as new (length: number) => T)(data.length);
  for (let c = 0; c < channels; c++) {
    const base = c * voxels;
    for (let v = 0; v < voxels; v++) out[base + v] = data[base + source[v]];
  }
  return { data: out, dims: outDims };
}

/**
 * Brings planar per-class scores or a label map from the model's orientation back onto the
 * stored grid `dims` (the dims before the orientation).
 */
export function invertOrientation<T extends Planar>(
  data: T,
  dims: readonly number[],
  planes: number,
  map: OrientationMap,
): T {
  const source = sourceIndices(dims, map);
  const voxels = source.length;
  const out = new (data.constructor as new (length: number) => T)(data.length);
  for (let c = 0; c < planes; c++) {
    const base = c * voxels;
    for (let v = 0; v < voxels; v++) out[base + source[v]] = data[base + v];
  }
  return out;
}

export interface OrientedSlice<T extends Planar> {
  data: T;
  /** Width and height (columns and rows) as the model sees the slice. */
  w: number;
  h: number;
}

/** One slice (planar channels, stored width w × height h) in a 2D orientation, for callers that think in slices. */
export function orientSlice<T extends Planar>(
  data: T,
  w: number,
  h: number,
  orientation: Orientation2d,
  channels = 1,
): OrientedSlice<T> {
  const oriented = applyOrientation(data, [w, h], channels, orientationMap(orientation, 2)!);
  return { data: oriented.data, w: oriented.dims[0], h: oriented.dims[1] };
}

/** Per-class scores or labels (`planes` planes) of a slice in a 2D orientation, back on the stored w × h slice. */
export function unorientSlice<T extends Planar>(
  data: T,
  w: number,
  h: number,
  orientation: Orientation2d,
  planes = 1,
): T {
  return invertOrientation(data, [w, h], planes, orientationMap(orientation, 2)!);
}

/** How an orientation reads in messages: its preset name, or its axes and flips. */
export function formatOrientation(orientation: Orientation): string {
  return typeof orientation === 'string' ? orientation : JSON.stringify(orientation);
}
