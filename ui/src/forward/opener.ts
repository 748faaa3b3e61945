// Lets the details panel open the port-forward dock tab without threading a
// callback through every component in between (like ../logs/opener).
import { createContext, useContext } from "react";

import type { TargetRef } from "../bindings/TargetRef";

export const ForwardPanelOpenerContext = createContext<(() => void) | null>(null);

export function useForwardPanelOpener(): (() => void) | null {
  return useContext(ForwardPanelOpenerContext);
}

/** The forward target for an object of `kind`, or null when it cannot be forwarded to. */
export function forwardTargetFor(kind: string, name: string): TargetRef | null {
  switch (kind) {
    case "Pod":
      return { kind: "pod", name };
    case "Service":
      return { kind: "service", name };
    case "Deployment":
      return { kind: "deployment", name };
    case "StatefulSet":
      return { kind: "statefulSet", name };
    default:
      return null;
  }
}
