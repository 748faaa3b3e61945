// Lets other parts of the app open a terminal tab in the dock without
// threading a callback through the components in between (like ../forward/opener).
import { createContext, useContext } from "react";

/** A shell in a local cluster node: `node` is a container name or a role-index suffix (`server-0`). */
export type ShellRequest = {
  cluster: string;
  node: string;
};

/** A local shell bound to a context: kubectl and helm act on `context` and `namespace` (null: the context's own). */
export type ContextTerminalRequest = {
  context: string;
  namespace: string | null;
};

/** What a terminal tab runs in. Pod exec joins here as another request shape. */
export type TerminalTarget = ShellRequest | ContextTerminalRequest;

export function isContextTerminal(target: TerminalTarget): target is ContextTerminalRequest {
  return "context" in target;
}

export const ShellOpenerContext = createContext<((request: ShellRequest) => void) | null>(null);

export function useShellOpener(): ((request: ShellRequest) => void) | null {
  return useContext(ShellOpenerContext);
}
