// Typed wrappers over the log commands. Like ./index.ts, every function
// resolves with the generated type or rejects with an IpcError.
import { Channel } from "@tauri-apps/api/core";

import type { LogBatch } from "../bindings/LogBatch";
import type { LogOptions } from "../bindings/LogOptions";
import type { LogTarget } from "../bindings/LogTarget";
import type { SavedFile } from "../bindings/SavedFile";
import { invokeCommand, mockScenario, type MockDispatch } from "./index";

export type { LogBatch, LogOptions, LogTarget, SavedFile };

export const LOG_COMMANDS = {
  openLogs: "open_logs",
  closeLogs: "close_logs",
  downloadLog: "download_log",
  saveText: "save_text",
} as const;

export type LogCommand = (typeof LOG_COMMANDS)[keyof typeof LOG_COMMANDS];

// The log fixtures answer every scenario alike.
async function loadLogMock(): Promise<MockDispatch> {
  const { mockLogInvoke } = await import("../dev/mockLogs");
  return (command, _scenario, args) => mockLogInvoke(command, args ?? {});
}

function call<T>(command: LogCommand, args: Record<string, unknown>): Promise<T> {
  return invokeCommand<T>(command, args, import.meta.env.DEV ? loadLogMock : undefined);
}

function channel<T>(onMessage: (value: T) => void): Channel<T> | { onmessage: (value: T) => void } {
  // Fixtures drive a plain object: a real Channel needs the Tauri bridge.
  return mockScenario() !== null ? { onmessage: onMessage } : new Channel<T>(onMessage);
}

/** Starts a log session; `onBatch` gets a batch about every 50 ms. Resolves with the id for closeLogs. */
export function openLogs(
  context: string,
  target: LogTarget,
  options: LogOptions,
  onBatch: (batch: LogBatch) => void,
): Promise<number> {
  return call<number>(LOG_COMMANDS.openLogs, { context, target, options, channel: channel(onBatch) });
}

export async function closeLogs(id: number): Promise<void> {
  await call<null>(LOG_COMMANDS.closeLogs, { id });
}

export type DownloadParams = {
  context: string;
  namespace: string;
  pod: string;
  container: string;
  previous: boolean;
  /** The file name the save dialog proposes; the user chooses where. */
  suggestedName: string;
};

/**
 * Streams a container's full log to a file the user picks in the native save
 * dialog; `onProgress` gets the bytes written so far. Null when cancelled.
 */
export function downloadLog(params: DownloadParams, onProgress: (bytes: number) => void): Promise<SavedFile | null> {
  return call<SavedFile | null>(LOG_COMMANDS.downloadLog, { ...params, progress: channel(onProgress) });
}

/** Writes `text` to a file the user picks in the native save dialog. Null when cancelled. */
export function saveText(suggestedName: string, text: string): Promise<SavedFile | null> {
  return call<SavedFile | null>(LOG_COMMANDS.saveText, { suggestedName, text });
}
