/**
 * The officer console's built pages (console/dist, from `npm run console:build`) at /console. Every page path
 * under /console that is not a file answers with index.html (the page routes itself); /console/api is never
 * answered here, so an unknown API path stays a JSON 404. Hashed assets are cached for a year; index.html is
 * revalidated every time so a new build is picked up at once.
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import express, { type Router } from 'express';
import { securityHeaders } from '../security-headers';

export interface ConsolePagesOptions {
  /** HSTS even when req.secure is false (TLS ends at a proxy). */
  https?: boolean;
}

export function consolePages(distDir: string, o: ConsolePagesOptions = {}): Router {
  const router = express.Router();
  const index = join(distDir, 'index.html');
  router.use('/console', (req, res, next) => {
    if (req.path === '/api' || req.path.startsWith('/api/')) return next('router');
    securityHeaders({ https: !!o.https })(req, res, next);
  });
  router.use(
    '/console',
    express.static(distDir, {
      index: false,
      redirect: false,
      fallthrough: true,
      setHeaders: (res, path) => {
        res.setHeader('Cache-Control', path.includes(`${join(distDir, 'assets')}`) ? 'public, max-age=31536000, immutable' : 'no-cache');
      },
    }),
  );
  router.get(/^\/console(\/.*)?$/, (req, res, next) => {
    // A missing asset is a 404, not the page: a page route has no file extension.
    if (/\.[a-z0-9]+$/i.test(req.path) || !req.accepts('html')) return next();
    if (!existsSync(index)) {
      res.status(503).type('text/plain; charset=utf-8').send('The console is not built: run `npm run console:build`.');
      return;
    }
    res.setHeader('Cache-Control', 'no-cache');
    res.sendFile(index);
  });
  return router;
}

/** Where `npm run console:build` writes the pages (git-ignored). */
export const CONSOLE_DIST = join(import.meta.dirname, '..', 'dist');
