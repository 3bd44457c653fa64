/** The token of an `Authorization: Bearer <token>` value; HTTP header and gRPC metadata alike. */
export function bearerTokenOf(header: unknown): string | undefined {
  if (header === undefined || header === null) return undefined;
  const m = /^Bearer\s+(\S+)$/i.exec(String(header));
  return m?.[1];
}
