// Revealed values are masked again when the user walks away: after the app
// has been out of focus (or hidden) for a minute.
import { useEffect, useRef } from "react";

export const REMASK_AFTER_MS = 60_000;

/** Calls `onAway` once the window has been without focus for `afterMs`. */
export function useRemaskWhenAway(onAway: () => void, afterMs = REMASK_AFTER_MS): void {
  const callback = useRef(onAway);
  useEffect(() => {
    callback.current = onAway;
  }, [onAway]);
  useEffect(() => {
    let timer: ReturnType<typeof setTimeout> | undefined;
    const away = () => {
      timer ??= setTimeout(() => {
        timer = undefined;
        callback.current();
      }, afterMs);
    };
    const back = () => {
      if (timer !== undefined) clearTimeout(timer);
      timer = undefined;
    };
    const visibility = () => {
      if (document.hidden) away();
      else if (document.hasFocus()) back();
    };
    window.addEventListener("blur", away);
    window.addEventListener("focus", back);
    document.addEventListener("visibilitychange", visibility);
    return () => {
      back();
      window.removeEventListener("blur", away);
      window.removeEventListener("focus", back);
      document.removeEventListener("visibilitychange", visibility);
    };
  }, [afterMs]);
}
