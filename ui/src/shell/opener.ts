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

/**
 * A process in a pod: a shell (`exec`, `command` null: bash else sh), the
 * main process (`attach`), or a debug container of `image` sharing the
 * processes of `container` (`debug`). `container` null: Rust picks the
 * default-container annotation's, else the first, and names it.
 */
export type PodTerminalRequest = {
  mode: "exec" | "attach" | "debug";
  context: string;
  namespace: string;
  pod: string;
  container: string | null;
  /** The debug container's image (null: busybox). */
  image?: string | null;
};

/** What a terminal tab runs in. */
export type TerminalTarget = ShellRequest | ContextTerminalRequest | PodTerminalRequest;

export function isPodTerminal(target: TerminalTarget): target is PodTerminalRequest {
  return "pod" in target;
}

export function isContextTerminal(target: TerminalTarget): target is ContextTerminalRequest {
  return "context" in target && !isPodTerminal(target);
}

export const ShellOpenerContext = createContext<((request: TerminalTarget) => void) | null>(null);

export function useShellOpener(): ((request: TerminalTarget) => void) | null {
  return useContext(ShellOpenerContext);
}
