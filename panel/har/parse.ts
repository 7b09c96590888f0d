/**
 * A HAR file -> read-only panel rows, or a plain-words reason why not. Pure.
 *
 * The file may come from anyone, so it is validated as strictly as a message
 * from the page (the same valibot schemas), sizes capped, and either every
 * row is accepted or none is.
 */
import * as v from 'valibot';
import { LIMITS, type RecordData } from '../../extension/protocol';
import { RegistrationSchema, RejectionSchema } from '../../extension/protocol-schema';
import type { Row, TimelineEntry } from '../state/types';
import { HAR_CREATOR, HAR_FORMAT } from './build';

/** Larger files are refused before reading: the panel keeps LIMITS.panelRegistrations rows at most. */
export const MAX_HAR_BYTES = 256 * 1024 * 1024;

export type ParseResult = { ok: true; rows: Row[] } | { ok: false; error: string };

const str = (max: number = LIMITS.string) => v.pipe(v.string(), v.maxLength(max));
const time = v.pipe(v.number(), v.finite(), v.minValue(0));
const count = time;

const Timeline = v.pipe(
  v.array(
    v.strictObject({
      at: time,
      kind: v.picklist(['called', 'registered', 'discovered', 'reattached', 'progress', 'settled', 'rejected', 'lost']),
      uploaded: v.optional(count),
      downloaded: v.optional(count),
      result: v.optional(v.picklist(['', 'success', 'failure'])),
      failureReason: v.optional(RegistrationSchema.entries.failureReason),
      text: v.optional(str()),
    }),
  ),
  v.maxLength(LIMITS.timeline + 1),
);

const RowBase = {
  source: v.object({ frameUrl: str(), origin: str() }),
  timeline: Timeline,
  lost: v.boolean(),
  previousPage: v.boolean(),
};

const ExportedRowSchema = v.variant('kind', [
  v.object({ kind: v.literal('registration'), data: RegistrationSchema, ...RowBase }),
  v.object({ kind: v.literal('rejection'), data: RejectionSchema, ...RowBase }),
]);

const HarShape = v.object({
  log: v.object({
    version: v.string(),
    creator: v.object({ name: v.string(), version: v.string() }),
    entries: v.array(v.unknown()),
  }),
});

const BackgroundFetchSchema = v.object({
  format: v.number(),
  rows: v.pipe(v.array(ExportedRowSchema), v.maxLength(LIMITS.panelRegistrations)),
});

const ResponseHeaders = v.pipe(v.array(v.object({ name: str(256), value: str() })), v.maxLength(LIMITS.headers));

/** What an entry must hold for its record to be rebuilt; other HAR fields are ignored. */
const EntrySchema = v.object({
  response: v.object({
    status: v.pipe(v.number(), v.integer(), v.minValue(0), v.maxValue(999)),
    statusText: str(256),
    headers: ResponseHeaders,
  }),
  _backgroundFetch: v.object({
    row: v.pipe(v.number(), v.integer(), v.minValue(0)),
    request: v.pipe(v.number(), v.integer(), v.minValue(0), v.maxValue(LIMITS.requests - 1)),
    record: v.nullable(
      v.object({
        state: v.picklist(['pending', 'ready', 'failed']),
        type: str(32),
        url: str(),
        error: str(),
      }),
    ),
  }),
});

/** Parses the text of a HAR file exported by this panel; `file` names the imported rows. */
export function parseHar(text: string, file: string): ParseResult {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (e) {
    return { ok: false, error: `${file} is not a HAR file: it is not valid JSON (${(e as Error).message}).` };
  }
  const har = v.safeParse(HarShape, json);
  if (!har.success) return { ok: false, error: `${file} is not a HAR file: ${issueText(har.issues)}.` };
  const log = har.output.log;
  const bf = (json as { log: { _backgroundFetch?: unknown } }).log._backgroundFetch;
  if (bf === undefined) {
    const creator = `${log.creator.name} ${log.creator.version}`.trim();
    return {
      ok: false,
      error: `${file} is a HAR file from ${JSON.stringify(creator.slice(0, 80))}, not from this panel: it holds no background-fetch registrations. Open it in the Network panel instead.`,
    };
  }
  const format = v.safeParse(v.object({ format: v.number() }), bf);
  if (format.success && format.output.format > HAR_FORMAT) {
    return { ok: false, error: `${file} was written by a newer version of ${HAR_CREATOR} (format ${format.output.format}); update the extension to read it.` };
  }
  const parsed = v.safeParse(BackgroundFetchSchema, bf);
  if (!parsed.success) return { ok: false, error: `${file} has invalid background-fetch data: ${issueText(parsed.issues)}.` };
  const exported = parsed.output.rows;
  if (exported.length === 0) return { ok: false, error: `${file} holds no background-fetch registrations.` };

  const records = new Map<number, RecordData[]>();
  for (let i = 0; i < log.entries.length; i++) {
    const entry = v.safeParse(EntrySchema, log.entries[i]);
    // Entries without our context (added by another tool) are skipped, not fatal.
    if (!entry.success) {
      if (hasContext(log.entries[i])) return { ok: false, error: `${file}: entry ${i} is invalid: ${issueText(entry.issues)}.` };
      continue;
    }
    const ctx = entry.output._backgroundFetch;
    const row = exported[ctx.row];
    if (!row || row.kind !== 'registration' || ctx.request >= row.data.requests.length) {
      return { ok: false, error: `${file}: entry ${i} points at no registration request.` };
    }
    if (!ctx.record) continue;
    const res = entry.output.response;
    const list = records.get(ctx.row) ?? [];
    list.push({
      index: ctx.request,
      request: row.data.requests[ctx.request]!,
      state: ctx.record.state,
      response: ctx.record.state === 'ready' ? { status: res.status, statusText: res.statusText, type: ctx.record.type, url: ctx.record.url, headers: res.headers.map((h) => [h.name, h.value]) } : null,
      error: ctx.record.error ? splitError(ctx.record.error) : null,
    });
    records.set(ctx.row, list);
  }

  const rows = exported.map((r, i): Row => {
    const base = {
      rowKey: '',
      ordinal: 0,
      // No live frame or hook session behind an imported row: commands cannot reach it.
      source: { frameId: -1, frameUrl: r.source.frameUrl, origin: r.source.origin, session: `imported:${file}`, hookKey: r.data.key },
      timeline: r.timeline as TimelineEntry[],
      lost: r.lost,
      previousPage: r.previousPage,
      imported: { file, records: records.get(i)?.sort((a, b) => a.index - b.index) ?? null },
    };
    return r.kind === 'registration' ? { ...base, kind: 'registration', data: r.data } : { ...base, kind: 'rejection', data: r.data };
  });
  return { ok: true, rows };
}

function hasContext(entry: unknown): boolean {
  return typeof entry === 'object' && entry !== null && '_backgroundFetch' in entry;
}

function splitError(text: string): { name: string; message: string } {
  const at = text.indexOf(': ');
  return at < 0 ? { name: 'Error', message: text } : { name: text.slice(0, at), message: text.slice(at + 2) };
}

function issueText(issues: readonly v.BaseIssue<unknown>[]): string {
  const first = issues[0]!;
  const path = v.getDotPath(first);
  return `${path ? `${path}: ` : ''}${first.message}`.slice(0, 300);
}
