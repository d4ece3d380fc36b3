/**
 * Distances from the edge voxels of one mask to the nearest edge voxel of another, exactly as
 * the distance transform of the whole box gives them (edt.ts), found by looking only around the
 * edges: a surface has far fewer voxels than its bounding box, and the two masks a metric compares
 * mostly lie within a few voxels of each other.
 *
 * - Edges are kept twice: as a bit grid padded with background on every side (an eighth of a byte
 *   grid, so a brain-sized box stays in cache and costs no fresh pages), and as the list of their
 *   indices in that grid (storage order), so no step scans the whole box again.
 * - Near: every offset within NEAR_VOXELS voxels of the finest spacing, sorted by length, is
 *   tried in turn; the first that lands on a target edge is the nearest, since every shorter
 *   offset was tried before it (the padding keeps every try inside the grid).
 * - Far (nothing that near): the target edges are sorted into cubes of BUCKET voxels, searched
 *   ring of cubes by ring until no further ring can hold anything closer.
 * - If the far search costs more than a distance transform of the box would, the voxels it has
 *   left are read from that transform (the same values: results never depend on the route).
 * Squared lengths are summed in the transform's order, (s_z·d_z·d_z) + ((s_y·d_y·d_y) + (s_x·d_x·d_x)),
 * so the distances equal the transform's.
 */
import { squaredDistanceTransform } from './edt';
import { IndexList } from './indexList';

export { IndexList };

/** Radius of the near search, in voxels of the finest spacing. */
const NEAR_VOXELS = 8;
/** Edge of the far search's cubes, in voxels. */
const BUCKET = 8;
/** Far-search distance evaluations allowed per voxel of the box before the transform takes over. */
const FAR_BUDGET_PER_VOXEL = 4;

/** A box of voxels padded for the near search, with its spacing. */
export interface PaddedBox {
  /** The box's dims ([nx, ny] or [nx, ny, nz]) and voxel size in mm. */
  dims: readonly number[];
  spacing: readonly number[];
  nx: number;
  ny: number;
  nz: number;
  /** Background voxels added before and after the box along each axis. */
  pad: [number, number, number];
  /** Padded row length and rows per padded plane. */
  width: number;
  height: number;
  /** Squared spacing per axis (0 for a missing third axis: its offsets are always 0). */
  s2: [number, number, number];
  finest: number;
}

export function paddedBox(dims: readonly number[], spacing: readonly number[]): PaddedBox {
  if (dims.length < 2 || dims.length > 3) throw new RangeError(`masks have 2 or 3 axes, got ${dims.length}`);
  const axes = dims.length;
  const finest = Math.min(...spacing.slice(0, axes));
  const radius = NEAR_VOXELS * finest;
  // One voxel beyond the radius along each axis, so no offset within it leaves the grid.
  const pad = [0, 1, 2].map((axis) => (axis < axes ? Math.floor(radius / spacing[axis]) + 1 : 0)) as [
    number,
    number,
    number,
  ];
  const [nx, ny, nz = 1] = dims;
  const s2 = [0, 1, 2].map((axis) => (axis < axes ? spacing[axis] * spacing[axis] : 0)) as [number, number, number];
  return {
    dims,
    spacing,
    nx,
    ny,
    nz,
    pad,
    width: nx + 2 * pad[0],
    height: ny + 2 * pad[1],
    s2,
    finest,
  };
}

/** Index in the padded grid of box voxel (x, y, z). */
export function paddedIndex(box: PaddedBox, x: number, y: number, z: number): number {
  return x + box.pad[0] + box.width * (y + box.pad[1] + box.height * (z + box.pad[2]));
}

export interface EdgeSet {
  /** Bit i (of word i >>> 5) set on edge voxels, over the padded grid. */
  bits: Int32Array;
  /** Padded indices of the edge voxels in storage order. */
  list: Int32Array;
}

/** An empty padded bit grid for `box`. */
export function newEdgeBits(box: PaddedBox): Int32Array {
  return new Int32Array((box.width * box.height * (box.nz + 2 * box.pad[2]) + 31) >>> 5);
}

export function setBit(bits: Int32Array, index: number): void {
  bits[index >>> 5] |= 1 << (index & 31);
}

export function hasBit(bits: Int32Array, index: number): boolean {
  return ((bits[index >>> 5] >>> (index & 31)) & 1) === 1;
}

/** The edge set of an unpadded 0/1 edge mask over the whole box. */
export function edgeSet(box: PaddedBox, edges: Uint8Array): EdgeSet {
  const bits = newEdgeBits(box);
  const list = new IndexList();
  for (let z = 0, i = 0; z < box.nz; z++) {
    for (let y = 0; y < box.ny; y++) {
      const row = paddedIndex(box, 0, y, z);
      for (let x = 0; x < box.nx; x++, i++) {
        if (!edges[i]) continue;
        setBit(bits, row + x);
        list.push(row + x);
      }
    }
  }
  return { bits, list: list.view() };
}

/** The squared length of an offset in mm², in the distance transform's order of operations. */
function squaredLength(s2: readonly number[], dx: number, dy: number, dz: number): number {
  return s2[2] * dz * dz + (s2[1] * dy * dy + s2[0] * dx * dx);
}

/** Offsets within the near radius, shortest first, as steps in the padded grid. */
function nearOffsets(box: PaddedBox): { steps: Int32Array; squared: Float64Array } {
  const [px, py, pz] = box.pad;
  const radius = NEAR_VOXELS * box.finest;
  const plane = box.width * box.height;
  const found: { step: number; squared: number }[] = [];
  for (let dz = -pz; dz <= pz; dz++) {
    for (let dy = -py; dy <= py; dy++) {
      for (let dx = -px; dx <= px; dx++) {
        const squared = squaredLength(box.s2, dx, dy, dz);
        if (squared <= radius * radius) found.push({ step: dx + box.width * dy + plane * dz, squared });
      }
    }
  }
  found.sort((a, b) => a.squared - b.squared);
  return { steps: Int32Array.from(found, (o) => o.step), squared: Float64Array.from(found, (o) => o.squared) };
}

/** Box coordinates of a padded index. */
function coordinates(box: PaddedBox, index: number): [number, number, number] {
  const plane = box.width * box.height;
  const z = Math.floor(index / plane);
  const y = Math.floor((index - z * plane) / box.width);
  return [index - z * plane - y * box.width - box.pad[0], y - box.pad[1], z - box.pad[2]];
}

/** Target edges sorted into cubes of BUCKET voxels (CSR: cube c holds entries start[c] … start[c+1]−1). */
interface Cubes {
  counts: [number, number, number];
  start: Int32Array;
  x: Int32Array;
  y: Int32Array;
  z: Int32Array;
}

function cubesOf(box: PaddedBox, edges: EdgeSet): Cubes {
  const counts: [number, number, number] = [
    Math.ceil(box.nx / BUCKET),
    Math.ceil(box.ny / BUCKET),
    Math.ceil(box.nz / BUCKET),
  ];
  const total = edges.list.length;
  const xs = new Int32Array(total),
    ys = new Int32Array(total),
    zs = new Int32Array(total),
    cube = new Int32Array(total);
  const start = new Int32Array(counts[0] * counts[1] * counts[2] + 1);
  const plane = box.width * box.height;
  for (let e = 0; e < total; e++) {
    // coordinates(), inlined: this loop runs over every target of a class.
    const index = edges.list[e];
    const pz = Math.floor(index / plane);
    const py = Math.floor((index - pz * plane) / box.width);
    const x = index - pz * plane - py * box.width - box.pad[0],
      y = py - box.pad[1],
      z = pz - box.pad[2];
    xs[e] = x;
    ys[e] = y;
    zs[e] = z;
    cube[e] = Math.floor(x / BUCKET) + counts[0] * (Math.floor(y / BUCKET) + counts[1] * Math.floor(z / BUCKET));
    start[cube[e] + 1]++;
  }
  for (let c = 1; c < start.length; c++) start[c] += start[c - 1];
  const fill = start.slice(0, -1);
  const x = new Int32Array(total),
    y = new Int32Array(total),
    z = new Int32Array(total);
  for (let e = 0; e < total; e++) {
    const at = fill[cube[e]]++;
    x[at] = xs[e];
    y[at] = ys[e];
    z[at] = zs[e];
  }
  return { counts, start, x, y, z };
}

/**
 * The squared distance to the nearest entry of `cubes` from box voxel (x, y, z) if below `bound`
 * (else `bound`): cubes ring by ring, skipping cubes that cannot hold anything closer; anything
 * in ring r or further differs by at least (r − 1)·BUCKET + 1 voxels along an axis. Writes the
 * entry's padded index (−1 if none was closer) to found[0] and adds the evaluations to found[1].
 */
function farSearch(
  cubes: Cubes,
  box: PaddedBox,
  x: number,
  y: number,
  z: number,
  bound: number,
  found: Int32Array,
): number {
  const [bx, by, bz] = cubes.counts;
  const { start, x: ex, y: ey, z: ez } = cubes;
  const [sx2, sy2, sz2] = box.s2;
  const finest2 = box.finest * box.finest;
  const cx = Math.floor(x / BUCKET),
    cy = Math.floor(y / BUCKET),
    cz = Math.floor(z / BUCKET);
  const rings = Math.max(cx, bx - 1 - cx, cy, by - 1 - cy, cz, bz - 1 - cz);
  /** Squared mm from the voxel to the nearest voxel of cube c along one axis. */
  const gap = (c: number, v: number, s2: number) => {
    const d = Math.max(0, c * BUCKET - v, v - (c * BUCKET + BUCKET - 1));
    return s2 * d * d;
  };
  let best = bound,
    bestX = -1,
    bestY = 0,
    bestZ = 0,
    evaluations = 0;
  for (let r = 0; r <= rings; r++) {
    if (r > 0 && ((r - 1) * BUCKET + 1) ** 2 * finest2 >= best) break;
    for (let dz = -r; dz <= r; dz++) {
      const z1 = cz + dz;
      if (z1 < 0 || z1 >= bz) continue;
      const gz = gap(z1, z, sz2);
      for (let dy = -r; dy <= r; dy++) {
        const y1 = cy + dy;
        if (y1 < 0 || y1 >= by) continue;
        const gyz = gz + gap(y1, y, sy2);
        if (gyz >= best) continue;
        // Inside the ring's shell only the two x ends, unless this row lies on a y or z face.
        const face = r === 0 || dz === -r || dz === r || dy === -r || dy === r;
        for (let dx = -r; dx <= r; dx += face ? 1 : 2 * r) {
          const x1 = cx + dx;
          if (x1 < 0 || x1 >= bx || gyz + gap(x1, x, sx2) >= best) continue;
          const c = x1 + bx * (y1 + by * z1);
          const end = start[c + 1];
          evaluations += end - start[c];
          for (let e = start[c]; e < end; e++) {
            const squared = squaredLength(box.s2, ex[e] - x, ey[e] - y, ez[e] - z);
            if (squared < best) {
              best = squared;
              bestX = ex[e];
              bestY = ey[e];
              bestZ = ez[e];
            }
          }
        }
      }
    }
  }
  found[0] = bestX >= 0 ? paddedIndex(box, bestX, bestY, bestZ) : -1;
  found[1] += evaluations;
  return best;
}

/** Squared mm between two padded indices. */
function squaredBetween(box: PaddedBox, a: number, b: number): number {
  const [ax, ay, az] = coordinates(box, a);
  const [bx, by, bz] = coordinates(box, b);
  return squaredLength(box.s2, ax - bx, ay - by, az - bz);
}

/** The first position in ascending `values` holding at least `bound`. */
function firstAtLeast(values: Float64Array, bound: number): number {
  let lo = 0,
    hi = values.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (values[mid] < bound) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/**
 * Distances in mm from each edge voxel of `from` to the nearest edge voxel of `to` (which must
 * have at least one), in ascending order: the values of the exact distance transform (edt.ts).
 *
 * The voxel before in the list bounds each search: its nearest target t is a target, so
 * d(p) ≤ |p − t|, and d(p) ≥ d(q) − |p − q| (else q would have had a nearer one), so the near
 * search tries only offsets between the two, and a voxel that must be far skips it. Near
 * distances are counted per offset (the offsets are sorted), so only the far ones need sorting.
 */
export function nearestEdgeDistances(
  box: PaddedBox,
  from: EdgeSet,
  to: EdgeSet,
  farBudgetPerVoxel = FAR_BUDGET_PER_VOXEL,
): Float64Array {
  const { steps, squared } = nearOffsets(box);
  const nearLimit = squared[squared.length - 1];
  const target = to.bits;
  const perOffset = new Int32Array(steps.length);
  const far: number[] = [];
  let cubes: Cubes | undefined;
  let field: Float64Array | undefined;
  const budget = farBudgetPerVoxel * box.nx * box.ny * box.nz;
  const found = new Int32Array(2); // far search: nearest index, evaluations so far
  // The voxel before, its nearest target (−1: none known) and their squared distance.
  let previous = -1,
    nearest = -1,
    nearestSquared = 0;
  for (let k = 0; k < from.list.length; k++) {
    const at = from.list[k];
    let best = Infinity,
      index = -1,
      offset = 0, // position in the offset table of a near result, −1 for a far one
      first = 1; // offset 0 (the voxel itself) is the target check
    if ((target[at >>> 5] >>> (at & 31)) & 1) {
      best = 0;
      index = at;
    } else {
      if (nearest >= 0) {
        best = squaredBetween(box, at, nearest);
        index = nearest;
        const below = Math.sqrt(nearestSquared) - Math.sqrt(squaredBetween(box, at, previous));
        // A relative margin far above rounding keeps the lower bound safe.
        if (below > 0) first = Math.max(1, firstAtLeast(squared, below * below * (1 - 1e-9)));
      }
      let o = first;
      while (o < steps.length && squared[o] < best) {
        const probe = at + steps[o];
        if ((target[probe >>> 5] >>> (probe & 31)) & 1) break;
        o++;
      }
      if (o < steps.length && squared[o] < best) {
        best = squared[o];
        index = at + steps[o];
        offset = o;
      } else if (best <= nearLimit) {
        // The bound from the voxel before was the nearest; its offset has the same length in the table.
        offset = firstAtLeast(squared, best);
      } else {
        offset = -1;
        // Nothing within the near radius: search the cubes, or read the transform once it is cheaper.
        if (found[1] <= budget) {
          cubes ??= cubesOf(box, to);
          const [x, y, z] = coordinates(box, at);
          best = farSearch(cubes, box, x, y, z, best, found);
          if (found[0] >= 0) index = found[0];
        } else {
          field ??= transformOf(box, to);
          best = field[boxIndex(box, at)];
          index = -1;
        }
      }
    }
    if (offset >= 0) perOffset[offset]++;
    else far.push(best);
    previous = at;
    nearest = index;
    nearestSquared = best;
  }
  // Near lengths ascending by offset, then the far ones (all longer than the near radius).
  const distances = new Float64Array(from.list.length);
  let k = 0;
  for (let o = 0; o < steps.length; o++) {
    if (perOffset[o] === 0) continue;
    distances.fill(Math.sqrt(squared[o]), k, k + perOffset[o]);
    k += perOffset[o];
  }
  for (const value of Float64Array.from(far).sort()) distances[k++] = Math.sqrt(value);
  return distances;
}

/** Index in the unpadded box of a padded index. */
function boxIndex(box: PaddedBox, index: number): number {
  const [x, y, z] = coordinates(box, index);
  return x + box.nx * (y + box.ny * z);
}

/** Squared distances to the targets over the whole box (edt.ts). */
function transformOf(box: PaddedBox, to: EdgeSet): Float64Array {
  const field = new Float64Array(box.nx * box.ny * box.nz).fill(Infinity);
  for (const index of to.list) field[boxIndex(box, index)] = 0;
  return squaredDistanceTransform(field, box.dims, box.spacing);
}
