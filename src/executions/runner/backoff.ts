/** Seconds to wait before attempt `nextAttempt` (2, 3, …): base, 2×base, 4×base, … capped at max. */
export function retryDelaySeconds(nextAttempt: number, baseSeconds: number, maxSeconds: number): number {
  const exponent = Math.max(0, nextAttempt - 2);
  return Math.min(maxSeconds, baseSeconds * 2 ** exponent);
}
