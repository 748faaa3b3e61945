import { useCallback, useEffect, useRef, useState } from "react";

import { listContexts, toIpcError } from "../ipc";
import type { ContextsState } from "../state/contexts";
import { chooseSelection, fromError, fromOverview, LOADING } from "../state/contexts";

export type Kubeconfig = {
  state: ContextsState;
  /** True once the first list_contexts call has settled (ok, empty or error). */
  settled: boolean;
  selected: string | null;
  select: (name: string) => void;
  reload: () => void;
};

/** Loads the kubeconfig overview on mount and on `reload`, and keeps the selected context. */
export function useKubeconfig(): Kubeconfig {
  const [state, setState] = useState<ContextsState>(LOADING);
  const [settled, setSettled] = useState(false);
  const [selected, setSelected] = useState<string | null>(null);
  // Only the newest request may update the state.
  const latest = useRef(0);

  const fetchContexts = useCallback(() => {
    const id = ++latest.current;
    listContexts().then(
      (overview) => {
        if (id !== latest.current) return;
        setState(fromOverview(overview));
        setSelected((previous) => chooseSelection(overview, previous));
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

  const reload = useCallback(() => {
    setState(LOADING);
    fetchContexts();
  }, [fetchContexts]);

  return { state, settled, selected, select: setSelected, reload };
}
