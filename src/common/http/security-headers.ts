import { NextFunction, Request, RequestHandler, Response } from 'express';
import helmet from 'helmet';

/**
 * True when TRUST_PROXY says a reverse proxy is in front (whatever form it takes: a switch, a hop
 * count or proxy addresses): that proxy ends TLS, so browsers may be told to insist on HTTPS.
 */
export function proxyInFront(trustProxy: unknown): boolean {
  if (trustProxy === undefined || trustProxy === null || trustProxy === false || trustProxy === 0) return false;
  if (typeof trustProxy === 'string')
    return trustProxy.trim() !== '' && trustProxy.trim() !== 'false' && trustProxy.trim() !== '0';
  if (Array.isArray(trustProxy)) return trustProxy.length > 0;
  return true;
}

/**
 * Response headers for every route. The CSP is the one Swagger UI at /api/docs runs under: its
 * scripts are files (the init script included), its inline `<style>` blocks and style attributes
 * need `'unsafe-inline'` for styles only, its icons are data: images. Nothing may frame the app.
 * HSTS and upgrade-insecure-requests only behind a proxy: over plain HTTP they would lock browsers out.
 */
export function securityHeaders(options: { behindProxy: boolean }): RequestHandler {
  return helmet({
    contentSecurityPolicy: {
      useDefaults: false,
      directives: {
        'default-src': ["'self'"],
        'script-src': ["'self'"],
        'script-src-attr': ["'none'"],
        'style-src': ["'self'", "'unsafe-inline'"],
        'img-src': ["'self'", 'data:'],
        'font-src': ["'self'", 'data:'],
        'connect-src': ["'self'"],
        'object-src': ["'none'"],
        'base-uri': ["'self'"],
        'form-action': ["'self'"],
        'frame-ancestors': ["'none'"],
        ...(options.behindProxy ? { 'upgrade-insecure-requests': [] } : {}),
      },
    },
    frameguard: { action: 'deny' },
    strictTransportSecurity: options.behindProxy ? { maxAge: 31_536_000, includeSubDomains: false } : false,
    xContentTypeOptions: true,
    referrerPolicy: { policy: 'no-referrer' },
  });
}

/**
 * `Cache-Control: no-store` on API answers: tokens (login, refresh, service tokens), data source
 * and template configs, exports and webhook secrets must not be kept by browsers or shared caches.
 * A handler that sets its own Cache-Control keeps it.
 */
export function noStore(_req: Request, res: Response, next: NextFunction): void {
  res.setHeader('Cache-Control', 'no-store');
  next();
}
