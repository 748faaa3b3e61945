// Typed wrappers over the terminal commands (src-tauri/src/commands/terminal.rs).
// Every function resolves with the generated type or rejects with an IpcError.
// Output comes on the opener's channel as ArrayBuffer frames, then a JSON event.
import { Channel } from "@tauri-apps/api/core";

import type { TerminalEvent } from "../bindings/TerminalEvent";
import type { TerminalOpened } from "../bindings/TerminalOpened";
import { invokeCommand } from "../ipc";
import type { TerminalTarget } from "./opener";
import { isContextTerminal, isPodTerminal } from "./opener";

export type { TerminalEvent, TerminalOpened };

/** One message of a terminal channel: a raw output frame or a JSON event. */
export type TerminalMessage = ArrayBuffer | TerminalEvent;

export const TERMINAL_COMMANDS = {
  openNodeShell: "open_node_shell",
  openContextTerminal: "open_context_terminal",
  terminalInput: "terminal_input",
  terminalResize: "terminal_resize",
  closeTerminal: "close_terminal",
  openPodShell: "open_pod_shell",
  attachPod: "attach_pod",
  openDebugShell: "open_debug_shell",
} as const;

/** Opens a terminal on `target` of `cols` x `rows`; `onMessage` gets its output frames, then its exit. */
export function openTerminal(
  target: TerminalTarget,
  cols: number,
  rows: number,
  onMessage: (message: TerminalMessage) => void,
): Promise<TerminalOpened> {
  const channel = new Channel<TerminalMessage>(onMessage);
  if (isPodTerminal(target)) {
    const where = { context: target.context, namespace: target.namespace, pod: target.pod, cols, rows, channel };
    switch (target.mode) {
      case "exec":
        return invokeCommand(TERMINAL_COMMANDS.openPodShell, { ...where, container: target.container, command: null });
      case "attach":
        return invokeCommand(TERMINAL_COMMANDS.attachPod, { ...where, container: target.container });
      case "debug":
        return invokeCommand(TERMINAL_COMMANDS.openDebugShell, {
          ...where,
          targetContainer: target.container,
          image: target.image ?? null,
        });
    }
  }
  if (isContextTerminal(target)) {
    return invokeCommand(TERMINAL_COMMANDS.openContextTerminal, {
      context: target.context,
      namespace: target.namespace,
      cols,
      rows,
      channel,
    });
  }
  return invokeCommand(TERMINAL_COMMANDS.openNodeShell, { cluster: target.cluster, node: target.node, cols, rows, channel });
}

export async function terminalInput(id: number, data: string): Promise<void> {
  await invokeCommand(TERMINAL_COMMANDS.terminalInput, { id, data });
}

export async function terminalResize(id: number, cols: number, rows: number): Promise<void> {
  await invokeCommand(TERMINAL_COMMANDS.terminalResize, { id, cols, rows });
}

/** Ends the terminal; unknown ids are ignored. */
export async function closeTerminal(id: number): Promise<void> {
  await invokeCommand(TERMINAL_COMMANDS.closeTerminal, { id });
}
