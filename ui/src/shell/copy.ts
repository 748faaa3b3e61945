// Typed wrappers over the file copy commands (src-tauri/src/commands/pod_shell.rs).
// Rust opens the native dialog; the page never names a local path.
import { Channel } from "@tauri-apps/api/core";

import type { CopyDone } from "../bindings/CopyDone";
import type { CopyEvent } from "../bindings/CopyEvent";
import { invokeCommand } from "../ipc";

export type { CopyDone, CopyEvent };

export const COPY_COMMANDS = {
  copyFromPod: "copy_from_pod",
  copyToPod: "copy_to_pod",
  cancelCopy: "cancel_copy",
} as const;

export type CopyRequest = {
  direction: "from" | "to";
  context: string;
  namespace: string;
  pod: string;
  container: string | null;
  /** The file or folder to download, or the folder to upload into. */
  remotePath: string;
  folder: boolean;
};

/** Runs a copy; resolves with what was copied, or null when the dialog was cancelled. */
export function copyFiles(request: CopyRequest, onEvent: (event: CopyEvent) => void): Promise<CopyDone | null> {
  const progress = new Channel<CopyEvent>(onEvent);
  const where = {
    context: request.context,
    namespace: request.namespace,
    pod: request.pod,
    container: request.container,
    folder: request.folder,
    progress,
  };
  return request.direction === "from"
    ? invokeCommand(COPY_COMMANDS.copyFromPod, { ...where, remotePath: request.remotePath })
    : invokeCommand(COPY_COMMANDS.copyToPod, { ...where, remoteDir: request.remotePath });
}

export async function cancelCopy(id: number): Promise<void> {
  await invokeCommand(COPY_COMMANDS.cancelCopy, { id });
}

/** Bytes as the progress line shows them. */
export function formatBytes(bytes: number): string {
  if (bytes < 1024) return `${bytes.toString()} B`;
  if (bytes < 1024 * 1024) return `${(bytes / 1024).toFixed(1)} KiB`;
  return `${(bytes / (1024 * 1024)).toFixed(1)} MiB`;
}
