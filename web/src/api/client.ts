/**
 * The console's only way to the service: the REST API under /api/v1. The access token lives in
 * memory only; the refresh token is an HttpOnly cookie the service sets on sign-in, so a reload
 * (or an expired access token) is answered by POST /refresh without any script seeing a secret.
 */
export const API = '/api/v1';

export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly details?: string,
    readonly requestId?: string,
  ) {
    super(message);
  }
}

interface TokenPair {
  access_token: string;
  expires_in: number;
}

let accessToken: string | null = null;
let refreshing: Promise<boolean> | null = null;
let refreshTimer: ReturnType<typeof setTimeout> | undefined;
let onSignedOut: () => void = () => undefined;

export function whenSignedOut(listener: () => void): void {
  onSignedOut = listener;
}

function keep(pair: TokenPair): void {
  accessToken = pair.access_token;
  clearTimeout(refreshTimer);
  // Renew a little before expiry so a page left open keeps working.
  const inMs = Math.max(10, pair.expires_in - 60) * 1000;
  refreshTimer = setTimeout(() => void refreshSession(), inMs);
}

export function forget(): void {
  accessToken = null;
  clearTimeout(refreshTimer);
}

async function errorOf(res: Response): Promise<ApiError> {
  let body: { code?: string; message?: string; details?: string; request_id?: string } = {};
  try {
    body = (await res.json()) as typeof body;
  } catch {
    // Not the envelope (a proxy's page): the status says enough.
  }
  return new ApiError(
    res.status,
    body.code ?? `HTTP_${res.status}`,
    body.message ?? res.statusText,
    body.details,
    body.request_id,
  );
}

export async function signIn(username: string, password: string): Promise<void> {
  const res = await fetch(`${API}/login`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify({ username, password }),
    credentials: 'same-origin',
  });
  if (!res.ok) throw await errorOf(res);
  keep((await res.json()) as TokenPair);
}

/** Trades the refresh cookie for a new access token; one at a time however many callers ask. */
export function refreshSession(): Promise<boolean> {
  refreshing ??= (async () => {
    try {
      const res = await fetch(`${API}/refresh`, {
        method: 'POST',
        headers: { 'Content-Type': 'application/json' },
        body: '{}',
        credentials: 'same-origin',
      });
      if (!res.ok) return false;
      keep((await res.json()) as TokenPair);
      return true;
    } catch {
      return false;
    } finally {
      refreshing = null;
    }
  })();
  return refreshing;
}

export async function signOut(): Promise<void> {
  try {
    await api('POST', '/logout', {});
  } finally {
    forget();
  }
}

export type Method = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';

export async function api<T>(
  method: Method,
  path: string,
  body?: unknown,
  headers: Record<string, string> = {},
): Promise<T> {
  const send = () =>
    fetch(`${API}${path}`, {
      method,
      headers: {
        ...(accessToken ? { Authorization: `Bearer ${accessToken}` } : {}),
        ...(body === undefined ? {} : { 'Content-Type': 'application/json' }),
        ...headers,
      },
      body: body === undefined ? undefined : JSON.stringify(body),
      credentials: 'same-origin',
    });
  let res = await send();
  if (res.status === 401 && accessToken) {
    if (await refreshSession()) res = await send();
    else {
      forget();
      onSignedOut();
    }
  }
  if (!res.ok) throw await errorOf(res);
  if (res.status === 204) return undefined as T;
  const text = await res.text();
  return (text ? JSON.parse(text) : undefined) as T;
}

export const get = <T>(path: string) => api<T>('GET', path);

/** `?a=1&b=x` from the set values only. */
export function qs(params: Record<string, string | number | boolean | undefined | null>): string {
  const q = new URLSearchParams();
  for (const [k, v] of Object.entries(params)) if (v !== undefined && v !== null && v !== '') q.set(k, String(v));
  const s = q.toString();
  return s ? `?${s}` : '';
}
