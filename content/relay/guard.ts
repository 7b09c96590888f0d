/**
 * The relay's gate for what the hook sends: schema, size and rate. Whatever
 * fails is dropped and counted, never forwarded. Pure, for unit tests.
 */
import { checkCommandResult, type CommandResultSchemas } from '../../extension/protocol-schema';
import { checkHookMessage } from '../../extension/protocol-schema';
import { LIMITS, type HookToRelay } from '../../extension/protocol';

export interface DropCounts {
  invalid: number;
  oversized: number;
  rateLimited: number;
  forged: number;
  sample: string;
}

type CommandType = keyof typeof CommandResultSchemas;

export class Guard {
  counts: DropCounts = { invalid: 0, oversized: 0, rateLimited: 0, forged: 0, sample: '' };
  /** Commands forwarded to the hook and not yet answered: rid -> type. */
  private readonly awaiting = new Map<number, CommandType>();
  private windowStart = 0;
  private inWindow = 0;

  constructor(private readonly now: () => number = Date.now) {}

  expectReply(rid: number, type: CommandType): void {
    if (this.awaiting.size >= 256) this.awaiting.delete(this.awaiting.keys().next().value!);
    this.awaiting.set(rid, type);
  }

  /** Returns the message to forward, or null when it was dropped. */
  admit(raw: unknown): HookToRelay | null {
    const t = this.now();
    if (t - this.windowStart >= 1000) {
      this.windowStart = t;
      this.inWindow = 0;
    }
    if (++this.inWindow > LIMITS.messagesPerSecond) {
      this.counts.rateLimited++;
      return null;
    }
    const size = measure(raw, LIMITS.messageChars);
    if (size === 'too-deep') return this.refuse('invalid', `nested deeper than ${MAX_DEPTH} levels`);
    if (size === 'not-data') return this.refuse('invalid', 'holds a value that is not plain data');
    if (size === 'over') return this.refuse('oversized', `over ${LIMITS.messageChars} characters`);
    const checked = checkHookMessage(raw);
    if (!checked.ok) return this.refuse('invalid', checked.reason);
    const message = checked.message;
    if (message.kind === 'reply') {
      const type = this.awaiting.get(message.rid);
      if (!type) return this.refuse('invalid', `reply to unknown request ${message.rid}`);
      this.awaiting.delete(message.rid);
      if (message.ok && !checkCommandResult(type, message.result)) {
        return this.refuse('invalid', `malformed ${type} result`);
      }
    }
    return message;
  }

  /** A window message imitating the protocol: a page trying to talk to us. */
  noteForged(data: unknown): void {
    this.counts.forged++;
    this.counts.sample = sampleOf(data);
  }

  /**
   * The relay's queue was full while its port was down and dropped its oldest
   * message. Counted with rate-limited drops: the frame sent more than could
   * be carried. The panel's sync after reconnecting recovers the events from
   * the hook's log, so a drop shows here without a gap in the rows.
   */
  noteOverflow(): void {
    this.counts.rateLimited++;
    this.counts.sample = 'queue full while reconnecting: oldest message dropped';
  }

  /** Takes the counts accumulated since the last call, if any. */
  takeCounts(): DropCounts | null {
    const c = this.counts;
    if (!c.invalid && !c.oversized && !c.rateLimited && !c.forged) return null;
    this.counts = { invalid: 0, oversized: 0, rateLimited: 0, forged: 0, sample: '' };
    return c;
  }

  private refuse(kind: 'invalid' | 'oversized', why: string): null {
    this.counts[kind]++;
    this.counts.sample = why.slice(0, 300);
    return null;
  }
}

const MAX_DEPTH = 16;

/**
 * Approximate serialized size, stopping as soon as `budget` is exceeded.
 * JSON.stringify would do, but a structured clone keeps shared references,
 * and stringifying a message that reuses one object at every level is
 * exponential. Here every visited node costs budget, so work is bounded.
 */
export function measure(value: unknown, budget: number): number | 'over' | 'too-deep' | 'not-data' {
  let total = 0;
  const stack: [unknown, number][] = [[value, 0]];
  while (stack.length) {
    const [v, depth] = stack.pop()!;
    if (depth > MAX_DEPTH) return 'too-deep';
    switch (typeof v) {
      case 'string':
        total += v.length + 2;
        break;
      case 'number':
      case 'boolean':
      case 'undefined':
        total += 8;
        break;
      case 'object':
        total += 2;
        if (v === null) break;
        if (Array.isArray(v)) {
          for (const item of v) stack.push([item, depth + 1]);
          total += v.length;
        } else {
          for (const key of Object.keys(v)) {
            total += key.length + 4;
            stack.push([(v as Record<string, unknown>)[key], depth + 1]);
          }
        }
        break;
      default:
        return 'not-data';
    }
    if (total > budget) return 'over';
  }
  return total;
}

function sampleOf(data: unknown): string {
  if (measure(data, 4096) === 'over') return '(large message)';
  try {
    return (JSON.stringify(data) ?? String(data)).slice(0, 200);
  } catch {
    return '(unserializable)';
  }
}
