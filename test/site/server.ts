/**
 * The demo site's server: static files plus media endpoints that behave like
 * a podcast CDN (deterministic bytes, throttled streaming, ETag, Range) so
 * background fetches take as long as a test needs. Loopback only, no framework.
 *
 *   npx tsx test/site/server.ts [--port N] [--host H]     (default 8787; 0 = random)
 *
 * Routes (see README.md):
 *   GET  /, /<file>                     test/site/public/ (Cache-Control: no-cache)
 *   GET  /media/<name>?size=B&ms=D      deterministic body of B bytes (default 64 KiB),
 *                                       streamed evenly over D ms; ETag, Last-Modified,
 *                                       Accept-Ranges, Range -> 206 / 416
 *   GET  /media/missing.*, /missing/*   404
 *   POST /upload                        {"received": <bytes>}
 *   GET  /status/<code>                 that status
 *   GET  /polyfill/<file>               dist/polyfill/ (404 until built)
 *   GET  /fixtures/<file>               test/fixtures/pages/ (e2e attack pages)
 *   ?strict-csp on / or /fixtures/*     adds a strict Content-Security-Policy
 */
import { createHash } from 'node:crypto';
import { existsSync, readFileSync, statSync } from 'node:fs';
import { createServer, STATUS_CODES, type IncomingMessage, type ServerResponse } from 'node:http';
import type { Socket } from 'node:net';
import { extname, join, normalize, resolve, sep } from 'node:path';
import { pathToFileURL } from 'node:url';

const PUBLIC = resolve(import.meta.dirname, 'public');
/** The polyfill's build output, relative to the repository root. */
const POLYFILL = resolve(import.meta.dirname, '../../dist/polyfill');
/** Pages the end-to-end tests use to attack the extension; not part of the demo. */
const FIXTURES = resolve(import.meta.dirname, '../fixtures/pages');
/** The policy issue 7 names: the hook must keep working under it. */
const STRICT_CSP = "default-src 'none'; script-src 'self'";

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.map': 'application/json',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json',
  '.webmanifest': 'application/manifest+json',
  '.png': 'image/png',
  '.mp3': 'audio/mpeg',
  '.txt': 'text/plain; charset=utf-8',
};

/** 1x1 transparent PNG, used if public/icon.png is missing. */
const TINY_PNG = Buffer.from('iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg==', 'base64');
/** `/media/*.png` is a real image (the app icon), whatever `size` asks. */
const PNG = existsSync(join(PUBLIC, 'icon.png')) ? readFileSync(join(PUBLIC, 'icon.png')) : TINY_PNG;
const LAST_MODIFIED = new Date('2026-01-01T00:00:00Z').toUTCString();
const DEFAULT_SIZE = 64 * 1024;
const MAX_SIZE = 1024 * 1024 * 1024;
/** Bodies at most this big are kept in memory; larger ones are generated as they stream. */
const MATERIALIZE_LIMIT = 16 * 1024 * 1024;
const TICK_MS = 50;

export interface DemoServer {
  port: number;
  /** `http://<host>:<port>`; on 127.0.0.1 `http://localhost:<port>` also reaches it, as another origin. */
  origin: string;
  close(): Promise<void>;
}

/** A body that can hand out any byte range without being held in memory whole. */
interface Body {
  length: number;
  slice(start: number, end: number): Buffer;
}

function bufferBody(buf: Buffer): Body {
  return { length: buf.length, slice: (s, e) => buf.subarray(s, e) };
}

/** A JSON document of exactly `size` bytes (or the smallest valid one, if `size` is tiny). */
function jsonBytes(name: string, size: number): Buffer {
  const head = `{\n  "podcast": "Demo Cast",\n  "feed": ${JSON.stringify(name)},\n  "items": [`;
  const tail = '\n  ]\n}\n';
  const parts: string[] = [head];
  let length = head.length + tail.length;
  for (let i = 0; ; i++) {
    const item = `${i ? ',' : ''}\n    ${JSON.stringify({ episode: i + 1, title: `Episode ${i + 1}`, duration: 1800 + i })}`;
    if (length + item.length > size) break;
    parts.push(item);
    length += item.length;
  }
  parts.push(tail);
  // Trailing whitespace is valid JSON: pad to the exact size asked for.
  if (length < size) parts.push(' '.repeat(size - length - 1), '\n');
  return Buffer.from(parts.join(''));
}

/** Deterministic media bytes for `name`: the same name and size always give the same body. */
export function mediaBody(name: string, size: number): Body {
  const ext = extname(name).toLowerCase();
  if (ext === '.png') return bufferBody(PNG);
  if (ext === '.json') return bufferBody(jsonBytes(name, size));
  // A repeating pattern derived from the name: readable text for .txt, hash bytes otherwise.
  const pattern =
    ext === '.txt'
      ? Buffer.from(`${name}: deterministic demo text, line after line.\n`)
      : createHash('sha256').update(name).digest();
  const slice = (start: number, end: number): Buffer => {
    const out = Buffer.allocUnsafe(Math.max(0, end - start));
    for (let i = 0; i < out.length; ) {
      const from = (start + i) % pattern.length;
      i += pattern.copy(out, i, from, Math.min(pattern.length, from + out.length - i));
    }
    return out;
  };
  if (size <= MATERIALIZE_LIMIT) return bufferBody(slice(0, size));
  return { length: size, slice };
}

function send(res: ServerResponse, status: number, body: string | Buffer = '', type = 'text/plain; charset=utf-8', extra: Record<string, string> = {}): void {
  const noBody = status === 204 || status === 304 || res.req.method === 'HEAD';
  const headers: Record<string, string | number> = { ...extra, 'Cache-Control': 'no-store' };
  if (status !== 204 && status !== 304) {
    headers['Content-Type'] = type;
    headers['Content-Length'] = Buffer.byteLength(body);
  }
  res.writeHead(status, headers);
  res.end(noBody ? undefined : body);
}

/** Parses a single-range `Range` header against `length`: a range, 'unsatisfiable', or null (serve it all). */
function parseRange(header: string | undefined, length: number): { start: number; end: number } | 'unsatisfiable' | null {
  const m = /^bytes=(\d*)-(\d*)$/.exec(header?.trim() ?? '');
  if (!m || (m[1] === '' && m[2] === '')) return null;
  if (m[1] === '') {
    const suffix = Number(m[2]);
    if (suffix === 0) return 'unsatisfiable';
    return { start: Math.max(0, length - suffix), end: length - 1 };
  }
  const start = Number(m[1]);
  const end = m[2] === '' ? length - 1 : Math.min(Number(m[2]), length - 1);
  if (start >= length || end < start) return 'unsatisfiable';
  return { start, end };
}

function serveMedia(req: IncomingMessage, res: ServerResponse, url: URL): void {
  const name = decodeURIComponent(url.pathname.slice('/media/'.length));
  if (/^missing(\.|\/|$)/.test(name)) return send(res, 404, `No such episode: ${name}\n`);
  const sizeParam = url.searchParams.get('size');
  const size = sizeParam === null ? DEFAULT_SIZE : Math.max(0, Math.min(Math.floor(Number(sizeParam)) || 0, MAX_SIZE));
  const ms = Math.max(0, Number(url.searchParams.get('ms') ?? 0) || 0);
  const body = mediaBody(name, size);
  const etag = `"${createHash('sha1').update(`${name}:${body.length}`).digest('hex').slice(0, 16)}"`;
  const headers: Record<string, string | number> = {
    'Content-Type': TYPES[extname(name).toLowerCase()] ?? 'application/octet-stream',
    ETag: etag,
    'Last-Modified': LAST_MODIFIED,
    'Accept-Ranges': 'bytes',
    'Cache-Control': 'no-store',
    'X-Demo-Episode': name,
  };
  let start = 0;
  let end = body.length - 1;
  let status = 200;
  // If-Range: resume only when the validator still matches, else send the whole body.
  const ifRange = req.headers['if-range'];
  const rangeOk = !ifRange || ifRange === etag || ifRange === LAST_MODIFIED;
  const range = rangeOk ? parseRange(req.headers.range, body.length) : null;
  if (range === 'unsatisfiable') {
    return send(res, 416, 'Range not satisfiable\n', 'text/plain; charset=utf-8', {
      'Content-Range': `bytes */${body.length}`,
      ETag: etag,
      'Last-Modified': LAST_MODIFIED,
      'Accept-Ranges': 'bytes',
    });
  }
  if (range) {
    ({ start, end } = range);
    status = 206;
    headers['Content-Range'] = `bytes ${start}-${end}/${body.length}`;
  }
  const total = end + 1 - start;
  headers['Content-Length'] = total;
  res.writeHead(status, headers);
  if (req.method === 'HEAD' || total <= 0) return void res.end();
  if (!ms) {
    // Unthrottled: in 1 MiB pieces, respecting backpressure.
    let offset = start;
    const pump = (): void => {
      while (offset <= end && !res.destroyed) {
        const next = body.slice(offset, Math.min(end + 1, offset + 1024 * 1024));
        offset += next.length;
        if (offset > end) return void res.end(next);
        if (!res.write(next)) return void res.once('drain', pump);
      }
    };
    return pump();
  }
  // Throttled: even chunks every TICK_MS so the (remaining) body takes about `ms`.
  const ticks = Math.max(1, Math.round(ms / TICK_MS));
  const chunk = Math.max(1, Math.ceil(total / ticks));
  let offset = start;
  const timer = setInterval(() => {
    if (res.destroyed) return clearInterval(timer);
    const next = body.slice(offset, Math.min(end + 1, offset + chunk));
    offset += next.length;
    if (offset > end) {
      clearInterval(timer);
      res.end(next);
    } else {
      res.write(next);
    }
  }, TICK_MS);
  res.on('close', () => clearInterval(timer));
}

function serveFile(res: ServerResponse, root: string, path: string, extra: Record<string, string> = {}): void {
  let decoded: string;
  try {
    decoded = decodeURIComponent(path);
  } catch {
    return send(res, 400, 'Bad path\n');
  }
  const file = normalize(join(root, decoded));
  if (!file.startsWith(root + sep) || !existsSync(file) || !statSync(file).isFile()) return send(res, 404, 'Not found\n');
  const body = readFileSync(file);
  res.writeHead(200, {
    ...extra,
    'Content-Type': TYPES[extname(file).toLowerCase()] ?? 'application/octet-stream',
    'Content-Length': body.length,
    // Always revalidated (no validators, so always fresh), yet unlike no-store
    // it leaves pages eligible for the back/forward cache the navigation tests use.
    'Cache-Control': 'no-cache',
    // Lets a service worker served from a sub-path still take scope '/'.
    'Service-Worker-Allowed': '/',
  });
  res.end(res.req.method === 'HEAD' ? undefined : body);
}

function handle(req: IncomingMessage, res: ServerResponse): void {
  const url = new URL(req.url ?? '/', 'http://demo');
  const path = url.pathname;
  const method = req.method ?? 'GET';
  if (path === '/upload') {
    if (method !== 'POST') return send(res, 405, 'POST only\n', 'text/plain; charset=utf-8', { Allow: 'POST' });
    let received = 0;
    req.on('data', (c: Buffer) => (received += c.length));
    req.on('end', () => send(res, 200, JSON.stringify({ received }), 'application/json'));
    req.on('error', () => res.destroy());
    return;
  }
  if (method !== 'GET' && method !== 'HEAD') {
    // Drain whatever was sent, then refuse.
    req.resume();
    return send(res, 405, 'Method not allowed\n', 'text/plain; charset=utf-8', { Allow: 'GET, HEAD' });
  }
  if (path.startsWith('/missing/')) return send(res, 404, 'No such episode\n');
  if (path.startsWith('/media/')) return serveMedia(req, res, url);
  if (path.startsWith('/status/')) {
    const code = Number(path.slice('/status/'.length));
    const status = Number.isInteger(code) && code >= 200 && code <= 599 ? code : 400;
    return send(res, status, `Status ${status} ${STATUS_CODES[status] ?? ''}\n`);
  }
  if (path.startsWith('/polyfill/')) return serveFile(res, POLYFILL, path.slice('/polyfill/'.length));
  const strict: Record<string, string> = url.searchParams.has('strict-csp') ? { 'Content-Security-Policy': STRICT_CSP } : {};
  if (path.startsWith('/fixtures/')) return serveFile(res, FIXTURES, path.slice('/fixtures/'.length), strict);
  if (path === '/' || path === '/index.html') return serveFile(res, PUBLIC, 'index.html', strict);
  return serveFile(res, PUBLIC, path.slice(1));
}

export function startDemoServer(opts: { port?: number; host?: string } = {}): Promise<DemoServer> {
  const host = opts.host ?? '127.0.0.1';
  const sockets = new Set<Socket>();
  const server = createServer((req, res) => {
    try {
      handle(req, res);
    } catch (e) {
      if (!res.headersSent) send(res, 500, `Server error: ${(e as Error).message}\n`);
      else res.destroy();
    }
  });
  // Short keep-alive, and close() destroys whatever is still open (throttled streams included).
  server.keepAliveTimeout = 1000;
  server.on('connection', (s) => {
    sockets.add(s);
    s.on('close', () => sockets.delete(s));
  });
  return new Promise((resolvePromise, reject) => {
    server.once('error', reject);
    server.listen(opts.port ?? 8787, host, () => {
      server.off('error', reject);
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      const urlHost = host.includes(':') ? `[${host}]` : host;
      let closing: Promise<void> | null = null;
      resolvePromise({
        port,
        origin: `http://${urlHost}:${port}`,
        close: () =>
          (closing ??= new Promise<void>((done) => {
            server.close(() => done());
            for (const s of sockets) s.destroy();
            server.closeAllConnections();
          })),
      });
    });
  });
}

if (process.argv[1] && import.meta.url === pathToFileURL(resolve(process.argv[1])).href) {
  const arg = (flag: string): string | undefined => {
    const i = process.argv.findIndex((a) => a === flag || a.startsWith(`${flag}=`));
    if (i < 0) return undefined;
    const a = process.argv[i]!;
    return a.includes('=') ? a.slice(flag.length + 1) : process.argv[i + 1];
  };
  const portArg = arg('--port') ?? process.env.PORT;
  const port = portArg === undefined ? 8787 : Number(portArg);
  if (!Number.isInteger(port) || port < 0 || port > 65535) {
    console.error(`Bad port: ${portArg}`);
    process.exit(2);
  }
  const server = await startDemoServer({ port, host: arg('--host') });
  const second = server.origin.includes('127.0.0.1') ? ` (also ${server.origin.replace('127.0.0.1', 'localhost')}/ as a second origin)` : '';
  console.log(`Demo site: ${server.origin}/${second}`);
  if (!existsSync(join(POLYFILL, 'background-fetch-polyfill.js'))) {
    console.log('Note: dist/polyfill/ is not built, so /polyfill/ answers 404 (npm run build).');
  }
  const stop = (): void => void server.close().then(() => process.exit(0));
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
}
