/**
 * The error envelope's keys as the seed lists them. `reason` is the product's optional addition (which
 * rule refused the request); when present it must be an upper-case name from the reason table.
 */
export function seedKeysOf(body: object): string[] {
  const reason = (body as { reason?: unknown }).reason;
  if (reason !== undefined && (typeof reason !== 'string' || !/^[A-Z][A-Z_]*$/.test(reason)))
    throw new Error(`envelope reason ${JSON.stringify(reason)} is not an upper-case name`);
  return Object.keys(body)
    .filter((k) => k !== 'reason')
    .sort();
}

/** A response that is the error envelope: its status, the seed's keys, the code, and the response's request id. */
export function expectEnvelope(
  res: { status: number; body: unknown; headers: Record<string, string> },
  status: number,
  code: string,
): void {
  expect(res.status).toBe(status);
  const body = res.body as Record<string, unknown>;
  expect(seedKeysOf(body)).toEqual(['code', 'details', 'message', 'request_id']);
  expect(body.code).toBe(code);
  expect(typeof body.message).toBe('string');
  expect(typeof body.details).toBe('string');
  expect(body.request_id).toBe(res.headers['x-request-id']);
  expect(body.request_id).toMatch(/\S/);
}
