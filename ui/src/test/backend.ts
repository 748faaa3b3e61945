// A scripted stand-in for the Rust side in component tests: each command
// answers from a handler; unknown commands reject like a missing command.
import type { invoke } from "@tauri-apps/api/core";
import type { Mock } from "vitest";

import type { ContextSummary } from "../bindings/ContextSummary";
import type { IpcError } from "../bindings/IpcError";
import type { KubeconfigOverview } from "../bindings/KubeconfigOverview";

export type Handler = (args: Record<string, unknown>) => unknown;

/** A handler's return value resolves the call; a thrown value rejects it. */
export function install(
  invokeMock: Mock<typeof invoke>,
  handlers: Record<string, Handler>,
): { calls: (command: string) => Record<string, unknown>[] } {
  const log: [string, Record<string, unknown>][] = [];
  invokeMock.mockImplementation((command: string, args?: unknown) => {
    const a = (args ?? {}) as Record<string, unknown>;
    log.push([command, a]);
    const handler = handlers[command] ?? DEFAULTS[command];
    if (handler === undefined) return Promise.reject(new Error(`unexpected command ${command}`));
    try {
      return Promise.resolve(handler(a));
    } catch (err) {
      // eslint-disable-next-line @typescript-eslint/prefer-promise-reject-errors -- the backend rejects with plain IpcError objects
      return Promise.reject(err);
    }
  });
  return { calls: (command) => log.filter(([c]) => c === command).map(([, a]) => a) };
}

const DEFAULTS: Record<string, Handler> = {
  app_info: () => ({ version: "9.9.9", logDir: null }),
  watch_kubeconfig: () => null,
  check_connection: (a) => ({
    context: a.context,
    state: "reachable",
    message: null,
    serverVersion: "v1.20.2",
  }),
  get_namespace: () => null,
  list_namespaces: () => ["default", "kube-system"],
  set_namespace: () => null,
  // Nothing known about access: every gate stays open.
  access_matrix: (a) => ({
    context: a.context,
    namespace: a.namespace ?? null,
    supported: true,
    incomplete: false,
    evaluationError: null,
    kinds: [],
  }),
  access_refresh: () => null,
  ui_prefs: () => ({ pins: [], lastViews: {}, dockHeight: null, layouts: {} }),
  set_pins: (a) => ({ pins: a.pins, lastViews: {}, dockHeight: null, layouts: {} }),
  remember_view: () => null,
  set_layout: () => null,
  set_dock_height: () => null,
};

export function ctx(name: string, extra: Partial<ContextSummary> = {}): ContextSummary {
  return {
    name,
    cluster: `${name}-cluster`,
    user: `${name}-user`,
    namespace: null,
    server: `https://${name}:6443`,
    source: "/home/u/.kube/config",
    isCurrent: false,
    managed: false,
    problem: null,
    ...extra,
  };
}

export function overviewOf(contexts: ContextSummary[], extra: Partial<KubeconfigOverview> = {}): KubeconfigOverview {
  return {
    files: ["/home/u/.kube/config"],
    searched: ["/home/u/.kube/config"],
    currentContext: contexts.find((c) => c.isCurrent)?.name ?? null,
    credentialStore: null,
    contexts,
    ...extra,
  };
}

/** Rejects a handler's call with a structured error, as the backend does. */
export function fail(error: IpcError): never {
  throw error;
}
