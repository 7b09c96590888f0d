/**
 * The demo site's server: static files plus media endpoints that behave like
 * a podcast CDN (deterministic bytes, throttled streaming, ETag, Range) so
 * background fetches take as long as a test needs. Loopback only.
 *
 *   npx tsx test/site/server.ts [--port N]
 */
import { createHash } from 'node:crypto';
import { existsSync, readFileSync, statSync } from 'node:fs';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { Socket } from 'node:net';
import { extname, join, normalize, resolve } from 'node:path';

const PUBLIC = resolve(import.meta.dirname, 'public');
const POLYFILL = resolve(import.meta.dirname, '../../dist/polyfill');
/** Pages the end-to-end tests use to attack the extension; not part of the demo. */
const FIXTURES = resolve(import.meta.dirname, '../fixtures/pages');
/** The policy issue 7 names: the hook must keep working under it. */
const STRICT_CSP = "default-src 'none'; script-src 'self'";

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json',
  '.webmanifest': 'application/manifest+json',
  '.png': 'image/png',
  '.mp3': 'audio/mpeg',
  '.txt': 'text/plain; charset=utf-8',
};

/** 1x1 transparent PNG. */
const PNG = Buffer.from('iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg==', 'base64');
const LAST_MODIFIED = new Date('2026-01-01T00:00:00Z').toUTCString();

export interface DemoServer {
  port: number;
  origin: string;
  close(): Promise<void>;
}

/** Deterministic media bytes for `name`: the same request always gets the same body. */
function mediaBody(name: string, size: number): Buffer {
  const ext = extname(name);
  if (ext === '.png') return PNG;
  if (ext === '.json') {
    const items = [];
    let json = '';
    for (let i = 0; json.length < size; i++) {
      items.push({ episode: i + 1, title: `Episode ${i + 1}`, duration: 1800 + i });
      json = JSON.stringify({ podcast: 'Demo Cast', items }, null, 2);
    }
    return Buffer.from(json);
  }
  const seed = createHash('sha256').update(name).digest();
  const body = Buffer.alloc(size);
  for (let i = 0; i < size; i += seed.length) seed.copy(body, i, 0, Math.min(seed.length, size - i));
  return body;
}

function send(res: ServerResponse, status: number, body: string | Buffer, type = 'text/plain; charset=utf-8'): void {
  res.writeHead(status, { 'Content-Type': type, 'Content-Length': Buffer.byteLength(body), 'Cache-Control': 'no-store' });
  res.end(body);
}

function serveMedia(req: IncomingMessage, res: ServerResponse, url: URL): void {
  const name = url.pathname.slice('/media/'.length);
  const size = Math.max(0, Math.min(Number(url.searchParams.get('size') ?? 65536) || 0, 1024 * 1024 * 1024));
  const ms = Math.max(0, Number(url.searchParams.get('ms') ?? 0) || 0);
  const body = mediaBody(name, size);
  const etag = `"${createHash('sha1').update(`${name}:${body.length}`).digest('hex').slice(0, 16)}"`;
  const headers: Record<string, string | number> = {
    'Content-Type': TYPES[extname(name)] ?? 'application/octet-stream',
    ETag: etag,
    'Last-Modified': LAST_MODIFIED,
    'Accept-Ranges': 'bytes',
    'Cache-Control': 'no-store',
    'X-Demo-Episode': name,
  };
  let start = 0;
  let status = 200;
  const range = /^bytes=(\d+)-$/.exec(req.headers.range ?? '');
  if (range && Number(range[1]) < body.length) {
    start = Number(range[1]);
    status = 206;
    headers['Content-Range'] = `bytes ${start}-${body.length - 1}/${body.length}`;
  }
  const part = body.subarray(start);
  headers['Content-Length'] = part.length;
  res.writeHead(status, headers);
  if (req.method === 'HEAD') return void res.end();
  if (!ms || part.length === 0) return void res.end(part);
  // Throttled: even chunks every 50 ms so the download lasts about `ms`.
  const ticks = Math.max(1, Math.round(ms / 50));
  const chunk = Math.ceil(part.length / ticks);
  let offset = 0;
  const timer = setInterval(() => {
    if (res.destroyed) return clearInterval(timer);
    const next = part.subarray(offset, offset + chunk);
    offset += next.length;
    if (offset >= part.length) {
      clearInterval(timer);
      res.end(next);
    } else {
      res.write(next);
    }
  }, 50);
  res.on('close', () => clearInterval(timer));
}

function serveFile(res: ServerResponse, root: string, path: string, extra: Record<string, string> = {}): void {
  const file = normalize(join(root, path));
  if (!file.startsWith(root) || !existsSync(file) || !statSync(file).isFile()) return send(res, 404, 'Not found');
  res.writeHead(200, {
    ...extra,
    'Content-Type': TYPES[extname(file)] ?? 'application/octet-stream',
    'Cache-Control': 'no-store',
    // Lets the service worker's scope be '/' even when served from elsewhere.
    'Service-Worker-Allowed': '/',
  });
  res.end(readFileSync(file));
}

export function startDemoServer(opts: { port?: number; host?: string } = {}): Promise<DemoServer> {
  const host = opts.host ?? '127.0.0.1';
  const sockets = new Set<Socket>();
  const server = createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://demo');
    const path = url.pathname;
    if (path.startsWith('/media/')) return serveMedia(req, res, url);
    if (path.startsWith('/missing/')) return send(res, 404, 'No such episode');
    if (path.startsWith('/status/')) {
      const code = Number(path.slice('/status/'.length));
      return send(res, code >= 200 && code <= 599 ? code : 400, `Status ${code}`);
    }
    if (path === '/upload' && req.method === 'POST') {
      let received = 0;
      req.on('data', (c: Buffer) => (received += c.length));
      req.on('end', () => send(res, 200, JSON.stringify({ received }), 'application/json'));
      return;
    }
    if (path.startsWith('/polyfill/')) return serveFile(res, POLYFILL, path.slice('/polyfill/'.length));
    if (path.startsWith('/fixtures/')) {
      const csp: Record<string, string> = url.searchParams.has('strict-csp') ? { 'Content-Security-Policy': STRICT_CSP } : {};
      return serveFile(res, FIXTURES, path.slice('/fixtures/'.length), csp);
    }
    if (url.searchParams.has('strict-csp') && (path === '/' || path === '/index.html')) {
      return serveFile(res, PUBLIC, 'index.html', { 'Content-Security-Policy': STRICT_CSP });
    }
    return serveFile(res, PUBLIC, path === '/' ? 'index.html' : path.slice(1));
  });
  server.keepAliveTimeout = 1000;
  server.on('connection', (s) => {
    sockets.add(s);
    s.on('close', () => sockets.delete(s));
  });
  return new Promise((resolvePromise, reject) => {
    server.once('error', reject);
    server.listen(opts.port ?? 8787, host, () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      resolvePromise({
        port,
        origin: `http://${host}:${port}`,
        close: () =>
          new Promise((done) => {
            for (const s of sockets) s.destroy();
            server.close(() => done());
          }),
      });
    });
  });
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const i = process.argv.indexOf('--port');
  const server = await startDemoServer({ port: i > 0 ? Number(process.argv[i + 1]) : 8787 });
  console.log(`Demo site: ${server.origin}/  (also ${server.origin.replace('127.0.0.1', 'localhost')}/ as a second origin)`);
}
