import { useEffect, useState } from "react";

import type { IpcError } from "../ipc";
import { toIpcError } from "../ipc";
import { discoverKinds } from "../ipc/resources";
import type { Navigation } from "./nav";
import { navigationFrom, STATIC_NAVIGATION } from "./nav";

export type Discovery = { navigation: Navigation; error: IpcError | null };

type Keyed = { context: string; navigation: Navigation; error: IpcError | null };

/**
 * The sidebar's kinds from the context's server; the static list until it
 * answers or if it fails. Asked once the server is `reachable` (and again each
 * time it becomes reachable); a later outage keeps the kinds already found.
 */
export function useDiscovery(context: string | null, reachable: boolean): Discovery {
  const [found, setFound] = useState<Keyed | null>(null);
  useEffect(() => {
    if (context === null || !reachable) return;
    let live = true;
    discoverKinds(context).then(
      (sections) => {
        if (live) setFound({ context, navigation: navigationFrom(sections), error: null });
      },
      (err: unknown) => {
        if (live) setFound({ context, navigation: STATIC_NAVIGATION, error: toIpcError(err) });
      },
    );
    return () => {
      live = false;
    };
  }, [context, reachable]);
  if (found?.context !== context) return { navigation: STATIC_NAVIGATION, error: null };
  return { navigation: found.navigation, error: found.error };
}
