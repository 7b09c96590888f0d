/**
 * What the relay holds while its runtime port is down (the MV3 worker was
 * killed): the newest `cap` messages; each older one dropped is reported.
 */
export class PendingQueue<T> {
  private items: T[] = [];

  constructor(
    private readonly cap: number,
    private readonly onDrop: () => void,
  ) {}

  push(item: T): void {
    if (this.items.length >= this.cap) {
      this.items.shift();
      this.onDrop();
    }
    this.items.push(item);
  }

  /** Empties the queue, returning what it held, oldest first. */
  take(): T[] {
    const out = this.items;
    this.items = [];
    return out;
  }
}
