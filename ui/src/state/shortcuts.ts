export type KeyChord = {
  key: string;
  ctrlKey: boolean;
  metaKey: boolean;
  altKey: boolean;
  shiftKey: boolean;
};

export type GlobalAction = "commandPalette" | "toggleDock";

/** Ctrl+K (Linux/Windows) or Cmd+K (macOS). */
export function isCommandPalette(e: KeyChord): boolean {
  return e.key.toLowerCase() === "k" && (e.ctrlKey || e.metaKey) && !e.altKey && !e.shiftKey;
}

/** Ctrl/Cmd+J, as in VS Code's panel toggle. */
export function isToggleDock(e: KeyChord): boolean {
  return e.key.toLowerCase() === "j" && (e.ctrlKey || e.metaKey) && !e.altKey && !e.shiftKey;
}

/** The app-wide shortcut a key press means, if any. */
export function globalActionFor(e: KeyChord): GlobalAction | null {
  if (isCommandPalette(e)) return "commandPalette";
  if (isToggleDock(e)) return "toggleDock";
  return null;
}
