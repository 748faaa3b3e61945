import { useCallback, useEffect, useState } from "react";

import type { IpcError } from "../ipc";
import { toIpcError } from "../ipc";

export type Loaded<T> =
  | { status: "loading" }
  | { status: "ok"; value: T }
  | { status: "error"; error: IpcError };

/**
 * The result of `load()`, fetched again when `key` changes or on reload();
 * an answer for an older key is dropped. The previous value stays shown while
 * a refresh for the same key (reload, new revision) is in flight.
 */
export function useLoad<T>(
  key: string,
  load: () => Promise<T>,
  /** Another value that, when it changes, fetches again without blanking the shown value. */
  revision: unknown = null,
): Loaded<T> & { reload: () => void } {
  const [state, setState] = useState<{ key: string; loaded: Loaded<T> } | null>(null);
  const [round, setRound] = useState(0);
  useEffect(() => {
    let live = true;
    load().then(
      (value) => {
        if (live) setState({ key, loaded: { status: "ok", value } });
      },
      (err: unknown) => {
        if (live) setState({ key, loaded: { status: "error", error: toIpcError(err) } });
      },
    );
    return () => {
      live = false;
    };
    // `load` is a fresh closure each render; `key` names what it loads.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [key, round, revision]);
  const reload = useCallback(() => {
    setRound((r) => r + 1);
  }, []);
  const loaded: Loaded<T> = state?.key === key ? state.loaded : { status: "loading" };
  return { ...loaded, reload };
}
