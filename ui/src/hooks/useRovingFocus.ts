import type { KeyboardEvent } from "react";
import { useCallback, useRef, useState } from "react";

import { isMoveKey, nextKey, tabStop } from "../state/keyboard";

export type RovingFocus = {
  /** The one row reachable with Tab: the last one focused, else `preferred`, else the first. */
  stop: string | null;
  /** A ref callback for the row `key` (rows are found by it when the arrows move). */
  refFor: (key: string) => (el: HTMLElement | null) => void;
  /** Rows report focus here, so Tab comes back to the row last used. */
  onFocusItem: (key: string) => void;
  /** On the container: arrows, Home and End move the focus between rows. */
  onKeyDown: (e: KeyboardEvent<HTMLElement>) => void;
};

/**
 * Roving focus over rows named by `keys`, in display order (each row carries
 * `data-nav-key`): one tab stop, and the arrow keys, Home and End move between
 * rows. Keys from other elements (a row's menu button, a Retry link) are left alone.
 */
export function useRovingFocus(keys: readonly string[], preferred: string | null): RovingFocus {
  const [active, setActive] = useState<string | null>(null);
  const elements = useRef(new Map<string, HTMLElement>());
  const refFor = useCallback(
    (key: string) => (el: HTMLElement | null) => {
      if (el === null) elements.current.delete(key);
      else elements.current.set(key, el);
    },
    [],
  );
  const onKeyDown = (e: KeyboardEvent<HTMLElement>) => {
    if (!isMoveKey(e.key) || e.altKey || e.ctrlKey || e.metaKey) return;
    const from = (e.target as HTMLElement).dataset.navKey;
    if (from === undefined) return;
    const to = nextKey(keys, from, e.key);
    if (to === null) return;
    e.preventDefault();
    setActive(to);
    elements.current.get(to)?.focus();
  };
  return { stop: tabStop(keys, active, preferred), refFor, onFocusItem: setActive, onKeyDown };
}
