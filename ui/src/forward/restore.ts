// Saved forwards come back on the first use of their context in a session
// (as Lens restores a cluster's forwards when the cluster is opened): the
// app never contacts clusters the user is not opening, and the context
// opened at start gets its forwards back at start. The backend restores
// each context once per session, so a reload or re-selection is harmless.
import { useEffect, useRef } from "react";

import { restoreSavedForwards } from "../ipc/forward";
import { invalidateForwards } from "./queries";

/**
 * Restores `context`'s saved forwards once it is reachable, and calls
 * `openPanel` when something came back or failed to (failures are listed
 * in the panel, never in a dialog).
 */
export function useRestoreSavedForwards(context: string | null, reachable: boolean, openPanel: () => void): void {
  const asked = useRef(new Set<string>());
  useEffect(() => {
    if (context === null || !reachable || asked.current.has(context)) return;
    asked.current.add(context);
    restoreSavedForwards(context).then(
      (outcome) => {
        if (outcome.restored + outcome.failed > 0) {
          invalidateForwards();
          openPanel();
        }
      },
      () => {
        // A damaged saved-forwards file: the panel says which and why.
        openPanel();
      },
    );
  }, [context, reachable, openPanel]);
}
