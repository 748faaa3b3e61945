import { useEffect, useRef } from "react";

import type { GlobalAction } from "../state/shortcuts";
import { globalActionFor, isTypingTarget, mouseNavigation } from "../state/shortcuts";

export type ShortcutHandlers = Record<GlobalAction, () => void>;

/**
 * The one place app-wide shortcuts are handled (Ctrl/Cmd+K palette, Ctrl/Cmd+J
 * dock, Alt+arrows and the mouse's side buttons for history, ? cheat sheet).
 * Add new ones in state/shortcuts.ts.
 */
export function useGlobalShortcuts(handlers: ShortcutHandlers): void {
  const current = useRef(handlers);
  useEffect(() => {
    current.current = handlers;
  });
  useEffect(() => {
    const onKeyDown = (e: KeyboardEvent) => {
      if (e.defaultPrevented) return;
      const action = globalActionFor(e, isTypingTarget(e.target));
      if (action === null) return;
      e.preventDefault();
      current.current[action]();
    };
    const onMouseUp = (e: MouseEvent) => {
      const action = mouseNavigation(e.button);
      if (action === null) return;
      e.preventDefault();
      current.current[action]();
    };
    window.addEventListener("keydown", onKeyDown);
    window.addEventListener("mouseup", onMouseUp);
    return () => {
      window.removeEventListener("keydown", onKeyDown);
      window.removeEventListener("mouseup", onMouseUp);
    };
  }, []);
}
