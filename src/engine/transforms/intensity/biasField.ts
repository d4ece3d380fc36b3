/**
 * Polynomial bias field (TorchIO BiasField): per axis u_d = (arange(−N/2, N/2) + 0.5)/max|·|,
 * B = Σ_{p=0..L} Σ_{q=0..L−p} [Σ_{r=0..L−p−q}] c_k·u_x^p·u_y^q[·u_z^r] with the coefficients
 * consumed in exactly that loop order, y = x·exp(B). misas sets every c_k = c and clamps the
 * field to at most 1 (it only darkens); `clampToOne` keeps that parity and is on by default,
 * so the default sweep reproduces misas's bias-field series.
 */
import { defineTransform } from '../define';
import type { OptionSpecs } from '../types';
import { mapChannels } from './channels';
import { clampOption } from './clamp';

/** Normalised centred coordinates of an axis of n voxels, in [−1, 1] (0 for n = 1). */
export function axisCoordinates(n: number): Float64Array {
  const u = Float64Array.from({ length: n }, (_, i) => -n / 2 + i + 0.5);
  const max = u.reduce((m, v) => Math.max(m, Math.abs(v)), 0);
  return max > 0 ? u.map((v) => v / max) : u;
}

/** Number of coefficients a polynomial of `order` in `dimensionality` variables consumes. */
export function coefficientCount(order: number, dimensionality: number): number {
  let count = 0;
  for (let p = 0; p <= order; p++) {
    for (let q = 0; q <= order - p; q++) count += dimensionality === 3 ? order - p - q + 1 : 1;
  }
  return count;
}

interface Term {
  coefficient: number;
  p: number;
  q: number;
  r: number;
}

/** The polynomial's terms with their coefficients, in the loop order that consumes them. */
function terms(coefficients: readonly number[], order: number, dimensionality: number): Term[] {
  const list: Term[] = [];
  for (let p = 0; p <= order; p++) {
    for (let q = 0; q <= order - p; q++) {
      const rMax = dimensionality === 3 ? order - p - q : 0;
      for (let r = 0; r <= rMax; r++) list.push({ coefficient: coefficients[list.length], p, q, r });
    }
  }
  return list;
}

/** powers[e][i] = u[i]^e for e = 0…order. */
function powerTable(u: Float64Array, order: number): Float64Array[] {
  return Array.from({ length: order + 1 }, (_, e) => u.map((v) => (e === 0 ? 1 : v ** e)));
}

/**
 * The log-field B over the grid `dims` (first axis fastest). Evaluated as a polynomial in u_x
 * whose coefficients are summed once per (y, z) row, so the cost per voxel is order + 1.
 */
export function logBiasField(dims: readonly number[], coefficients: readonly number[], order: number): Float64Array {
  const [nx, ny, nz = 1] = dims;
  const polynomial = terms(coefficients, order, dims.length);
  const px = powerTable(axisCoordinates(nx), order);
  const py = powerTable(axisCoordinates(ny), order);
  const pz = powerTable(axisCoordinates(nz), order);
  const field = new Float64Array(nx * ny * nz);
  const rowCoefficients = new Float64Array(order + 1);
  for (let z = 0, i = 0; z < nz; z++) {
    for (let y = 0; y < ny; y++) {
      rowCoefficients.fill(0);
      for (const t of polynomial) rowCoefficients[t.p] += t.coefficient * py[t.q][y] * pz[t.r][z];
      for (let x = 0; x < nx; x++, i++) {
        let sum = 0;
        for (let p = 0; p <= order; p++) sum += rowCoefficients[p] * px[p][x];
        field[i] = sum;
      }
    }
  }
  return field;
}

/** Multiplicative field exp(B), optionally clamped to at most 1. */
export function biasField(
  dims: readonly number[],
  coefficients: readonly number[],
  order: number,
  clampToOne: boolean,
): Float64Array {
  const field = logBiasField(dims, coefficients, order);
  for (let i = 0; i < field.length; i++) field[i] = clampToOne ? Math.min(Math.exp(field[i]), 1) : Math.exp(field[i]);
  return field;
}

const BIAS_OPTIONS = {
  order: { type: 'integer', default: 3, minimum: 0, maximum: 6, description: 'Polynomial order L.' },
  clampToOne: {
    type: 'boolean',
    default: true,
    description: 'Clamp the field to at most 1, so it only darkens (misas parity).',
  },
  clamp: clampOption(
    'dtype-range',
    'misas multiplies the 8-bit image scaled to 0…1 by the field, clamps to 0…1 and casts back to uint8 (with clampToOne only the cast changes values).',
  ),
} as const satisfies OptionSpecs;

export const biasFieldTransform = defineTransform({
  name: 'bias-field',
  title: 'Bias field',
  description:
    'Multiplies by a smooth polynomial field exp(B) whose coefficients all equal the parameter (misas / TorchIO BiasField).',
  kind: 'intensity',
  parameter: { name: 'coefficient', unit: '', scale: 'linear' },
  identity: 0,
  defaultSweep: { start: 0, stop: -0.55, step: -0.05 },
  defaultSweepText: '0…−0.55 step −0.05, order 3, field clamped to ≤ 1 (as misas; 0 = identity)',
  options: BIAS_OPTIONS,
  apply(input, value, options) {
    const { order } = options;
    const dims = input.image.dims;
    const coefficients = new Array<number>(coefficientCount(order, dims.length)).fill(value);
    const field = biasField(dims, coefficients, order, options.clampToOne);
    return mapChannels(
      input,
      (values) => {
        if (value === 0) return values;
        const out = new Float64Array(values.length);
        for (let i = 0; i < out.length; i++) out[i] = values[i] * field[i];
        return out;
      },
      options.clamp,
    );
  },
});
