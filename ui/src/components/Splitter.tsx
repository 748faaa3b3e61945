import type { KeyboardEvent, PointerEvent } from "react";
import { useRef } from "react";

import type { Bounds } from "../state/resize";
import { dragged, keyed } from "../state/resize";

type Props = {
  label: string;
  /** "vertical": a horizontal bar moved up/down (the dock); else a vertical bar moved left/right. */
  orientation: "horizontal" | "vertical";
  size: number;
  bounds: Bounds;
  /** +1 when moving right/down grows the panel, -1 when it shrinks it. */
  grows: 1 | -1;
  /** While dragging (not saved). */
  onResize: (size: number) => void;
  /** When the drag or key press ends: the size to keep. */
  onCommit: (size: number) => void;
  testId: string;
  /** The panel's size as laid out now, when `size` may not be it yet (never dragged). */
  measure?: () => number | null;
};

/** An element's laid-out width (or height), null when there is no layout (hidden, or a test's DOM). */
export function sizeOf(el: Element | null | undefined, vertical = false): number | null {
  const rect = el?.getBoundingClientRect();
  const size = vertical ? rect?.height : rect?.width;
  return size !== undefined && size > 0 ? size : null;
}

/**
 * A draggable edge between two panels (role="separator" with its value),
 * also moved with the arrow keys when focused.
 */
export function Splitter({ label, orientation, size, bounds, grows, onResize, onCommit, testId, measure }: Props) {
  const start = useRef<{ at: number; size: number; last: number } | null>(null);
  const vertical = orientation === "vertical";

  const onPointerDown = (e: PointerEvent<HTMLDivElement>) => {
    if (e.button !== 0) return;
    e.preventDefault();
    e.currentTarget.setPointerCapture(e.pointerId);
    const from = measure?.() ?? size;
    start.current = { at: vertical ? e.clientY : e.clientX, size: from, last: from };
  };
  const onPointerMove = (e: PointerEvent<HTMLDivElement>) => {
    const s = start.current;
    if (s === null) return;
    const next = dragged(s.size, (vertical ? e.clientY : e.clientX) - s.at, grows, bounds);
    s.last = next;
    onResize(next);
  };
  const onPointerUp = (e: PointerEvent<HTMLDivElement>) => {
    const s = start.current;
    if (s === null) return;
    start.current = null;
    e.currentTarget.releasePointerCapture(e.pointerId);
    onCommit(s.last);
  };
  const onKeyDown = (e: KeyboardEvent<HTMLDivElement>) => {
    const next = keyed(measure?.() ?? size, e.key, e.shiftKey, grows, vertical, bounds);
    if (next === null) return;
    e.preventDefault();
    onResize(next);
    onCommit(next);
  };

  return (
    <div
      className={`splitter splitter--${orientation}`}
      role="separator"
      aria-label={label}
      aria-orientation={orientation}
      aria-valuenow={size}
      aria-valuemin={bounds.min}
      aria-valuemax={bounds.max}
      tabIndex={0}
      data-testid={testId}
      onPointerDown={onPointerDown}
      onPointerMove={onPointerMove}
      onPointerUp={onPointerUp}
      onPointerCancel={onPointerUp}
      onKeyDown={onKeyDown}
    />
  );
}
