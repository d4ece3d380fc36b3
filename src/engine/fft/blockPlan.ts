/**
 * Which block transform serves a size, and the plan cache. Powers of two use radix-2; sizes
 * whose prime factors are all small, or primes p whose p − 1 has only small factors, use mixed
 * radix (such a prime by Rader inside its stage); a lone such prime uses Rader; anything else
 * Bluestein over a power of two.
 */
import { BluesteinBlock, Radix2Block, type BlockFft } from './block';
import { primeFactors } from './factors';
import { isPowerOfTwo } from './fft1d';
import { MixedRadixBlock } from './mixedRadix';
import { RaderBlock } from './rader';

/**
 * A radix-R butterfly costs about 2R flops per point (odd R, pairing r with R − r below), so
 * factors up to this size beat Bluestein's two power-of-two transforms of ≥ 2N − 1 points.
 */
const LARGEST_DIRECT_FACTOR = 61;

/** Bluestein, Rader or direct mixed radix: the cheapest way this module knows for n points. */
function strategy(n: number): 'radix2' | 'mixed' | 'rader' | 'bluestein' {
  if (isPowerOfTwo(n)) return 'radix2';
  const factors = primeFactors(n);
  if (factors.at(-1)! <= LARGEST_DIRECT_FACTOR) return 'mixed';
  // A larger prime p works by Rader when p − 1 has small factors: alone, or as the stage of a
  // mixed-radix transform (316 = 4·79, 78 = 2·3·13: ch2better's third axis).
  const raderable = (p: number) => p <= LARGEST_DIRECT_FACTOR || primeFactors(p - 1).at(-1)! <= LARGEST_DIRECT_FACTOR;
  if (!factors.every(raderable)) return 'bluestein';
  return factors.length === 1 ? 'rader' : 'mixed';
}

/**
 * Primes from this size up take Rader's algorithm inside a mixed-radix stage too: measured on
 * blocks of 32 lines, Rader's 31 (two transforms of 30) ran in 32 ns per point against 55 for the
 * paired direct sums; the direct sums cost ~2R flops per point, Rader's ~2·(5·log2 R) plus the
 * reordering, so they break even around R = 13.
 */
const SMALLEST_RADER_RADIX = 13;

function raderButterfly(radix: number): RaderBlock | undefined {
  return radix >= SMALLEST_RADER_RADIX ? new RaderBlock(radix, blockFftPlan(radix - 1)) : undefined;
}

/** The forward transforms of non-power-of-two sizes. */
interface ForwardBlock {
  forward(re: Float64Array, im: Float64Array, columns: number): void;
}

class BlockPlan implements BlockFft {
  private readonly radix2?: Radix2Block;
  private readonly other?: ForwardBlock;

  constructor(readonly size: number) {
    const kind = strategy(size);
    if (kind === 'radix2') this.radix2 = new Radix2Block(size);
    else if (kind === 'mixed') this.other = new MixedRadixBlock(size, raderButterfly);
    else if (kind === 'rader') this.other = new RaderBlock(size, blockFftPlan(size - 1));
    else this.other = new BluesteinBlock(size);
  }

  forward(re: Float64Array, im: Float64Array, columns: number): void {
    if (this.radix2) this.radix2.transform(re, im, columns, 1);
    else this.other!.forward(re, im, columns);
  }

  inverse(re: Float64Array, im: Float64Array, columns: number): void {
    const count = this.size * columns;
    const scale = 1 / this.size;
    if (this.radix2) {
      this.radix2.transform(re, im, columns, -1);
      for (let i = 0; i < count; i++) {
        re[i] *= scale;
        im[i] *= scale;
      }
      return;
    }
    // ifft(x) = swap(fft(swap(x))) / N with swap exchanging real and imaginary parts: free here.
    this.other!.forward(im, re, columns);
    for (let i = 0; i < count; i++) {
      re[i] *= scale;
      im[i] *= scale;
    }
  }
}

const plans = new Map<number, BlockFft>();

/** A (cached) block transform for lines of `size` points. Plans keep scratch buffers: not re-entrant. */
export function blockFftPlan(size: number): BlockFft {
  if (!Number.isInteger(size) || size < 1) throw new RangeError(`FFT size must be a positive integer, got ${size}`);
  let plan = plans.get(size);
  if (!plan) {
    plan = new BlockPlan(size);
    plans.set(size, plan);
  }
  return plan;
}
