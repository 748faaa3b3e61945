// Typed wrappers over the app's Tauri commands. Every function resolves with
// the generated result type or rejects with an `IpcError` — never anything else.
import { Channel, invoke, isTauri } from "@tauri-apps/api/core";

import type { AddedClusters } from "../bindings/AddedClusters";
import type { AppInfo } from "../bindings/AppInfo";
import type { ConnectionCheck } from "../bindings/ConnectionCheck";
import type { ConnectionState } from "../bindings/ConnectionState";
import type { ContextSummary } from "../bindings/ContextSummary";
import type { IpcError } from "../bindings/IpcError";
import type { KubeconfigChanged } from "../bindings/KubeconfigChanged";
import type { KubeconfigOverview } from "../bindings/KubeconfigOverview";
import type { MakeCurrentOutcome } from "../bindings/MakeCurrentOutcome";
import type { MakeCurrentPreview } from "../bindings/MakeCurrentPreview";
import type { NamespaceSelection } from "../bindings/NamespaceSelection";
import type { StoreKind } from "../bindings/StoreKind";
import { toIpcError } from "./errors";

export type {
  AddedClusters,
  AppInfo,
  ConnectionCheck,
  ConnectionState,
  ContextSummary,
  IpcError,
  KubeconfigChanged,
  KubeconfigOverview,
  MakeCurrentOutcome,
  MakeCurrentPreview,
  NamespaceSelection,
  StoreKind,
};
export { errorTitle, isIpcError, toIpcError } from "./errors";

/** Names of the commands declared in src-tauri/build.rs. */
export const COMMANDS = {
  listContexts: "list_contexts",
  appInfo: "app_info",
  checkConnection: "check_connection",
  makeCurrentPreview: "make_current_preview",
  makeCurrent: "make_current",
  listNamespaces: "list_namespaces",
  getNamespace: "get_namespace",
  setNamespace: "set_namespace",
  addCluster: "add_cluster",
  removeContext: "remove_context",
  renameContext: "rename_context",
  watchKubeconfig: "watch_kubeconfig",
} as const;

export type CommandName = (typeof COMMANDS)[keyof typeof COMMANDS];

export const NO_BACKEND: IpcError = {
  kind: "internal",
  message: "Capstan's backend is not available",
  detail:
    "This page is running outside the Capstan desktop app, so there is no IPC bridge to call. Start it with \"cargo tauri dev\" or run the built app.",
};

function hasBridge(): boolean {
  return isTauri() || "__TAURI_INTERNALS__" in globalThis;
}

/** The dev-only `?mock=<scenario>` of the page URL, else null (always null in production). */
export function mockScenario(): string | null {
  if (!import.meta.env.DEV) return null;
  return new URLSearchParams(globalThis.location.search).get("mock");
}

/** Dev-only fixture dispatch for `?mock=<scenario>` (see ../dev). */
export type MockDispatch = (command: string, scenario: string, args: Record<string, unknown> | undefined) => Promise<unknown>;

/** The screenshot fixtures of ../dev/mock, loaded only when asked for. */
export async function loadDevMock(): Promise<MockDispatch> {
  return (await import("../dev/mock")).mockInvoke;
}

/**
 * Every command goes through here: the result as `T`, or an IpcError. Pass
 * `loadMock` as `import.meta.env.DEV ? loader : undefined` so production
 * builds drop the fixtures.
 */
export async function invokeCommand<T>(
  command: string,
  args: Record<string, unknown> | undefined,
  loadMock?: () => Promise<MockDispatch>,
): Promise<T> {
  if (import.meta.env.DEV && loadMock !== undefined) {
    const scenario = mockScenario();
    if (scenario !== null) {
      const mock = await loadMock();
      try {
        return (await mock(command, scenario, args)) as T;
      } catch (err) {
        throw toIpcError(err);
      }
    }
  }
  if (!hasBridge()) throw NO_BACKEND;
  try {
    return await invoke<T>(command, args);
  } catch (err) {
    throw toIpcError(err);
  }
}

function call<T>(command: CommandName, args?: Record<string, unknown>): Promise<T> {
  return invokeCommand<T>(command, args, import.meta.env.DEV ? loadDevMock : undefined);
}

/** The contexts of the user's kubeconfig (KUBECONFIG, else ~/.kube/config). */
export function listContexts(): Promise<KubeconfigOverview> {
  return call<KubeconfigOverview>(COMMANDS.listContexts);
}

/** App version and log directory. Also marks the window interactive (start-up benchmark). */
export function appInfo(): Promise<AppInfo> {
  return call<AppInfo>(COMMANDS.appInfo);
}

/** Whether a context's API server answers (bounded to a few seconds on the Rust side). */
export function checkConnection(context: string): Promise<ConnectionCheck> {
  return call<ConnectionCheck>(COMMANDS.checkConnection, { context });
}

/** Which file "make current" would rewrite, and whether the rewrite may lose comments. */
export function makeCurrentPreview(context: string): Promise<MakeCurrentPreview> {
  return call<MakeCurrentPreview>(COMMANDS.makeCurrentPreview, { context });
}

/** Writes `current-context` into the file that defines `context` (with a backup). */
export function makeCurrent(context: string): Promise<MakeCurrentOutcome> {
  return call<MakeCurrentOutcome>(COMMANDS.makeCurrent, { context });
}

/** Namespace names of the context's cluster. */
export function listNamespaces(context: string): Promise<string[]> {
  return call<string[]>(COMMANDS.listNamespaces, { context });
}

/** The namespace last chosen for `context`, if any. */
export function getNamespace(context: string): Promise<NamespaceSelection | null> {
  return call<NamespaceSelection | null>(COMMANDS.getNamespace, { context });
}

/** Remembers the namespace chosen for `context` in the app settings. */
export async function setNamespace(context: string, selection: NamespaceSelection): Promise<void> {
  await call<null>(COMMANDS.setNamespace, { context, selection });
}

/** Validates a pasted kubeconfig (parse, reach the server, list namespaces) and saves it. */
export function addCluster(kubeconfig: string): Promise<AddedClusters> {
  return call<AddedClusters>(COMMANDS.addCluster, { kubeconfig });
}

/** Removes a context the app manages, with its stored credentials. */
export async function removeContext(context: string): Promise<void> {
  await call<null>(COMMANDS.removeContext, { context });
}

/** Renames a context the app manages. */
export async function renameContext(from: string, to: string): Promise<void> {
  await call<null>(COMMANDS.renameContext, { from, to });
}

/**
 * Asks the backend to watch the kubeconfig files; `onChange` runs after each
 * change on disk. Resolves once the watch is set up.
 */
export async function watchKubeconfig(onChange: (event: KubeconfigChanged) => void): Promise<void> {
  if (import.meta.env.DEV && mockScenario() !== null) {
    // The fixtures never change on disk; nothing to watch.
    return;
  }
  if (!hasBridge()) throw NO_BACKEND;
  try {
    const channel = new Channel<KubeconfigChanged>(onChange);
    await invoke<null>(COMMANDS.watchKubeconfig, { onChange: channel });
  } catch (err) {
    throw toIpcError(err);
  }
}
