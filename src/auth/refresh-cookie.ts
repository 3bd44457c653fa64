import { Request, Response } from 'express';

/**
 * The web console keeps its refresh token in this cookie rather than in script-readable storage:
 * HttpOnly (no script reads it), SameSite=Strict (no other site's request carries it) and scoped to
 * the two paths that take a refresh token, so no other request sends it. The JSON bodies of
 * /login and /refresh are unchanged for API clients.
 */
export const REFRESH_COOKIE = 'metadata_refresh';
const COOKIE_PATHS = ['/api/v1/refresh', '/api/v1/logout'];
const TOKEN_SHAPE = /^[A-Za-z0-9._-]{1,4096}$/;

export function setRefreshCookie(req: Request, res: Response, token: string, ttlSeconds: number): void {
  for (const path of COOKIE_PATHS) {
    res.cookie(REFRESH_COOKIE, token, {
      httpOnly: true,
      sameSite: 'strict',
      secure: req.secure,
      path,
      maxAge: ttlSeconds * 1000,
    });
  }
}

export function clearRefreshCookie(req: Request, res: Response): void {
  for (const path of COOKIE_PATHS) {
    res.clearCookie(REFRESH_COOKIE, { httpOnly: true, sameSite: 'strict', secure: req.secure, path });
  }
}

/** The refresh token the browser sent in the cookie, if it looks like one. */
export function refreshCookieOf(req: Request): string | undefined {
  const header = req.headers.cookie;
  if (!header) return undefined;
  for (const part of header.split(';')) {
    const eq = part.indexOf('=');
    if (eq < 0 || part.slice(0, eq).trim() !== REFRESH_COOKIE) continue;
    const value = part.slice(eq + 1).trim();
    return TOKEN_SHAPE.test(value) ? value : undefined;
  }
  return undefined;
}
