import { randomBytes } from 'node:crypto';

export const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** A name no other test run uses. */
export const unique = (prefix: string) => `${prefix}-${randomBytes(4).toString('hex')}`;

/** Polls `probe` until it returns something truthy, or fails naming what it waited for. */
export async function waitFor<T>(
  what: string,
  probe: () => Promise<T | undefined | null | false>,
  timeoutMs = 20_000,
  everyMs = 100,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let last: unknown;
  while (Date.now() < deadline) {
    const v = await probe();
    if (v) return v;
    last = v;
    await sleep(everyMs);
  }
  throw new Error(`timed out waiting for ${what} (last: ${JSON.stringify(last)})`);
}
