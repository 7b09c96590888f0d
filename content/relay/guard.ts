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
    let size: number;
    try {
      size = JSON.stringify(raw)?.length ?? 0;
    } catch {
      return this.refuse('invalid', 'not serializable');
    }
    if (size > LIMITS.messageChars) return this.refuse('oversized', `${size} characters`);
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

function sampleOf(data: unknown): string {
  try {
    return (JSON.stringify(data) ?? String(data)).slice(0, 200);
  } catch {
    return '(unserializable)';
  }
}
