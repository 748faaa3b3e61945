// Lets the Local clusters section open a node shell in the dock without
// threading a callback through the components in between (like ../forward/opener).
import { createContext, useContext } from "react";

/** A shell to open: `node` is a container name or a role-index suffix (`server-0`). */
export type ShellRequest = {
  cluster: string;
  node: string;
};

export const ShellOpenerContext = createContext<((request: ShellRequest) => void) | null>(null);

export function useShellOpener(): ((request: ShellRequest) => void) | null {
  return useContext(ShellOpenerContext);
}
