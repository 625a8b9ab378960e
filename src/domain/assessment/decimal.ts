/**
 * Exact decimal arithmetic for marks. Circular 22 marks have at most one decimal place
 * (DOMAIN.md §2.2 [H]), so a mark is stored as an integer number of tenths (8.5 → 85) and
 * every average is an exact fraction of integers, rounded half up to one decimal
 * (Điều 9 khoản 2 [H]). No binary floating point touches a value that is rounded:
 * 7.85 must become 7.9, which `(7.85).toFixed(1)` gets wrong ("7.8": the double is 7.8499…).
 */

/** A mark or an average in tenths of a point: an integer 0–100 (0.0–10.0). */
export type Tenths = number;

export const MAX_TENTHS = 100;

/** True for an integer 0–100, i.e. a valid mark in tenths. */
export function isTenths(value: unknown): value is Tenths {
  return typeof value === 'number' && Number.isSafeInteger(value) && value >= 0 && value <= MAX_TENTHS;
}

/** ⌊a / b⌋ for safe integers, b > 0, with no floating-point division. */
export function floorDiv(a: number, b: number): number {
  assertSafeInteger(a);
  assertSafeInteger(b);
  if (b <= 0) throw new RangeError('floorDiv: the divisor must be positive');
  const r = ((a % b) + b) % b; // exact for safe integers
  return (a - r) / b; // a − r is a multiple of b, so this division is exact
}

/**
 * numerator / denominator rounded half up to an integer (half up = towards +∞ at .5, which
 * for the non-negative marks here is the schools' "làm tròn" rule): ⌊(2n + d) / 2d⌋.
 */
export function roundHalfUpDiv(numerator: number, denominator: number): number {
  return floorDiv(2 * numerator + denominator, 2 * denominator);
}

/**
 * Σ(value·weight) / Σweight, rounded half up to one decimal; values in tenths, so the
 * result is tenths too. Weights are positive integers.
 */
export function weightedAverageTenths(terms: ReadonlyArray<readonly [value: Tenths, weight: number]>): Tenths {
  let sum = 0;
  let weights = 0;
  for (const [value, weight] of terms) {
    sum += value * weight;
    weights += weight;
  }
  return roundHalfUpDiv(sum, weights);
}

function assertSafeInteger(n: number): void {
  if (!Number.isSafeInteger(n)) throw new RangeError(`not a safe integer: ${n}`);
}
