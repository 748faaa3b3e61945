// Typed wrappers over the port-forward commands. Like ./index.ts, every
// function resolves with the generated type or rejects with an IpcError.
import { Channel } from "@tauri-apps/api/core";

import type { FailedForward } from "../bindings/FailedForward";
import type { ForwardStatus } from "../bindings/ForwardStatus";
import type { OfferedPort } from "../bindings/OfferedPort";
import type { PortMapping } from "../bindings/PortMapping";
import type { RestoreOutcome } from "../bindings/RestoreOutcome";
import type { SavedForwardsView } from "../bindings/SavedForwardsView";
import type { TargetRef } from "../bindings/TargetRef";
import { invokeCommand, mockScenario, type MockDispatch } from "./index";

export type { FailedForward, ForwardStatus, OfferedPort, PortMapping, RestoreOutcome, SavedForwardsView, TargetRef };

export const FORWARD_COMMANDS = {
  forwardPorts: "forward_ports",
  startForward: "start_forward",
  listForwards: "list_forwards",
  watchForwards: "watch_forwards",
  closeForwardWatch: "close_forward_watch",
  stopForward: "stop_forward",
  stopAllForwards: "stop_all_forwards",
  savedForwards: "saved_forwards",
  setSavedForwards: "set_saved_forwards",
  restoreSavedForwards: "restore_saved_forwards",
  retrySavedForward: "retry_saved_forward",
  dismissSavedForward: "dismiss_saved_forward",
  // Plugin commands (tauri-plugin-opener, tauri-plugin-clipboard-manager),
  // called like their JS packages do; scoped in capabilities/main.json.
  openUrl: "plugin:opener|open_url",
  writeText: "plugin:clipboard-manager|write_text",
} as const;

export type ForwardCommand = (typeof FORWARD_COMMANDS)[keyof typeof FORWARD_COMMANDS];

// The forward fixtures answer every scenario alike.
async function loadForwardMock(): Promise<MockDispatch> {
  const { mockForwardInvoke } = await import("../dev/mockForward");
  return (command, _scenario, args) => mockForwardInvoke(command, args ?? {});
}

function call<T>(command: ForwardCommand, args?: Record<string, unknown>): Promise<T> {
  return invokeCommand<T>(command, args, import.meta.env.DEV ? loadForwardMock : undefined);
}

/** TCP ports the target declares (service ports for services). */
export function forwardPorts(context: string, namespace: string, target: TargetRef): Promise<OfferedPort[]> {
  return call(FORWARD_COMMANDS.forwardPorts, { context, namespace, target });
}

/**
 * Starts a forward; `onStatus` gets every later state change. A non-loopback
 * `address` is refused unless `allowNonLoopback` is true.
 */
export function startForward(
  context: string,
  namespace: string,
  target: TargetRef,
  ports: PortMapping[],
  onStatus: (status: ForwardStatus) => void,
  address: string | null = null,
  allowNonLoopback = false,
): Promise<ForwardStatus> {
  // Fixtures drive a plain object: a real Channel needs the Tauri bridge.
  const channel = mockScenario() !== null ? { onmessage: onStatus } : new Channel<ForwardStatus>(onStatus);
  return call(FORWARD_COMMANDS.startForward, { context, namespace, target, ports, address, allowNonLoopback, channel });
}

export function listForwards(): Promise<ForwardStatus[]> {
  return call(FORWARD_COMMANDS.listForwards);
}

/**
 * Calls `onList` with every forward the app holds now and whenever that list
 * changes (states at once, traffic counters at most every second); resolves
 * with the watch's id for `closeForwardWatch`.
 */
export function watchForwards(onList: (list: ForwardStatus[]) => void): Promise<number> {
  const channel = mockScenario() !== null ? { onmessage: onList } : new Channel<ForwardStatus[]>(onList);
  return call(FORWARD_COMMANDS.watchForwards, { channel });
}

export async function closeForwardWatch(id: number): Promise<void> {
  await call(FORWARD_COMMANDS.closeForwardWatch, { id });
}

export function stopForward(id: number): Promise<boolean> {
  return call(FORWARD_COMMANDS.stopForward, { id });
}

export async function stopAllForwards(): Promise<void> {
  await call(FORWARD_COMMANDS.stopAllForwards);
}

/** Whether `context`'s forwards are saved, and saved ones that failed to come back. */
export function savedForwards(context: string): Promise<SavedForwardsView> {
  return call(FORWARD_COMMANDS.savedForwards, { context });
}

/** Turns "restore these forwards when Capstan starts" on or off for `context`. */
export function setSavedForwards(context: string, enabled: boolean): Promise<SavedForwardsView> {
  return call(FORWARD_COMMANDS.setSavedForwards, { context, enabled });
}

/** Starts `context`'s saved forwards; only the first call per context and session does anything. */
export function restoreSavedForwards(context: string): Promise<RestoreOutcome> {
  return call(FORWARD_COMMANDS.restoreSavedForwards, { context });
}

export function retrySavedForward(id: number): Promise<ForwardStatus> {
  return call(FORWARD_COMMANDS.retrySavedForward, { id });
}

export async function dismissSavedForward(id: number): Promise<void> {
  await call(FORWARD_COMMANDS.dismissSavedForward, { id });
}

/** Opens a forward's loopback URL in the default browser (other URLs are refused by the scope). */
export async function openUrl(url: string): Promise<void> {
  await call(FORWARD_COMMANDS.openUrl, { url, with: null });
}

/** Puts `text` on the system clipboard. */
export async function copyText(text: string): Promise<void> {
  await call(FORWARD_COMMANDS.writeText, { text, label: null });
}
