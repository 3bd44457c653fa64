/** What one load run measured: successful requests per second and latency percentiles in ms. */
export interface LoadResult {
  requests: number;
  errors: number;
  rps: number;
  p50: number;
  p99: number;
  /** CPU time the server spent per answered request, in µs: unlike req/s, barely moved by other load on the machine. */
  cpuUs?: number;
}

/** Runs a load and adds the server's CPU time per request (user + system, from /proc). */
export async function withCpu(server: { cpuMs(): number }, load: () => Promise<LoadResult>): Promise<LoadResult> {
  const before = server.cpuMs();
  const result = await load();
  const served = result.requests + result.errors;
  return { ...result, cpuUs: served > 0 ? ((server.cpuMs() - before) * 1000) / served : NaN };
}

/** The p-th percentile of ascending values (nearest rank). */
export function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return NaN;
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))];
}
