// Lets the Helm section open a dock tab for an action's output (like ../forward/opener).
import { createContext, useContext } from "react";

export const HelmRunOpenerContext = createContext<((id: string, title: string) => void) | null>(null);

export function useHelmRunOpener(): ((id: string, title: string) => void) | null {
  return useContext(HelmRunOpenerContext);
}
