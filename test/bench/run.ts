/**
 * `npm run bench`: the figures of issue 6 in real headless Chromium, printed
 * as a table and written to test/artifacts/bench.json. Nothing here asserts:
 * on a shared machine timings are evidence, not pass/fail.
 *
 *   npm run bench                 all figures (~4 min)
 *   npm run bench -- --only=1,3   some of them
 *   BENCH_TRANSFER_MB=50 npm run bench -- --only=7   the full 10 x 50 MB
 */
import { execFileSync } from 'node:child_process';
import { cpus, loadavg, totalmem } from 'node:os';
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { chromiumPath, launchChromium, ROOT, type Launched } from '../support/chromium';
import { emptyExtension } from './browsers';
import { hookOverhead, pageCost } from './fig-hook';
import { panelFigures } from './fig-panel';
import { polyfillFigures } from './fig-polyfill';
import { relayLatency } from './fig-relay';
import { table, writeJson, type Figure } from './report';
import { startBenchServer } from './server';

const only = process.argv.find((a) => a.startsWith('--only='))?.slice('--only='.length).split(',');
const wanted = (n: string) => !only || only.includes(n);

const server = await startBenchServer();
const figures: Figure[] = [];
const started = Date.now();
/**
 * Without the extension; with an empty one; with ours and never a panel open
 * (webRequest listeners are browser-wide while any panel is open); with ours
 * and a panel open.
 */
let browsers: { plain: Launched; emptyExt: Launched; ext: Launched; extPanel: Launched } | null = null;
const emptyDir = emptyExtension();
const all = async () =>
  (browsers ??= {
    plain: await launchChromium({ extension: false }),
    emptyExt: await launchChromium({ extensionDir: emptyDir }),
    ext: await launchChromium({ extension: true }),
    extPanel: await launchChromium({ extension: true }),
  });

async function step(name: string, work: () => Promise<Figure[]>): Promise<void> {
  const t0 = Date.now();
  process.stdout.write(`${name}... `);
  try {
    figures.push(...(await work()));
    console.log(`${((Date.now() - t0) / 1000).toFixed(0)} s`);
  } catch (error) {
    console.log('failed');
    console.error(error);
    figures.push({ id: name.split(' ')[0]!, what: name, value: `error: ${(error as Error).message.split('\n')[0]}`, target: '', met: false });
  }
}

const chromium = execFileSync(chromiumPath(), ['--version'], { encoding: 'utf8' }).trim();
const loadBefore = loadavg()[0]!;
try {
  if (wanted('1')) await step('1 hook overhead', async () => all().then((b) => hookOverhead(server, b)));
  if (wanted('2')) await step('2 page cost when unused', async () => all().then((b) => pageCost(server, b.plain, b.ext)));
  if (wanted('3') || wanted('5')) await step('3 relay latency (+5 background memory)', async () => all().then((b) => relayLatency(server, b.extPanel)));
  await closeBrowsers();
  if (wanted('4') || wanted('5') || wanted('6')) await step('4-6 panel scale, memory, HAR', () => panelFigures({ scale: wanted('4'), memory: wanted('5'), har: wanted('6') }));
  if (wanted('7')) await step('7 polyfill throughput and memory', () => polyfillFigures(server));
} finally {
  await closeBrowsers();
  await server.close();
  rmSync(emptyDir, { recursive: true, force: true });
}

async function closeBrowsers(): Promise<void> {
  if (!browsers) return;
  const b = browsers;
  browsers = null;
  await Promise.all(Object.values(b).map((l) => l.close()));
}

figures.sort((a, b) => a.id.localeCompare(b.id, 'en', { numeric: true }));
const machine = {
  cpu: cpus()[0]?.model ?? '',
  cores: cpus().length,
  memoryGB: Math.round(totalmem() / 2 ** 30),
  node: process.version,
  chromium,
  // Other processes share the cores: wall-clock figures stretch with this.
  loadAverage: { start: loadBefore, end: loadavg()[0]! },
};
console.log(`\n${table(figures)}\n`);
console.log(`Machine: ${machine.cpu}, ${machine.cores} cores, ${machine.memoryGB} GB, Node ${machine.node}, ${chromium}; load average ${loadBefore.toFixed(1)} at start, ${machine.loadAverage.end.toFixed(1)} at end. Total ${((Date.now() - started) / 1000).toFixed(0)} s.`);
const out = join(ROOT, 'test/artifacts/bench.json');
writeJson(out, figures, machine);
console.log(`JSON: ${out}`);
