// Typed wrappers over the About dialog's commands. Like ./index.ts, every
// function resolves with the generated type or rejects with an IpcError.
import type { AboutInfo } from "../bindings/AboutInfo";
import type { Diagnostics } from "../bindings/Diagnostics";
import { invokeCommand, loadDevMock } from "./index";

export type { AboutInfo, Diagnostics };

export const ABOUT_COMMANDS = {
  aboutInfo: "about_info",
  copyDiagnostics: "copy_diagnostics",
  openLogFolder: "open_log_folder",
} as const;

export type AboutCommand = (typeof ABOUT_COMMANDS)[keyof typeof ABOUT_COMMANDS];

function call<T>(command: AboutCommand): Promise<T> {
  return invokeCommand<T>(command, undefined, import.meta.env.DEV ? loadDevMock : undefined);
}

/** Version, commit, OS and the Kubernetes and k3s versions this build was tested with. */
export function aboutInfo(): Promise<AboutInfo> {
  return call(ABOUT_COMMANDS.aboutInfo);
}

/** Gathers the diagnostics (no credential or secret value), copies them to the clipboard from Rust, and returns them. */
export function copyDiagnostics(): Promise<Diagnostics> {
  return call(ABOUT_COMMANDS.copyDiagnostics);
}

/** Opens the log folder in the file manager; resolves with its path. */
export function openLogFolder(): Promise<string> {
  return call(ABOUT_COMMANDS.openLogFolder);
}
