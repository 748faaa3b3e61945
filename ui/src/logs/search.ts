// Search and filter over the buffer: plain text or a regular expression,
// with invalid expressions reported instead of thrown.
import type { Span } from "./ansi";
import { stripAnsi } from "./ansi";
import type { LogRing } from "./ring";

export type QueryMode = { regex: boolean; caseSensitive: boolean };

export type Matcher = {
  /** True when `text` has at least one match. */
  test: (text: string) => boolean;
  /** Non-overlapping, non-empty match ranges [start, end). */
  ranges: (text: string) => [number, number][];
};

export type Compiled = { ok: true; matcher: Matcher | null } | { ok: false; error: string };

function escapeRegex(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
}

/** Compiles a query; an empty query matches nothing (matcher null). */
export function compileQuery(query: string, mode: QueryMode): Compiled {
  if (query === "") return { ok: true, matcher: null };
  let re: RegExp;
  try {
    re = new RegExp(mode.regex ? query : escapeRegex(query), mode.caseSensitive ? "gu" : "giu");
  } catch (err) {
    return { ok: false, error: err instanceof Error ? err.message : String(err) };
  }
  const single = new RegExp(re.source, re.flags.replace("g", ""));
  return {
    ok: true,
    matcher: {
      test: (text) => single.test(text),
      ranges: (text) => {
        const out: [number, number][] = [];
        re.lastIndex = 0;
        for (let m = re.exec(text); m !== null; m = re.exec(text)) {
          if (m[0].length === 0) {
            // An empty match (e.g. /x*/) would loop forever; skip a character.
            re.lastIndex++;
            continue;
          }
          out.push([m.index, m.index + m[0].length]);
        }
        return out;
      },
    },
  };
}

/** Indices (into `texts`) of the entries that match. */
export function matchingIndices(texts: Iterable<string>, matcher: Matcher): number[] {
  const out: number[] = [];
  let i = 0;
  for (const t of texts) {
    if (matcher.test(t)) out.push(i);
    i++;
  }
  return out;
}

/** The position to move to from `current` (wrapping); -1 when there are no matches. */
export function step(count: number, current: number, direction: 1 | -1): number {
  if (count === 0) return -1;
  if (current < 0 || current >= count) return direction === 1 ? 0 : count - 1;
  return (current + direction + count) % count;
}

export type MarkedSpan = Span & { match: boolean };

/**
 * Splits styled spans so the parts inside `ranges` (offsets into the joined
 * span text) are marked.
 */
export function highlight(spans: readonly Span[], ranges: readonly [number, number][]): MarkedSpan[] {
  if (ranges.length === 0) return spans.map((s) => ({ ...s, match: false }));
  const out: MarkedSpan[] = [];
  let offset = 0;
  let r = 0;
  for (const span of spans) {
    const end = offset + span.text.length;
    let pos = offset;
    while (pos < end) {
      while (r < ranges.length && (ranges[r]?.[1] ?? 0) <= pos) r++;
      const range = ranges[r];
      if (range === undefined || range[0] >= end) {
        out.push({ text: span.text.slice(pos - offset), style: span.style, match: false });
        pos = end;
      } else if (range[0] > pos) {
        out.push({ text: span.text.slice(pos - offset, range[0] - offset), style: span.style, match: false });
        pos = range[0];
      } else {
        const stop = Math.min(range[1], end);
        out.push({ text: span.text.slice(pos - offset, stop - offset), style: span.style, match: true });
        pos = stop;
      }
    }
    offset = end;
  }
  return out;
}

/**
 * Matching lines of a ring buffer, kept up to date incrementally: each
 * update tests only the entries pushed since the last one and forgets the
 * ones the ring dropped, so a batch costs O(batch), not O(buffer).
 */
export class MatchIndex {
  private seqs: number[] = [];
  private tested = 0;

  constructor(readonly matcher: Matcher) {}

  /** Positions (0 = oldest held) of the matching lines now in `ring`. */
  update(ring: LogRing): number[] {
    const first = ring.at(0)?.seq ?? ring.total;
    let drop = 0;
    while (drop < this.seqs.length && (this.seqs[drop] ?? 0) < first) drop++;
    if (drop > 0) this.seqs = this.seqs.slice(drop);
    for (let seq = Math.max(this.tested, first); seq < ring.total; seq++) {
      const e = ring.at(seq - first);
      if (e?.kind === "line" && this.matcher.test(stripAnsi(e.text))) this.seqs.push(seq);
    }
    this.tested = ring.total;
    return this.seqs.map((s) => s - first);
  }
}
