/** Prime factors of n in ascending order. */
export function primeFactors(n: number): number[] {
  const factors: number[] = [];
  for (let p = 2; p * p <= n; p++) {
    while (n % p === 0) {
      factors.push(p);
      n /= p;
    }
  }
  if (n > 1) factors.push(n);
  return factors;
}

/** b^e mod m for m < 2^26 (products stay exact in doubles). */
export function powMod(base: number, exponent: number, modulus: number): number {
  let result = 1;
  let b = base % modulus;
  for (let e = exponent; e > 0; e = Math.floor(e / 2)) {
    if (e % 2 === 1) result = (result * b) % modulus;
    b = (b * b) % modulus;
  }
  return result;
}

/** The smallest generator of the multiplicative group modulo the prime p. */
export function primitiveRoot(p: number): number {
  if (p === 2) return 1;
  const divisors = [...new Set(primeFactors(p - 1))];
  for (let g = 2; g < p; g++) {
    if (divisors.every((q) => powMod(g, (p - 1) / q, p) !== 1)) return g;
  }
  throw new RangeError(`${p} is not a prime`);
}
