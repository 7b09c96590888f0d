/**
 * Response status, headers and (small) bodies for an export, read in the page
 * through the hook's `records` and `body` commands. Capped in rows, bodies and
 * bytes so a large export stays quick; what cannot be read is left out.
 */
import type { BodyPreview, RecordData } from '../../extension/protocol';
import type { Commands } from '../commands';
import type { Row } from '../state/types';
import { bodyKey } from './build';

export interface ResponseLimits {
  /** Registrations whose records are read; later ones are exported without responses. */
  rows: number;
  /** Response bodies read in all, and bytes read per body. */
  bodies: number;
  bodyBytes: number;
  /** Commands in flight at once. */
  concurrency: number;
}

export const DEFAULT_RESPONSE_LIMITS: ResponseLimits = { rows: 200, bodies: 50, bodyBytes: 64 * 1024, concurrency: 4 };

export async function readResponses(
  commands: NonNullable<Commands>,
  rows: Row[],
  limits: ResponseLimits = DEFAULT_RESPONSE_LIMITS,
): Promise<{ records: Map<string, RecordData[]>; bodies: Map<string, BodyPreview> }> {
  const records = new Map<string, RecordData[]>();
  const bodies = new Map<string, BodyPreview>();
  const live = rows.filter((r) => r.kind === 'registration' && !r.imported).slice(0, limits.rows);
  await pool(live, limits.concurrency, async (row) => {
    const result = await commands.command(row.source.frameId, { type: 'records', key: row.source.hookKey });
    records.set(row.rowKey, result.records);
  });
  const wanted: { row: Row; index: number }[] = [];
  for (const row of live) {
    const list = records.get(row.rowKey);
    // Chromium refuses match() once the service worker's event is over: bodies only while records are available.
    if (!list || row.kind !== 'registration' || !row.data.recordsAvailable) continue;
    for (const r of list) if (r.state === 'ready' && wanted.length < limits.bodies) wanted.push({ row, index: r.index });
  }
  await pool(wanted, limits.concurrency, async ({ row, index }) => {
    const body = await commands.command(row.source.frameId, { type: 'body', key: row.source.hookKey, index, maxBytes: limits.bodyBytes });
    bodies.set(bodyKey(row.rowKey, index), body);
  });
  return { records, bodies };
}

/** Runs `work` over `items`, `size` at a time; a failed item is skipped. */
async function pool<T>(items: T[], size: number, work: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  const lane = async () => {
    while (next < items.length) {
      const item = items[next++]!;
      await work(item).catch(() => undefined);
    }
  };
  await Promise.all(Array.from({ length: Math.min(size, items.length) }, lane));
}
