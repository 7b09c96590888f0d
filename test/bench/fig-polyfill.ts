/**
 * Figure 7: the polyfill (dist/polyfill, force-installed over Chromium's
 * native API, as the conformance suite does) downloading N files from the
 * bench server on loopback, against plain fetch() + cache.put of the same
 * sizes and against Chromium's native background fetch, in one browser, one
 * after the other; then the browser's peak memory while the polyfill
 * downloads one 10 MB file and one 200 MB file.
 *
 * The issue asks for 10 x 50 MB; the default is 10 x 20 MB to keep the whole
 * bench under five minutes on a shared 2-core machine. BENCH_TRANSFER_MB=50
 * runs the full size.
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import type { Page } from 'puppeteer-core';
import { launchChromium, ROOT } from '../support/chromium';
import { mb, openBenchPage, withPeakRss } from './browsers';
import type { Figure } from './report';
import type { BenchServer } from './server';
import { ratio } from './stats';

const FILES = 10;
const FILE_MB = Number(process.env.BENCH_TRANSFER_MB ?? 20) || 20;
const MB = 1024 * 1024;

interface Transfer {
  ms: number;
  result: string;
  failureReason?: string;
}

const transfer = (page: Page, id: string, urls: string[]) =>
  page.evaluate((i, u) => (window as unknown as { bench: { transfer(i: string, u: string[]): Promise<Transfer> } }).bench.transfer(i, u), id, urls) as Promise<Transfer>;

const files = (tag: string, count: number, bytes: number) => Array.from({ length: count }, (_, i) => `/data/${tag}-${i}.bin?size=${bytes}`);

function checked(t: Transfer, what: string): Transfer {
  if (t.result !== 'success') throw new Error(`${what}: ${t.result} ${t.failureReason ?? ''}`);
  return t;
}

export async function polyfillFigures(server: BenchServer): Promise<Figure[]> {
  if (!existsSync(join(ROOT, 'dist/polyfill/background-fetch-polyfill.js'))) throw new Error('dist/polyfill is missing: npm run build');
  const launched = await launchChromium({ extension: false });
  try {
    // Two origins, so the native page's worker and the polyfill's never share a registration.
    const native = await openBenchPage(launched.browser, `http://127.0.0.1:${server.port}`, 'native');
    const plain = await openBenchPage(launched.browser, `http://127.0.0.1:${server.port}`, 'plain');
    const polyfill = await openBenchPage(launched.browser, `http://localhost:${server.port}`, 'polyfill');
    // The first native fetch of a profile waits for the download service.
    checked(await transfer(native, 'warm', files('warm-n', 1, 1000)), 'native warm-up');
    checked(await transfer(polyfill, 'warm', files('warm-p', 1, 1000)), 'polyfill warm-up');

    const bytes = FILE_MB * MB;
    const plainT = checked(await transfer(plain, 'plain', files('plain', FILES, bytes)), 'fetch + cache.put');
    const polyT = checked(await transfer(polyfill, 'poly', files('poly', FILES, bytes)), 'polyfill');
    const nativeT = checked(await transfer(native, 'native', files('native', FILES, bytes)), 'native');
    const mbps = (t: Transfer) => (FILES * FILE_MB) / (t.ms / 1000);

    const pid = launched.browser.process()!.pid!;
    const small = await withPeakRss(pid, async () => checked(await transfer(polyfill, 'mem-10', files('mem-10', 1, 10 * MB)), 'polyfill 10 MB'));
    const large = await withPeakRss(pid, async () => checked(await transfer(polyfill, 'mem-200', files('mem-200', 1, 200 * MB)), 'polyfill 200 MB'));
    // The same 200 MB natively: what Chromium's own download and storage cost, for comparison.
    const nativeLarge = await withPeakRss(pid, async () => checked(await transfer(native, 'mem-n-200', files('mem-n-200', 1, 200 * MB)), 'native 200 MB'));
    const growth = (r: { before: number; peak: number }) => Math.max(0, r.peak - r.before);

    const what = `${FILES} × ${FILE_MB} MB on loopback`;
    const vsPlain = ratio(mbps(polyT), mbps(plainT));
    const vsNative = ratio(mbps(polyT), mbps(nativeT));
    const memRatio = ratio(growth(large), growth(small));
    return [
      {
        id: '7a',
        what: `polyfill throughput, ${what}, vs fetch() + cache.put`,
        value: `${mbps(polyT).toFixed(0)} MB/s (${(polyT.ms / 1000).toFixed(1)} s)`,
        baseline: `${mbps(plainT).toFixed(0)} MB/s (${(plainT.ms / 1000).toFixed(1)} s)`,
        ratio: vsPlain,
        target: 'ratio ≥ 0.9',
        met: vsPlain >= 0.9,
        note: FILE_MB === 50 ? undefined : `the issue asks for 50 MB files; ${FILE_MB} MB keeps the bench short (BENCH_TRANSFER_MB=50 for the full size)`,
      },
      {
        id: '7b',
        what: `polyfill throughput, ${what}, vs native background fetch`,
        value: `${mbps(polyT).toFixed(0)} MB/s`,
        baseline: `${mbps(nativeT).toFixed(0)} MB/s (${(nativeT.ms / 1000).toFixed(1)} s) native`,
        ratio: vsNative,
        target: 'ratio > 1',
        met: vsNative > 1,
      },
      {
        id: '7c',
        what: 'browser peak memory growth, polyfill, one 200 MB vs one 10 MB file',
        value: `+${mb(growth(large))}`,
        baseline: `+${mb(growth(small))} for 10 MB`,
        ratio: memRatio,
        target: 'flat (ratio ≈ 1, far below 20)',
        met: growth(large) < 64 * MB,
        note: `resident memory of all the browser processes, sampled every 100 ms, above what they held just before; flat means well under 64 MB of growth for a 200 MB body. Native background fetch of the same 200 MB file: +${mb(growth(nativeLarge))}`,
        raw: { small, large, nativeLarge },
      },
    ];
  } finally {
    await launched.close();
  }
}
