/**
 * The benchmark's HTTP server (loopback, ephemeral port): the bench pages and
 * their service worker, the built polyfill, and generated bodies of any size
 * streamed from one reused chunk, so a 200 MB file costs the server nothing.
 *
 *   GET /bench/<file>                 test/bench/pages/
 *   GET /polyfill/<file>              dist/polyfill/
 *   GET /data/<name>?size=N&ms=M&delay=D   N bytes after D ms, spread over M ms (default: at once)
 *
 * Every /data response logs when its first byte left, on the same clock the
 * pages use (performance.timeOrigin + performance.now()).
 */
import { createReadStream, existsSync, statSync } from 'node:fs';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { extname, join, normalize, resolve } from 'node:path';
import { performance } from 'node:perf_hooks';

const PAGES = resolve(import.meta.dirname, 'pages');
const POLYFILL = resolve(import.meta.dirname, '../../dist/polyfill');
const TYPES: Record<string, string> = { '.js': 'text/javascript', '.html': 'text/html; charset=utf-8' };
const CHUNK = Buffer.alloc(256 * 1024, 0x5a);

export const wallClock = (): number => performance.timeOrigin + performance.now();

export interface BenchServer {
  port: number;
  /** url path (with query) -> when its first body byte was written */
  firstByte: Map<string, number>;
  close(): Promise<void>;
}

function serveFile(res: ServerResponse, root: string, rel: string): void {
  const file = normalize(join(root, rel));
  if (!file.startsWith(root) || !existsSync(file) || !statSync(file).isFile()) {
    res.writeHead(404).end('not found');
    return;
  }
  const headers: Record<string, string> = { 'content-type': TYPES[extname(file)] ?? 'application/octet-stream', 'cache-control': 'no-store' };
  if (rel.endsWith('sw.js')) headers['service-worker-allowed'] = '/';
  res.writeHead(200, headers);
  createReadStream(file).pipe(res);
}

function serveData(req: IncomingMessage, res: ServerResponse, url: URL, firstByte: Map<string, number>, key = url.pathname + url.search): void {
  const size = Math.max(0, Number(url.searchParams.get('size') ?? 65536) || 0);
  const ms = Math.max(0, Number(url.searchParams.get('ms') ?? 0) || 0);
  const delay = Math.max(0, Number(url.searchParams.get('delay') ?? 0) || 0);
  if (delay > 0) {
    url.searchParams.delete('delay');
    setTimeout(() => serveData(req, res, url, firstByte, key), delay);
    return;
  }
  res.writeHead(200, { 'content-type': 'application/octet-stream', 'content-length': String(size), 'cache-control': 'no-store', 'access-control-allow-origin': '*' });
  let sent = 0;
  const started = Date.now();
  let closed = false;
  req.on('close', () => (closed = true));
  const pump = (): void => {
    while (sent < size && !closed) {
      // Throttled bodies send what their schedule allows, then wait a tick.
      const allowed = ms > 0 ? Math.min(size, Math.ceil((size * (Date.now() - started + 20)) / ms)) : size;
      if (sent >= allowed) {
        setTimeout(pump, 20);
        return;
      }
      const n = Math.min(CHUNK.length, allowed - sent);
      if (sent === 0) firstByte.set(key, wallClock());
      sent += n;
      if (!res.write(n === CHUNK.length ? CHUNK : CHUNK.subarray(0, n))) {
        res.once('drain', pump);
        return;
      }
    }
    if (!closed) res.end();
  };
  pump();
}

export function startBenchServer(): Promise<BenchServer> {
  const firstByte = new Map<string, number>();
  const server = createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://localhost');
    if (url.pathname.startsWith('/data/')) return serveData(req, res, url, firstByte);
    if (url.pathname.startsWith('/polyfill/')) return serveFile(res, POLYFILL, url.pathname.slice('/polyfill/'.length));
    if (url.pathname.startsWith('/bench/')) return serveFile(res, PAGES, url.pathname.slice('/bench/'.length));
    res.writeHead(404).end('not found');
  });
  return new Promise((done) => {
    server.listen(0, '127.0.0.1', () => {
      done({
        port: (server.address() as AddressInfo).port,
        firstByte,
        close: () => new Promise((r) => {
          server.closeAllConnections();
          server.close(() => r());
        }),
      });
    });
  });
}
