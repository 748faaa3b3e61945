// Typed wrappers over the port-forward commands. Like ./index.ts, every
// function resolves with the generated type or rejects with an IpcError.
import { Channel } from "@tauri-apps/api/core";

import type { ForwardStatus } from "../bindings/ForwardStatus";
import type { OfferedPort } from "../bindings/OfferedPort";
import type { PortMapping } from "../bindings/PortMapping";
import type { TargetRef } from "../bindings/TargetRef";
import { invokeCommand } from "./index";

export type { ForwardStatus, OfferedPort, PortMapping, TargetRef };

export const FORWARD_COMMANDS = {
  forwardPorts: "forward_ports",
  startForward: "start_forward",
  listForwards: "list_forwards",
  stopForward: "stop_forward",
  stopAllForwards: "stop_all_forwards",
} as const;

export type ForwardCommand = (typeof FORWARD_COMMANDS)[keyof typeof FORWARD_COMMANDS];

function call<T>(command: ForwardCommand, args?: Record<string, unknown>): Promise<T> {
  return invokeCommand<T>(command, args);
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
  const channel = new Channel<ForwardStatus>(onStatus);
  return call(FORWARD_COMMANDS.startForward, { context, namespace, target, ports, address, allowNonLoopback, channel });
}

export function listForwards(): Promise<ForwardStatus[]> {
  return call(FORWARD_COMMANDS.listForwards);
}

export function stopForward(id: number): Promise<boolean> {
  return call(FORWARD_COMMANDS.stopForward, { id });
}

export async function stopAllForwards(): Promise<void> {
  await call(FORWARD_COMMANDS.stopAllForwards);
}
