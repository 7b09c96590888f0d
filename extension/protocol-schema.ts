/**
 * Runtime schemas for what arrives from the inspected page. The page is
 * untrusted and can influence everything the hook reports, so the relay
 * checks each message against these before anything privileged sees it.
 * Kept beside protocol.ts so the two cannot drift: each schema is checked
 * against its type below.
 */
import * as v from 'valibot';
import {
  LIMITS,
  type CommandResults,
  type EventBatch,
  type HookToRelay,
  type RegistrationData,
  type RejectionData,
  type ReplyEnvelope,
} from './protocol';

const str = (max: number = LIMITS.string) => v.pipe(v.string(), v.maxLength(max));
const count = v.pipe(v.number(), v.finite(), v.minValue(0));
const time = v.pipe(v.number(), v.finite(), v.minValue(0));

const Result = v.picklist(['', 'success', 'failure']);
const FAULTS = ['aborted', 'bad-status', 'fetch-error', 'quota-exceeded', 'download-total-exceeded'] as const;
const Reason = v.picklist(['', ...FAULTS]);
const Injected = v.strictObject({ reason: v.picklist(FAULTS), simulated: v.boolean(), ruleId: v.optional(v.pipe(v.string(), v.maxLength(64))) });

const Icon = v.strictObject({
  src: str(),
  sizes: v.optional(str(256)),
  type: v.optional(str(256)),
  label: v.optional(str(256)),
});

const Options = v.strictObject({
  title: str(),
  icons: v.pipe(v.array(Icon), v.maxLength(LIMITS.icons)),
  downloadTotal: count,
});

const Headers = v.pipe(v.array(v.tuple([str(256), str()])), v.maxLength(LIMITS.headers));

const Request = v.strictObject({
  method: str(32),
  url: str(),
  mode: str(32),
  credentials: str(32),
  headers: Headers,
  bodySize: v.nullable(count),
  bodyPreview: v.optional(str(LIMITS.bodyPreview * 4)),
});

const ErrorData = v.strictObject({ name: str(128), message: str() });

export const RegistrationSchema = v.strictObject({
  key: str(64),
  id: str(LIMITS.id),
  scope: str(),
  options: Options,
  uploadTotal: count,
  uploaded: count,
  downloadTotal: count,
  downloaded: count,
  result: Result,
  failureReason: Reason,
  recordsAvailable: v.boolean(),
  requests: v.pipe(v.array(Request), v.maxLength(LIMITS.requests)),
  requestCount: count,
  origin: v.picklist(['fetch', 'discovered']),
  calledAt: v.nullable(time),
  seenAt: time,
  settledAt: v.nullable(time),
  injected: v.nullable(Injected),
});

export const RejectionSchema = v.strictObject({
  key: str(64),
  id: str(LIMITS.id),
  scope: str(),
  options: Options,
  requests: v.pipe(v.array(Request), v.maxLength(LIMITS.requests)),
  requestCount: count,
  error: ErrorData,
  calledAt: time,
});

const HookInfo = v.strictObject({
  url: str(),
  origin: str(),
  isTop: v.boolean(),
  implementation: v.picklist(['native', 'polyfill', 'none']),
  protocol: v.number(),
  degraded: v.nullable(str()),
});

const HookEvent = v.variant('type', [
  v.strictObject({ type: v.literal('hello'), info: HookInfo }),
  v.strictObject({ type: v.literal('registered'), registration: RegistrationSchema }),
  v.strictObject({
    type: v.literal('progress'),
    key: str(64),
    at: time,
    uploaded: count,
    downloaded: count,
    result: Result,
    failureReason: Reason,
    recordsAvailable: v.boolean(),
  }),
  v.strictObject({ type: v.literal('rejected'), rejection: RejectionSchema }),
]);

const Session = v.pipe(v.string(), v.minLength(1), v.maxLength(64));
const Seq = v.pipe(v.number(), v.integer(), v.minValue(1));

const EventEnvelope = v.strictObject({
  kind: v.literal('event'),
  session: Session,
  seq: Seq,
  event: HookEvent,
});

const EventBatchSchema = v.strictObject({
  kind: v.literal('events'),
  envelopes: v.pipe(v.array(EventEnvelope), v.minLength(1), v.maxLength(LIMITS.batchEvents)),
});

const Snapshot = v.strictObject({
  info: HookInfo,
  registrations: v.pipe(v.array(RegistrationSchema), v.maxLength(LIMITS.snapshotRegistrations)),
  rejections: v.pipe(v.array(RejectionSchema), v.maxLength(LIMITS.snapshotRejections)),
});

/** Results by command; a reply is checked against the command it answers. */
export const CommandResultSchemas = {
  sync: v.variant('mode', [
    v.strictObject({
      mode: v.literal('events'),
      session: Session,
      events: v.pipe(v.array(EventEnvelope), v.maxLength(LIMITS.hookEventLog)),
    }),
    v.strictObject({ mode: v.literal('snapshot'), session: Session, seq: v.pipe(v.number(), v.integer(), v.minValue(0)), snapshot: Snapshot }),
  ]),
  abort: v.boolean(),
  records: v.strictObject({
    live: v.boolean(),
    records: v.pipe(
    v.array(
      v.strictObject({
        index: count,
        request: Request,
        state: v.picklist(['pending', 'ready', 'failed']),
        response: v.nullable(
          v.strictObject({ status: v.pipe(v.number(), v.integer(), v.minValue(0), v.maxValue(999)), statusText: str(256), type: str(32), url: str(), headers: Headers }),
        ),
        error: v.nullable(ErrorData),
      }),
    ),
    v.maxLength(LIMITS.requests),
    ),
  }),
  body: v.strictObject({
    contentType: str(256),
    encoding: v.picklist(['text', 'base64']),
    // base64 takes 4 characters per 3 bytes; text at most one per byte.
    data: v.pipe(v.string(), v.maxLength(Math.ceil(LIMITS.responsePreview / 3) * 4)),
    bytes: count,
    truncated: v.boolean(),
  }),
  'save-body': v.strictObject({ filename: str(256), bytes: count }),
  replay: v.strictObject({ key: str(64), id: str(LIMITS.id) }),
  fail: Injected,
  'set-fault-rules': count,
} as const;

const Rid = v.pipe(v.number(), v.integer(), v.minValue(1));

const Reply = v.variant('ok', [
  v.strictObject({ kind: v.literal('reply'), rid: Rid, ok: v.literal(true), result: v.unknown() }),
  v.strictObject({ kind: v.literal('reply'), rid: Rid, ok: v.literal(false), error: ErrorData }),
]);

export const HookToRelaySchema = v.variant('kind', [EventBatchSchema, Reply]);

// Compile-time checks that the schemas produce the protocol's types.
type Assert<T extends true> = T;
type Same<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false;
export type _Checks = [
  Assert<Same<v.InferOutput<typeof RegistrationSchema>, RegistrationData>>,
  Assert<Same<v.InferOutput<typeof RejectionSchema>, RejectionData>>,
  Assert<Same<v.InferOutput<typeof EventBatchSchema>, EventBatch>>,
  Assert<Same<v.InferOutput<typeof Reply>, ReplyEnvelope>>,
  Assert<Same<v.InferOutput<typeof HookToRelaySchema>, HookToRelay>>,
  Assert<Same<v.InferOutput<(typeof CommandResultSchemas)['sync']>, CommandResults['sync']>>,
  Assert<Same<v.InferOutput<(typeof CommandResultSchemas)['abort']>, CommandResults['abort']>>,
  Assert<Same<v.InferOutput<(typeof CommandResultSchemas)['records']>, CommandResults['records']>>,
  Assert<Same<v.InferOutput<(typeof CommandResultSchemas)['body']>, CommandResults['body']>>,
  Assert<Same<v.InferOutput<(typeof CommandResultSchemas)['save-body']>, CommandResults['save-body']>>,
  Assert<Same<v.InferOutput<(typeof CommandResultSchemas)['replay']>, CommandResults['replay']>>,
  Assert<Same<v.InferOutput<(typeof CommandResultSchemas)['fail']>, CommandResults['fail']>>,
  Assert<Same<v.InferOutput<(typeof CommandResultSchemas)['set-fault-rules']>, CommandResults['set-fault-rules']>>,
];

/** Validates a message from the hook; the result says why it was refused. */
export function checkHookMessage(message: unknown): { ok: true; message: HookToRelay } | { ok: false; reason: string } {
  const result = v.safeParse(HookToRelaySchema, message, { abortEarly: true });
  if (result.success) return { ok: true, message: result.output };
  const issue = result.issues[0];
  const path = issue.path?.map((p) => String(p.key)).join('.') ?? '';
  return { ok: false, reason: `${path ? path + ': ' : ''}${issue.message}`.slice(0, 300) };
}

/** Validates a reply's result against the command it answers. */
export function checkCommandResult(type: keyof typeof CommandResultSchemas, result: unknown): boolean {
  return v.safeParse(CommandResultSchemas[type], result, { abortEarly: true }).success;
}
