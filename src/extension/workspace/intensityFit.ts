/**
 * What each normalisation choice makes of the picked images, and which choice (if any) the
 * images themselves imply. No `vscode` here: the unit tests check the rule directly.
 *
 * The rule (docs/EXTENSION.md, "Which normalisation the wizard pre-selects"). Networks are fed
 * intensities of order one; a fixed rule only follows from the data when the data show the
 * encoding it undoes. For every image:
 * - `scale` ×f fits an 8-bit image (whole numbers within 0…255, maximum above 1) when it maps it
 *   into 0…1; it is contradicted when it would leave 0…1 (values above 1/f or below 0, e.g.
 *   ×1/255 on a uint16 image with maximum 4000 gives 0…15.7) or when the image is not whole
 *   numbers (there is no 8-bit encoding to undo).
 * - `none` fits an image already within 0…1; otherwise it is open (a model may take raw values).
 * - `z-score`, `min-max`, `percentile` use each image's own statistics, so they map every image
 *   somewhere sensible: the data can neither confirm nor refute them (open), except that they
 *   are contradicted by a constant image (they divide by zero). `fixed` needs the training
 *   statistics, which no image shows (open).
 * Over several images a choice fits when it fits every image and is contradicted when it is
 * contradicted by any. The wizard pre-selects the one choice that fits; when none does, it
 * pre-selects nothing and the user must choose. So a model without a card never gets z-score by
 * default: nothing in the data implies it.
 */
import type { IntensityFacts } from '../../engine/io/intensityFacts';
import type { NormalizationKind, NormalizationSpec } from '../../engine/model/cardTypes';

export type Verdict = 'fits' | 'open' | 'contradicted';

export interface NormalizationCheck {
  verdict: Verdict;
  /** What the choice makes of the images, e.g. "×1/255 → 0…0.49". */
  effect: string;
  /** Why it fits or is contradicted (absent when open). */
  why?: string;
}

const DEFAULT_FACTOR = 1 / 255;

/** A number short enough for a quick pick: up to 3 significant digits, integers as they are. */
export function short(value: number): string {
  if (!Number.isFinite(value)) return String(value);
  if (Number.isInteger(value)) return String(value);
  const rounded = Number(value.toPrecision(3));
  return Math.abs(rounded) >= 1e5 || (Math.abs(rounded) < 1e-3 && rounded !== 0)
    ? rounded.toExponential(2)
    : String(rounded);
}

/** "1/255" for the reciprocal of a whole number, else the number. */
export function factorText(factor: number): string {
  const inverse = 1 / factor;
  return Math.abs(inverse - Math.round(inverse)) < 1e-9 * Math.abs(inverse) && Math.abs(inverse) >= 10
    ? `1/${Math.round(inverse)}`
    : short(factor);
}

const range = (lo: number, hi: number) => `${short(lo)}…${short(hi)}`;

/** "uint8, 0…255 (p1 3, p99 201)"; with several images their types, overall range and extreme percentiles. */
export function describeFacts(facts: readonly IntensityFacts[]): string {
  if (facts.length === 0) return '';
  const types = [...new Set(facts.map((f) => f.dtype))].join('/');
  const min = Math.min(...facts.map((f) => f.min));
  const max = Math.max(...facts.map((f) => f.max));
  const p1 = Math.min(...facts.map((f) => f.p1));
  const p99 = Math.max(...facts.map((f) => f.p99));
  return `${types}, ${range(min, max)} (p1 ${short(p1)}, p99 ${short(p99)})`;
}

const is8Bit = (f: IntensityFacts) => f.integers && f.min >= 0 && f.max <= 255 && f.max > 1;
const inUnitRange = (f: IntensityFacts) => f.min >= 0 && f.max <= 1;

function checkOne(spec: NormalizationSpec, f: IntensityFacts): NormalizationCheck {
  switch (spec.kind) {
    case 'none':
      return inUnitRange(f)
        ? { verdict: 'fits', effect: `as is: ${range(f.min, f.max)}`, why: 'already within 0…1' }
        : { verdict: 'open', effect: `as is: ${range(f.min, f.max)}` };
    case 'scale': {
      const factor = spec.factor ?? DEFAULT_FACTOR;
      const [lo, hi] = [f.min * factor, f.max * factor].sort((a, b) => a - b);
      const effect = `×${factorText(factor)} → ${range(lo, hi)}`;
      if (lo < 0 || hi > 1)
        return { verdict: 'contradicted', effect, why: `leaves 0…1: the values reach ${range(f.min, f.max)}` };
      if (!f.integers)
        return { verdict: 'contradicted', effect, why: 'the image is not whole numbers: no 8-bit encoding to undo' };
      return is8Bit(f) ? { verdict: 'fits', effect, why: '8-bit values into 0…1' } : { verdict: 'open', effect };
    }
    case 'min-max':
      return f.max > f.min
        ? { verdict: 'open', effect: `${range(f.min, f.max)} → 0…1` }
        : { verdict: 'contradicted', effect: 'divides by zero', why: 'the image is constant' };
    case 'percentile': {
      const [lo, hi] = [spec.lo ?? 0.5, spec.hi ?? 99.5];
      return f.p99 > f.p1 || f.max > f.min
        ? { verdict: 'open', effect: `clipped to p${short(lo)}…p${short(hi)} → 0…1 (p1…p99 is ${range(f.p1, f.p99)})` }
        : { verdict: 'contradicted', effect: 'divides by zero', why: 'the image is constant' };
    }
    case 'z-score':
      return f.sd > 0
        ? {
            verdict: 'open',
            effect: `(x − ${short(f.mean)}) / ${short(f.sd)} → ${range((f.min - f.mean) / f.sd, (f.max - f.mean) / f.sd)}`,
          }
        : { verdict: 'contradicted', effect: 'divides by zero', why: 'the image is constant' };
    case 'fixed':
      return { verdict: 'open', effect: 'with the mean and std the model was trained with (asked next)' };
  }
}

/** What `spec` makes of every image, and whether the images imply or contradict it. */
export function checkNormalization(spec: NormalizationSpec, facts: readonly IntensityFacts[]): NormalizationCheck {
  const checks = facts.map((f) => checkOne(spec, f));
  if (checks.length === 1) return checks[0];
  const contradicted = checks.find((c) => c.verdict === 'contradicted');
  const verdict: Verdict = contradicted ? 'contradicted' : checks.every((c) => c.verdict === 'fits') ? 'fits' : 'open';
  // Several images: the effect on the first, and the verdict over all.
  const why = contradicted
    ? `${contradicted.why} (in ${checks.filter((c) => c.verdict === 'contradicted').length} of ${checks.length} images)`
    : checks[0].why;
  return {
    verdict,
    effect: `${checks[0].effect}${checks.length > 1 ? ' (first image)' : ''}`,
    ...(verdict !== 'open' && why ? { why } : {}),
  };
}

/** The one kind the images imply (its default parameters), or undefined when none does. */
export function impliedNormalization(
  kinds: readonly NormalizationKind[],
  facts: readonly IntensityFacts[],
): NormalizationKind | undefined {
  if (facts.length === 0) return undefined;
  const fitting = kinds.filter((kind) => checkNormalization({ kind }, facts).verdict === 'fits');
  return fitting.length === 1 ? fitting[0] : undefined;
}
