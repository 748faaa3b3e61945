import { useCallback, useEffect, useRef, useState } from "react";

import { listContexts, toIpcError, watchKubeconfig } from "../ipc";
import type { ContextsState } from "../state/contexts";
import { chooseSelection, fromError, fromOverview, LOADING } from "../state/contexts";

export type Kubeconfig = {
  state: ContextsState;
  /** True once the first list_contexts call has settled (ok, empty or error). */
  settled: boolean;
  selected: string | null;
  select: (name: string) => void;
  /**
   * Reads the kubeconfig again, showing the loading state. `prefer` is selected
   * afterwards when it exists (e.g. a cluster just added or renamed).
   */
  reload: (prefer?: string) => void;
  /** Reads the kubeconfig again in the background, keeping the list on screen. */
  refresh: () => void;
};

/**
 * Loads the kubeconfig overview on mount and on `reload`, keeps the selected
 * context, and reloads whenever the backend reports a kubeconfig file changed.
 */
export function useKubeconfig(): Kubeconfig {
  const [state, setState] = useState<ContextsState>(LOADING);
  const [settled, setSettled] = useState(false);
  const [selected, setSelected] = useState<string | null>(null);
  // Only the newest request may update the state.
  const latest = useRef(0);

  const fetchContexts = useCallback((prefer?: string) => {
    const id = ++latest.current;
    listContexts().then(
      (overview) => {
        if (id !== latest.current) return;
        setState(fromOverview(overview));
        setSelected((previous) => chooseSelection(overview, prefer ?? previous));
        setSettled(true);
      },
      (err: unknown) => {
        if (id !== latest.current) return;
        setState(fromError(toIpcError(err)));
        setSettled(true);
      },
    );
  }, []);

  // Makes any request in flight stale, so its answer is ignored.
  const invalidate = useCallback(() => {
    latest.current++;
  }, []);

  useEffect(() => {
    fetchContexts();
    // A request whose component went away (StrictMode remounts) must not update the state.
    return invalidate;
  }, [fetchContexts, invalidate]);

  useEffect(() => {
    let live = true;
    watchKubeconfig(() => {
      if (live) fetchContexts();
    }).catch(() => {
      // Without a watch the list still reloads from the Reload button.
    });
    return () => {
      live = false;
    };
  }, [fetchContexts]);

  const reload = useCallback(
    (prefer?: string) => {
      setState(LOADING);
      fetchContexts(prefer);
    },
    [fetchContexts],
  );

  const refresh = useCallback(() => {
    fetchContexts();
  }, [fetchContexts]);

  return { state, settled, selected, select: setSelected, reload, refresh };
}
