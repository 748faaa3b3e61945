export type KeyChord = {
  key: string;
  ctrlKey: boolean;
  metaKey: boolean;
  altKey: boolean;
  shiftKey: boolean;
};

export type GlobalAction = "commandPalette" | "toggleDock" | "cheatSheet" | "back" | "forward";

/** Ctrl+K (Linux/Windows) or Cmd+K (macOS). */
export function isCommandPalette(e: KeyChord): boolean {
  return e.key.toLowerCase() === "k" && (e.ctrlKey || e.metaKey) && !e.altKey && !e.shiftKey;
}

/** Ctrl/Cmd+J, as in VS Code's panel toggle. */
export function isToggleDock(e: KeyChord): boolean {
  return e.key.toLowerCase() === "j" && (e.ctrlKey || e.metaKey) && !e.altKey && !e.shiftKey;
}

/**
 * The app-wide shortcut a key press means, if any. `typing`: the focus is in
 * a text field or terminal, where plain keys and Alt+arrows are the field's.
 */
export function globalActionFor(e: KeyChord, typing = false): GlobalAction | null {
  if (isCommandPalette(e)) return "commandPalette";
  if (isToggleDock(e)) return "toggleDock";
  if (typing) return null;
  const plainAlt = e.altKey && !e.ctrlKey && !e.metaKey && !e.shiftKey;
  if (plainAlt && e.key === "ArrowLeft") return "back";
  if (plainAlt && e.key === "ArrowRight") return "forward";
  if (e.key === "?" && !e.ctrlKey && !e.metaKey && !e.altKey) return "cheatSheet";
  return null;
}

/** Whether keys typed at `target` belong to it (inputs, editors, terminals). */
export function isTypingTarget(target: EventTarget | null): boolean {
  if (!(target instanceof HTMLElement)) return false;
  if (target.isContentEditable) return true;
  const tag = target.tagName;
  if (tag === "TEXTAREA" || tag === "SELECT") return true;
  if (tag === "INPUT") {
    const type = (target as HTMLInputElement).type;
    return !["checkbox", "radio", "button", "submit", "reset"].includes(type);
  }
  return target.closest(".cm-editor, .xterm") !== null;
}

/** Mouse buttons 3 and 4 (the side buttons) go back and forward, as in browsers. */
export function mouseNavigation(button: number): "back" | "forward" | null {
  if (button === 3) return "back";
  if (button === 4) return "forward";
  return null;
}

/** Every keyboard shortcut, for the cheat sheet (`?`). */
export const SHORTCUTS: readonly { section: string; keys: string; what: string }[] = [
  { section: "Anywhere", keys: "Ctrl+K", what: "Command palette (kinds, objects, contexts, namespaces, actions)" },
  { section: "Anywhere", keys: "Ctrl+J", what: "Show or hide the dock" },
  { section: "Anywhere", keys: "Alt+← / Alt+→", what: "Back / forward through views (also the mouse's side buttons)" },
  { section: "Anywhere", keys: "?", what: "This list" },
  { section: "Command palette", keys: "↑ ↓ Enter", what: "Pick and open" },
  { section: "Command palette", keys: "Alt+Enter", what: "Run the object's default action (logs for pods and workloads)" },
  { section: "Command palette", keys: ":po  :deploy -n web  :svc -A", what: "Open a kind, in a namespace or all" },
  { section: "Command palette", keys: ":ctx <name>  :ns <name>", what: "Switch context or namespace" },
  { section: "Table", keys: "↑ ↓ Home End", what: "Move the selection" },
  { section: "Table", keys: "/", what: "Filter the rows" },
  { section: "Selected row", keys: "l", what: "Logs" },
  { section: "Selected row", keys: "s", what: "Shell into the pod" },
  { section: "Selected row", keys: "a", what: "Attach to the pod's main process" },
  { section: "Selected row", keys: "f", what: "Port-forward" },
  { section: "Selected row", keys: "e", what: "Edit the YAML" },
  { section: "Selected row", keys: "d", what: "Delete (asks first)" },
  { section: "Selected row", keys: "p", what: "Pin or unpin" },
];
