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
