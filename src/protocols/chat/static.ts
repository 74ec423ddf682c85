// The web client's files (clients/web), read once at start and served from memory with an
// ETag. Only files found at start exist, so no request path can reach outside the folder.
import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { dirname, join, relative, resolve, sep } from 'node:path';

/** clients/web beside the sources, found upwards: the compiled code runs from .build/<id>/src/. */
function findWebRoot(): string {
  for (let dir = import.meta.dirname; dir !== dirname(dir); dir = dirname(dir)) {
    if (existsSync(join(dir, 'clients/web/index.html'))) return join(dir, 'clients/web');
  }
  return resolve(import.meta.dirname, '../../../clients/web');
}

export const WEB_ROOT = findWebRoot();

const TYPES: Record<string, string> = {
  html: 'text/html; charset=utf-8', css: 'text/css; charset=utf-8', js: 'text/javascript; charset=utf-8',
  svg: 'image/svg+xml', png: 'image/png', ico: 'image/x-icon', json: 'application/json', webmanifest: 'application/manifest+json',
};

/** Script, style, images and the WebSocket only from this origin; no framing. */
const SECURITY_HEADERS = {
  'content-security-policy': "default-src 'self'; connect-src 'self'; img-src 'self' data:; frame-ancestors 'none'; base-uri 'none'; form-action 'self'",
  'x-content-type-options': 'nosniff',
  'referrer-policy': 'no-referrer',
  'x-frame-options': 'DENY',
};

interface StaticFile { body: Buffer; type: string; etag: string }

const MAX_FILES = 200;

export function loadStatic(root = WEB_ROOT): Map<string, StaticFile> {
  const files = new Map<string, StaticFile>();
  const walk = (dir: string, depth: number) => {
    if (depth > 4) return;
    for (const name of readdirSync(dir).sort()) {
      if (name.startsWith('.') || files.size >= MAX_FILES) continue;
      const full = join(dir, name);
      if (statSync(full).isDirectory()) {
        walk(full, depth + 1);
        continue;
      }
      const type = TYPES[name.split('.').pop() ?? ''];
      if (!type) continue;
      const body = readFileSync(full);
      const url = `/${relative(root, full).split(sep).join('/')}`;
      files.set(url, { body, type, etag: `"${createHash('sha1').update(body).digest('base64url')}"` });
    }
  };
  try {
    walk(root, 0);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err;
    return files; // no web client installed: the API and WebSocket still work
  }
  return files;
}

/** Serve GET/HEAD of a known file ('/' is index.html); false when there is none. */
export function serveStatic(files: Map<string, StaticFile>, req: IncomingMessage, res: ServerResponse, path: string): boolean {
  if (req.method !== 'GET' && req.method !== 'HEAD') return false;
  const f = files.get(path === '/' ? '/index.html' : path);
  if (!f) return false;
  const headers = { 'content-type': f.type, etag: f.etag, 'cache-control': 'no-cache', ...SECURITY_HEADERS };
  if (req.headers['if-none-match'] === f.etag) {
    res.writeHead(304, headers);
    res.end();
    return true;
  }
  res.writeHead(200, { ...headers, 'content-length': String(f.body.length) });
  res.end(req.method === 'HEAD' ? undefined : f.body);
  return true;
}
