// Typed wrappers over the log commands. Like ./index.ts, every function
// resolves with the generated type or rejects with an IpcError.
import { Channel, invoke, isTauri } from "@tauri-apps/api/core";

import type { LogBatch } from "../bindings/LogBatch";
import type { LogOptions } from "../bindings/LogOptions";
import type { LogTarget } from "../bindings/LogTarget";
import { toIpcError } from "./errors";
import { NO_BACKEND } from "./index";

export type { LogBatch, LogOptions, LogTarget };

export const LOG_COMMANDS = {
  openLogs: "open_logs",
  closeLogs: "close_logs",
  downloadsDir: "downloads_dir",
  downloadLog: "download_log",
  saveText: "save_text",
} as const;

export type LogCommand = (typeof LOG_COMMANDS)[keyof typeof LOG_COMMANDS];

function mockScenario(): string | null {
  if (!import.meta.env.DEV) return null;
  return new URLSearchParams(globalThis.location.search).get("mock");
}

async function call<T>(command: LogCommand, args: Record<string, unknown>): Promise<T> {
  if (import.meta.env.DEV && mockScenario() !== null) {
    const { mockLogInvoke } = await import("../dev/mockLogs");
    try {
      return (await mockLogInvoke(command, args)) as T;
    } catch (err) {
      throw toIpcError(err);
    }
  }
  if (!(isTauri() || "__TAURI_INTERNALS__" in globalThis)) throw NO_BACKEND;
  try {
    return await invoke<T>(command, args);
  } catch (err) {
    throw toIpcError(err);
  }
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
