/** Keys that move the focus in a vertical list. */
export type MoveKey = "ArrowUp" | "ArrowDown" | "Home" | "End";

export function isMoveKey(key: string): key is MoveKey {
  return key === "ArrowUp" || key === "ArrowDown" || key === "Home" || key === "End";
}

/**
 * Index to focus after `key` in a list of `count` items when `current` has the
 * focus (-1: none). Stops at the ends rather than wrapping, like a native list.
 * Returns null when there is nowhere to go.
 */
export function nextIndex(current: number, count: number, key: MoveKey): number | null {
  if (count <= 0) return null;
  const last = count - 1;
  switch (key) {
    case "Home":
      return 0;
    case "End":
      return last;
    case "ArrowDown":
      if (current < 0) return 0;
      return Math.min(current + 1, last);
    case "ArrowUp":
      if (current < 0 || current > last) return last;
      return Math.max(current - 1, 0);
  }
}

/** Same as `nextIndex`, over item keys. */
export function nextKey(keys: readonly string[], current: string | null, key: MoveKey): string | null {
  const index = nextIndex(current === null ? -1 : keys.indexOf(current), keys.length, key);
  return index === null ? null : (keys[index] ?? null);
}

/**
 * The one item of a roving-tabindex group that Tab reaches: the last focused
 * one if it still exists, else the preferred (selected) one, else the first.
 */
export function tabStop(
  keys: readonly string[],
  active: string | null,
  preferred: string | null,
): string | null {
  if (active !== null && keys.includes(active)) return active;
  if (preferred !== null && keys.includes(preferred)) return preferred;
  return keys[0] ?? null;
}

/** Keys that activate the focused item. */
export function isActivateKey(key: string): boolean {
  return key === "Enter" || key === " ";
}
