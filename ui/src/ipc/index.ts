// Typed wrappers over the app's Tauri commands. Every function resolves with
// the generated result type or rejects with an `IpcError` — never anything else.
import { invoke, isTauri } from "@tauri-apps/api/core";

import type { AppInfo } from "../bindings/AppInfo";
import type { IpcError } from "../bindings/IpcError";
import type { KubeconfigOverview } from "../bindings/KubeconfigOverview";
import { toIpcError } from "./errors";

export type { AppInfo, IpcError, KubeconfigOverview };
export { errorTitle, isIpcError, toIpcError } from "./errors";

/** Names of the commands declared in src-tauri/build.rs. */
export const COMMANDS = {
  listContexts: "list_contexts",
  appInfo: "app_info",
} as const;

type CommandName = (typeof COMMANDS)[keyof typeof COMMANDS];

export const NO_BACKEND: IpcError = {
  kind: "internal",
  message: "Capstan's backend is not available",
  detail:
    "This page is running outside the Capstan desktop app, so there is no IPC bridge to call. Start it with \"cargo tauri dev\" or run the built app.",
};

function hasBridge(): boolean {
  return isTauri() || "__TAURI_INTERNALS__" in globalThis;
}

async function call<T>(command: CommandName, args?: Record<string, unknown>): Promise<T> {
  if (import.meta.env.DEV) {
    // Dev-only fixtures for screenshots (`?mock=ok|empty|error`); this whole
    // branch is removed from production builds.
    const scenario = new URLSearchParams(globalThis.location.search).get("mock");
    if (scenario !== null) {
      const { mockInvoke } = await import("../dev/mock");
      try {
        return (await mockInvoke(command, scenario)) as T;
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

/** The contexts of the user's kubeconfig (KUBECONFIG, else ~/.kube/config). */
export function listContexts(): Promise<KubeconfigOverview> {
  return call<KubeconfigOverview>(COMMANDS.listContexts);
}

/** App version and log directory. Also marks the window interactive (start-up benchmark). */
export function appInfo(): Promise<AppInfo> {
  return call<AppInfo>(COMMANDS.appInfo);
}
