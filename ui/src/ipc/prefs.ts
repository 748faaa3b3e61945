// Typed wrappers over the UI-preference commands (pins, last views, sizes).
import type { KindLayout } from "../bindings/KindLayout";
import type { ObjectRef } from "../bindings/ObjectRef";
import type { Pin } from "../bindings/Pin";
import type { UiPrefs } from "../bindings/UiPrefs";
import { invokeCommand } from "./index";

export type { KindLayout, Pin, UiPrefs };

export const PREFS_COMMANDS = {
  uiPrefs: "ui_prefs",
  setPins: "set_pins",
  rememberView: "remember_view",
  setLayout: "set_layout",
  setDockHeight: "set_dock_height",
} as const;

export const EMPTY_PREFS: UiPrefs = { pins: [], lastViews: {}, dockHeight: null, layouts: {} };

export function uiPrefs(): Promise<UiPrefs> {
  return invokeCommand<UiPrefs>(PREFS_COMMANDS.uiPrefs, undefined);
}

/** Replaces the pins; resolves with the stored preferences. */
export function setPins(pins: Pin[]): Promise<UiPrefs> {
  return invokeCommand<UiPrefs>(PREFS_COMMANDS.setPins, { pins });
}

export async function rememberView(context: string, kind: string, object: ObjectRef | null): Promise<void> {
  await invokeCommand<null>(PREFS_COMMANDS.rememberView, { context, kind, object });
}

export async function setLayout(kind: string, layout: KindLayout): Promise<void> {
  await invokeCommand<null>(PREFS_COMMANDS.setLayout, { kind, layout });
}

export async function setDockHeight(height: number): Promise<void> {
  await invokeCommand<null>(PREFS_COMMANDS.setDockHeight, { height });
}
