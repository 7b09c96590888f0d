/** The benchmark's figures: one table on stdout, the same rows as JSON. */
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';

export interface Figure {
  /** Figure number in issue 6, with a letter when it has several rows. */
  id: string;
  what: string;
  /** Human-readable measured value. */
  value: string;
  /** The same-run baseline it is compared to, when there is one. */
  baseline?: string;
  ratio?: number;
  target: string;
  /** true: target met; false: missed; null: no target or not measured. */
  met: boolean | null;
  note?: string;
  raw?: Record<string, unknown>;
}

const verdict = (f: Figure) => (f.met === null ? '–' : f.met ? 'met' : 'MISSED');

export function table(figures: readonly Figure[]): string {
  const header = ['#', 'figure', 'value', 'baseline (same run)', 'ratio', 'target', 'verdict'];
  const rows = figures.map((f) => [
    f.id,
    f.what,
    f.value,
    f.baseline ?? '',
    f.ratio === undefined || Number.isNaN(f.ratio) ? '' : f.ratio.toFixed(2),
    f.target,
    verdict(f),
  ]);
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
  const line = (cells: string[]) => `| ${cells.map((c, i) => c.padEnd(widths[i]!)).join(' | ')} |`;
  const notes = figures.filter((f) => f.note).map((f) => `  ${f.id}: ${f.note}`);
  return [line(header), line(widths.map((w) => '-'.repeat(w))), ...rows.map(line), ...(notes.length ? ['', 'Notes:', ...notes] : [])].join('\n');
}

export function writeJson(path: string, figures: readonly Figure[], machine: Record<string, unknown>): void {
  mkdirSync(dirname(path), { recursive: true });
  writeFileSync(path, `${JSON.stringify({ at: new Date().toISOString(), machine, figures }, null, 2)}\n`);
}
