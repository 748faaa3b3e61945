// Typed wrappers over the log commands. Like ./index.ts, every function
// resolves with the generated type or rejects with an IpcError.
import { Channel } from "@tauri-apps/api/core";

import type { LogBatch } from "../bindings/LogBatch";
import type { LogOptions } from "../bindings/LogOptions";
import type { LogTarget } from "../bindings/LogTarget";
import { invokeCommand, mockScenario, type MockDispatch } from "./index";

export type { LogBatch, LogOptions, LogTarget };

export const LOG_COMMANDS = {
  openLogs: "open_logs",
  closeLogs: "close_logs",
  downloadsDir: "downloads_dir",
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

/** The user's Downloads folder (or home), null when unknown. */
export function downloadsDir(): Promise<string | null> {
  return call<string | null>(LOG_COMMANDS.downloadsDir, {});
}

export type DownloadParams = {
  context: string;
  namespace: string;
  pod: string;
  container: string;
  previous: boolean;
  path: string;
};

/** Streams a container's full log to `path`; `onProgress` gets the bytes written so far. */
export function downloadLog(params: DownloadParams, onProgress: (bytes: number) => void): Promise<number> {
  return call<number>(LOG_COMMANDS.downloadLog, { ...params, progress: channel(onProgress) });
}

/** Writes `text` to the file the user named; resolves with the bytes written. */
export function saveText(path: string, text: string): Promise<number> {
  return call<number>(LOG_COMMANDS.saveText, { path, text });
}
