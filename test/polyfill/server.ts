/**
 * The conformance suite's own HTTP server (127.0.0.1, ephemeral port):
 * serves the built polyfill, the suite's page/worker/cases, and resources
 * shaped for the WPT background-fetch cases (slow, large with Range, 404,
 * upload echo, Vary, a connection reset).
 */
import { createReadStream, existsSync, statSync } from 'node:fs';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { extname, join, resolve } from 'node:path';

const ROOT = resolve(import.meta.dirname, '../..');
const TYPES: Record<string, string> = {
  '.js': 'text/javascript',
  '.mjs': 'text/javascript',
  '.html': 'text/html; charset=utf-8',
  '.map': 'application/json',
};

export interface ServerLog {
  requests: { path: string; method: string; range: string | null }[];
  inflight: Map<string, number>;
  maxInflight: Map<string, number>;
}

/** Deterministic content, so a resumed body can be checked byte for byte. */
export function bigByte(i: number): number {
  return (i * 31 + 7) & 0xff;
}

function sendFile(res: ServerResponse, file: string): void {
  if (!existsSync(file) || !statSync(file).isFile()) {
    res.writeHead(404, { 'content-type': 'text/plain' }).end('not found');
    return;
  }
  res.writeHead(200, { 'content-type': TYPES[extname(file)] ?? 'application/octet-stream', 'cache-control': 'no-store' });
  createReadStream(file).pipe(res);
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

export async function startServer(): Promise<{ server: Server; origin: string; port: number; log: ServerLog; close(): Promise<void> }> {
  const log: ServerLog = { requests: [], inflight: new Map(), maxInflight: new Map() };
  const server = createServer((req: IncomingMessage, res: ServerResponse) => {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    const path = url.pathname;
    log.requests.push({ path: path + url.search, method: req.method ?? 'GET', range: (req.headers.range as string | undefined) ?? null });
    const group = url.searchParams.get('group');
    // A request stops counting just before its last byte is sent: the client
    // may start the next one before Node reports this response closed.
    let counted = false;
    const release = () => {
      if (!group || !counted) return;
      counted = false;
      log.inflight.set(group, (log.inflight.get(group) ?? 1) - 1);
    };
    if (group && path.startsWith('/res/')) {
      counted = true;
      const n = (log.inflight.get(group) ?? 0) + 1;
      log.inflight.set(group, n);
      log.maxInflight.set(group, Math.max(n, log.maxInflight.get(group) ?? 0));
      res.on('close', release);
    }
    if (path.startsWith('/polyfill/')) return sendFile(res, join(ROOT, 'dist/polyfill', path.slice('/polyfill/'.length)));
    if (path.startsWith('/conformance/')) {
      const name = path.slice('/conformance/'.length).replace(/\?.*$/, '') || 'page.html';
      if (name === 'pending/' || name.startsWith('pending/')) return sendFile(res, join(ROOT, 'test/polyfill/conformance', 'sw.js'));
      return sendFile(res, join(ROOT, 'test/polyfill/conformance', name));
    }
    switch (path) {
      case '/__log/max': {
        const g = url.searchParams.get('group') ?? '';
        const seen = log.requests.filter((r) => r.path.startsWith('/res/') && r.path.includes(`group=${g}`)).map((r) => r.path.replace(/.*&n=/, ''));
        res.setHeader('x-requests', seen.join(','));
        res.writeHead(200, { 'content-type': 'text/plain' }).end(String(log.maxInflight.get(g) ?? 0));
        return;
      }
      case '/__log/ranges': {
        const part = url.searchParams.get('path') ?? '';
        const ranges = log.requests.filter((r) => r.path.includes(part)).map((r) => r.range);
        res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(ranges));
        return;
      }
      case '/res/text':
        if (req.method === 'PUT' || req.method === 'POST') req.resume();
        res.writeHead(200, { 'content-type': 'text/plain' }).end('Background Fetch');
        return;
      case '/res/upload': {
        const chunks: Buffer[] = [];
        req.on('data', (c: Buffer) => chunks.push(c));
        req.on('end', () => res.writeHead(200, { 'content-type': 'text/plain' }).end(Buffer.concat(chunks)));
        return;
      }
      case '/res/404':
        res.writeHead(404, { 'content-type': 'text/plain' }).end('Not here');
        return;
      case '/res/vary':
        res.writeHead(200, { 'content-type': 'text/plain', vary: 'x-flavour' }).end('varied');
        return;
      case '/res/reset':
        req.socket.destroy();
        return;
      case '/res/slow': {
        // Headers and a first chunk at once, the rest much later (or never).
        const ms = Number(url.searchParams.get('ms') ?? 20000);
        res.writeHead(200, { 'content-type': 'text/plain' });
        res.write('slow start ');
        const t = setTimeout(() => res.end('slow end'), ms);
        res.on('close', () => clearTimeout(t));
        return;
      }
      case '/res/big': {
        const size = Number(url.searchParams.get('size') ?? 1 << 20);
        const delay = Number(url.searchParams.get('delay') ?? 0);
        const chunk = Number(url.searchParams.get('chunk') ?? 16384);
        const etag = url.searchParams.get('etag') ?? '"big-v1"';
        const range = /^bytes=(\d+)-$/.exec((req.headers.range as string | undefined) ?? '');
        const start = range ? Number(range[1]) : 0;
        const headers: Record<string, string> = { 'content-type': 'application/octet-stream', etag, 'accept-ranges': 'bytes', 'content-length': String(size - start) };
        if (range) headers['content-range'] = `bytes ${start}-${size - 1}/${size}`;
        res.writeHead(range ? 206 : 200, headers);
        let closed = false;
        res.on('close', () => (closed = true));
        void (async () => {
          for (let off = start; off < size && !closed; off += chunk) {
            const n = Math.min(chunk, size - off);
            const buf = Buffer.alloc(n);
            for (let i = 0; i < n; i++) buf[i] = bigByte(off + i);
            // With Content-Length the client is done at the last byte.
            if (off + n >= size) release();
            if (!res.write(buf)) await new Promise((r) => res.once('drain', r));
            if (delay) await sleep(delay);
          }
          release();
          if (!closed) res.end();
        })();
        return;
      }
      default:
        res.writeHead(404, { 'content-type': 'text/plain' }).end('not found');
    }
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const port = (server.address() as AddressInfo).port;
  return {
    server,
    port,
    origin: `http://127.0.0.1:${port}`,
    log,
    close: () =>
      new Promise<void>((r) => {
        server.closeAllConnections();
        server.close(() => r());
      }),
  };
}

// `npx tsx test/polyfill/server.ts` serves the suite for a manual look.
if (process.argv[1] && resolve(process.argv[1]) === resolve(import.meta.filename)) {
  void startServer().then((s) => console.log(`${s.origin}/conformance/page.html?mode=polyfill`));
}
