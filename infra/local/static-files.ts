/**
 * Serves the console's static files at /console (the app built into console/dist by `npm run build:console`, with the
 * web chat widget and its demo page under /console/widget/).
 */
import { existsSync, readFileSync, statSync } from 'node:fs';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { extname, join, normalize, resolve } from 'node:path';

const ROOT = resolve(import.meta.dirname, '..', '..');
const types: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
};

function consoleRoot(): string {
  return join(ROOT, 'console', 'dist');
}

export function serveStatic(req: IncomingMessage, res: ServerResponse, path: string): boolean {
  if (path === '/' || path === '') {
    res.writeHead(302, { location: '/console/' }).end();
    return true;
  }
  if (!path.startsWith('/console')) return false;
  const root = consoleRoot();
  const relative = normalize(decodeURIComponent(path.replace(/^\/console\/?/, ''))).replace(/^(\.\.[/\\])+/, '');
  let file = join(root, relative);
  if (!file.startsWith(root)) return false;
  if (!existsSync(join(root, 'index.html'))) {
    res.writeHead(503, { 'content-type': 'text/plain; charset=utf-8' }).end('The console is not built: run `npm run build:console` (npm start does it).\n');
    return true;
  }
  if (existsSync(file) && statSync(file).isDirectory()) file = join(file, 'index.html');
  // Any other path is a route of the single-page app.
  if (!existsSync(file)) file = join(root, 'index.html');
  res.writeHead(200, { 'content-type': types[extname(file)] ?? 'application/octet-stream', 'cache-control': 'no-cache' });
  res.end(req.method === 'HEAD' ? undefined : readFileSync(file));
  return true;
}
