// Typed wrappers over the node shell commands (src-tauri/src/commands/shell.rs).
// Every function resolves with the generated type or rejects with an IpcError.
import { Channel } from "@tauri-apps/api/core";

import type { ShellEvent } from "../bindings/ShellEvent";
import type { ShellOpened } from "../bindings/ShellOpened";
import { invokeCommand } from "../ipc";

export type { ShellEvent, ShellOpened };

export const SHELL_COMMANDS = {
  openNodeShell: "open_node_shell",
  shellInput: "shell_input",
  resizeNodeShell: "resize_node_shell",
  closeNodeShell: "close_node_shell",
} as const;

/** Starts `sh` in `node` of local cluster `cluster`; `onEvent` gets its output, then its exit. */
export function openNodeShell(
  cluster: string,
  node: string,
  cols: number,
  rows: number,
  onEvent: (event: ShellEvent) => void,
): Promise<ShellOpened> {
  const channel = new Channel<ShellEvent>(onEvent);
  return invokeCommand(SHELL_COMMANDS.openNodeShell, { cluster, node, cols, rows, channel });
}

export async function shellInput(id: number, data: string): Promise<void> {
  await invokeCommand(SHELL_COMMANDS.shellInput, { id, data });
}

export async function resizeNodeShell(id: number, cols: number, rows: number): Promise<void> {
  await invokeCommand(SHELL_COMMANDS.resizeNodeShell, { id, cols, rows });
}

/** Ends the shell; unknown ids are ignored. */
export async function closeNodeShell(id: number): Promise<void> {
  await invokeCommand(SHELL_COMMANDS.closeNodeShell, { id });
}
