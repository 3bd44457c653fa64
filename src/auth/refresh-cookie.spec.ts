import { Request, Response } from 'express';
import { clearRefreshCookie, REFRESH_COOKIE, refreshCookieOf, setRefreshCookie } from './refresh-cookie';

const req = (cookie?: string, secure = false) => ({ headers: cookie ? { cookie } : {}, secure }) as unknown as Request;

function recorder() {
  const calls: Array<{ op: string; name: string; value?: string; options: Record<string, unknown> }> = [];
  const res = {
    cookie: (name: string, value: string, options: Record<string, unknown>) =>
      calls.push({ op: 'set', name, value, options }),
    clearCookie: (name: string, options: Record<string, unknown>) => calls.push({ op: 'clear', name, options }),
  } as unknown as Response;
  return { res, calls };
}

describe('refresh cookie', () => {
  it('is HttpOnly, SameSite=Strict and scoped to the refresh and logout paths', () => {
    const { res, calls } = recorder();
    setRefreshCookie(req(undefined, true), res, 'a.b.c', 60);
    expect(calls.map((c) => c.options.path).sort()).toEqual(['/api/v1/logout', '/api/v1/refresh']);
    for (const c of calls)
      expect(c).toMatchObject({
        name: REFRESH_COOKIE,
        value: 'a.b.c',
        options: { httpOnly: true, sameSite: 'strict', secure: true, maxAge: 60_000 },
      });
  });

  it('is cleared on both paths', () => {
    const { res, calls } = recorder();
    clearRefreshCookie(req(), res);
    expect(calls.filter((c) => c.op === 'clear').map((c) => c.options.path)).toEqual([
      '/api/v1/refresh',
      '/api/v1/logout',
    ]);
  });

  it('is read from the Cookie header, and only when it looks like a token', () => {
    expect(refreshCookieOf(req(`other=1; ${REFRESH_COOKIE}=eyJ.abc-_.x9`))).toBe('eyJ.abc-_.x9');
    expect(refreshCookieOf(req('other=1'))).toBeUndefined();
    expect(refreshCookieOf(req())).toBeUndefined();
    expect(refreshCookieOf(req(`${REFRESH_COOKIE}=a%20b`))).toBeUndefined();
    expect(refreshCookieOf(req(`${REFRESH_COOKIE}=`))).toBeUndefined();
  });
});
