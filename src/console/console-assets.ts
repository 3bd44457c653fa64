import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { ServerResponse } from 'node:http';

/**
 * Where the built console lives: dist/web, found from the compiled service (dist/src/console) and
 * from the TypeScript sources the tests run (src/console). Null when the console was never built.
 */
export function consoleAssetsDir(): string | null {
  const candidates = [join(__dirname, '..', '..', 'web'), join(__dirname, '..', '..', 'dist', 'web')];
  // A build has assets/ beside index.html: the source folder web/ (whose index.html names .tsx) does not.
  return candidates.find((dir) => existsSync(join(dir, 'index.html')) && existsSync(join(dir, 'assets'))) ?? null;
}

/**
 * index.html is revalidated on every load (it names the current bundle); the hashed bundles under
 * assets/ never change and are cached for a year.
 */
export function consoleCacheHeaders(res: ServerResponse, path: string): void {
  const hashed = /[\\/]assets[\\/]/.test(path);
  res.setHeader('Cache-Control', hashed ? 'public, max-age=31536000, immutable' : 'no-cache');
}
