// A bounded buffer of log entries: the newest `capacity` entries are kept,
// older ones are overwritten, so memory stays flat however long a stream runs.
import type { MarkerKind } from "../bindings/MarkerKind";

export type LogEntry =
  | { kind: "line"; seq: number; source: number; time: string | null; text: string }
  | { kind: "marker"; seq: number; source: number; marker: MarkerKind };

/** Entries without the sequence number the buffer assigns. */
export type NewEntry =
  | { kind: "line"; source: number; time: string | null; text: string }
  | { kind: "marker"; source: number; marker: MarkerKind };

export const DEFAULT_CAPACITY = 100_000;

export class LogRing {
  readonly capacity: number;
  private items: (LogEntry | undefined)[];
  private start = 0;
  private size = 0;
  private nextSeq = 0;

  constructor(capacity: number = DEFAULT_CAPACITY) {
    if (!Number.isInteger(capacity) || capacity < 1) throw new RangeError("capacity must be a positive integer");
    this.capacity = capacity;
    this.items = new Array<LogEntry | undefined>(capacity);
  }

  get length(): number {
    return this.size;
  }

  /** Entries ever pushed, including the ones dropped since. */
  get total(): number {
    return this.nextSeq;
  }

  /** How many entries were dropped to stay within capacity. */
  get dropped(): number {
    return this.nextSeq - this.size;
  }

  push(entry: NewEntry): void {
    const stored: LogEntry = { ...entry, seq: this.nextSeq++ };
    if (this.size < this.capacity) {
      this.items[(this.start + this.size) % this.capacity] = stored;
      this.size++;
    } else {
      this.items[this.start] = stored;
      this.start = (this.start + 1) % this.capacity;
    }
  }

  /** The i-th oldest entry still held (0 = oldest). */
  at(i: number): LogEntry | undefined {
    if (i < 0 || i >= this.size) return undefined;
    return this.items[(this.start + i) % this.capacity];
  }

  /** Oldest to newest. */
  *[Symbol.iterator](): IterableIterator<LogEntry> {
    for (let i = 0; i < this.size; i++) {
      const e = this.items[(this.start + i) % this.capacity];
      if (e !== undefined) yield e;
    }
  }

  clear(): void {
    this.items = new Array<LogEntry | undefined>(this.capacity);
    this.start = 0;
    this.size = 0;
  }
}
