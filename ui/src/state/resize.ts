// Sizes the user drags (details panel, dock, columns): the arithmetic, kept
// pure so the bounds are tested without a layout engine.

export type Bounds = { min: number; max: number };

export const DETAILS_BOUNDS: Bounds = { min: 280, max: 1400 };
export const DOCK_BOUNDS: Bounds = { min: 120, max: 1200 };
export const COLUMN_BOUNDS: Bounds = { min: 48, max: 1200 };
/** A keyboard step on a splitter, in pixels (Shift: 4x). */
export const KEY_STEP = 16;

export function clampSize(size: number, b: Bounds): number {
  return Math.round(Math.min(b.max, Math.max(b.min, size)));
}

/**
 * The size after dragging by `delta` pixels. `grows`: +1 when moving the
 * pointer right/down makes the thing larger, -1 when it shrinks it (a panel
 * on the right, a dock at the bottom).
 */
export function dragged(start: number, delta: number, grows: 1 | -1, b: Bounds): number {
  return clampSize(start + grows * delta, b);
}

/** The size after an arrow key on a splitter, or null for other keys. */
export function keyed(size: number, key: string, shift: boolean, grows: 1 | -1, vertical: boolean, b: Bounds): number | null {
  const step = shift ? KEY_STEP * 4 : KEY_STEP;
  const forward = vertical ? "ArrowDown" : "ArrowRight";
  const backward = vertical ? "ArrowUp" : "ArrowLeft";
  if (key === forward) return clampSize(size + grows * step, b);
  if (key === backward) return clampSize(size - grows * step, b);
  if (key === "Home") return b.min;
  if (key === "End") return b.max;
  return null;
}

/** The grid track of a column: the dragged width, else the default. */
export function columnTrack(width: number | undefined, first: boolean): string {
  if (width !== undefined) return `${String(width)}px`;
  return first ? "minmax(180px, 2.5fr)" : "minmax(70px, 1fr)";
}
