import { useEffect, useState } from "react";

import type { AppInfo } from "../ipc";
import { appInfo } from "../ipc";

/** Calls app_info once after mount (the backend marks the window interactive then). */
export function useAppInfo(): AppInfo | null {
  const [info, setInfo] = useState<AppInfo | null>(null);
  useEffect(() => {
    let live = true;
    appInfo().then(
      (value) => {
        if (live) setInfo(value);
      },
      () => {
        // The version is decoration; the kubeconfig panel reports a missing backend.
      },
    );
    return () => {
      live = false;
    };
  }, []);
  return info;
}
