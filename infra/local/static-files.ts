/** Serves the console's static files at /console (the built app in console/dist, else console/public). */
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
  const dist = join(ROOT, 'console', 'dist');
  return existsSync(join(dist, 'index.html')) ? dist : join(ROOT, 'console', 'public');
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
  if (!existsSync(file) || statSync(file).isDirectory()) file = join(root, 'index.html');
  if (!existsSync(file)) return false;
  res.writeHead(200, { 'content-type': types[extname(file)] ?? 'application/octet-stream', 'cache-control': 'no-cache' });
  res.end(req.method === 'HEAD' ? undefined : readFileSync(file));
  return true;
}
