import { useEffect, useState } from "react";

import { checkConnection, toIpcError } from "../ipc";
import type { ConnectionView } from "../state/connection";
import { CHECKING, checkFromError } from "../state/connection";
import type { ContextsState } from "../state/contexts";

export type Connections = ReadonlyMap<string, ConnectionView>;

/**
 * Checks every context's connection in parallel after each list load. Each
 * answer lands on its own; a slow or dead cluster never holds up the others
 * or the list. Answers for an older load are dropped.
 */
export function useConnections(state: ContextsState): Connections {
  const overview = state.status === "ok" ? state.overview : null;
  const [checks, setChecks] = useState<{ of: unknown; map: Connections }>({ of: null, map: new Map() });

  useEffect(() => {
    if (overview === null) return;
    let live = true;
    const names = overview.contexts.map((c) => c.name);
    const settle = (name: string, view: ConnectionView) => {
      if (!live) return;
      setChecks((prev) => {
        // The first answer for this list starts from "checking" for every context.
        const map: Map<string, ConnectionView> =
          prev.of === overview ? new Map(prev.map) : new Map(names.map((n) => [n, CHECKING]));
        map.set(name, view);
        return { of: overview, map };
      });
    };
    for (const name of names) {
      checkConnection(name).then(
        (check) => {
          settle(name, check);
        },
        (err: unknown) => {
          settle(name, checkFromError(name, toIpcError(err)));
        },
      );
    }
    return () => {
      live = false;
    };
  }, [overview]);

  // Until the effect has run for a new list, every context is "checking".
  if (overview !== null && checks.of !== overview) {
    return new Map(overview.contexts.map((c) => [c.name, CHECKING]));
  }
  return checks.map;
}
