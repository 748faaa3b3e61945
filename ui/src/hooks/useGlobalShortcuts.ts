import { useEffect, useRef } from "react";

import type { GlobalAction } from "../state/shortcuts";
import { globalActionFor } from "../state/shortcuts";

export type ShortcutHandlers = Record<GlobalAction, () => void>;

/**
 * The one place app-wide keyboard shortcuts are handled (Ctrl/Cmd+K for the
 * command palette, Ctrl/Cmd+J for the dock). Add new ones in state/shortcuts.ts.
 */
export function useGlobalShortcuts(handlers: ShortcutHandlers): void {
  const current = useRef(handlers);
  useEffect(() => {
    current.current = handlers;
  });
  useEffect(() => {
    const onKeyDown = (e: KeyboardEvent) => {
      const action = globalActionFor(e);
      if (action === null) return;
      e.preventDefault();
      current.current[action]();
    };
    window.addEventListener("keydown", onKeyDown);
    return () => {
      window.removeEventListener("keydown", onKeyDown);
    };
  }, []);
}
