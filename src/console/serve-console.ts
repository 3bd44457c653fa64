import { Logger } from '@nestjs/common';
import { NestExpressApplication } from '@nestjs/platform-express';
import express, { NextFunction, Request, Response } from 'express';
import { join } from 'node:path';
import { consoleAssetsDir, consoleCacheHeaders } from './console-assets';

const isApiPath = (path: string) => path === '/api' || path.startsWith('/api/');

/**
 * Serves the web console (built into dist/web by `npm run build:web`) at `/`: its files, and
 * index.html for every other GET outside /api so deep links and reloads work. REST (/api/v1) and
 * Swagger UI (/api/docs) are never shadowed. Plain Express middleware rather than
 * @nestjs/serve-static: that module picks its loader when the module graph is compiled, before a
 * test's HTTP adapter exists, and then silently serves nothing.
 */
export function serveConsole(app: NestExpressApplication, dir: string | null = consoleAssetsDir()): void {
  if (!dir) {
    new Logger('Console').warn('Web console not built (npm run build:web): only the API is served');
    return;
  }
  const index = join(dir, 'index.html');
  const files = express.static(dir, { index: false, setHeaders: consoleCacheHeaders, fallthrough: true });
  app.use((req: Request, res: Response, next: NextFunction) => (isApiPath(req.path) ? next() : files(req, res, next)));
  app.use((req: Request, res: Response, next: NextFunction) => {
    if ((req.method !== 'GET' && req.method !== 'HEAD') || isApiPath(req.path)) return next();
    res.setHeader('Cache-Control', 'no-cache');
    res.sendFile(index, (err) => (err ? next(err) : undefined));
  });
}
