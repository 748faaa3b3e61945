import type { LogRequest } from "../logs/opener";
import type { TerminalTarget } from "../shell/opener";
import { labelledTitle, terminalTitle } from "../shell/terminal";

/** A panel in the bottom dock. */
export type DockTab = {
  id: string;
  kind: "logs" | "portForward" | "shell" | "helm";
  title: string;
  /** What a log tab streams. */
  logs?: LogRequest;
  /** What a terminal tab runs in (a node, a context). */
  shell?: TerminalTarget;
  /** The helm action whose output a helm tab shows (../helm/runs). */
  helmRun?: string;
};

/** The tab of the `seq`th terminal opened: one tab per terminal, even on the same target. */
export function shellTab(seq: number, request: TerminalTarget): DockTab {
  return { id: `shell-${seq.toString()}`, kind: "shell", title: terminalTitle(request), shell: request };
}

export type DockState = {
  open: boolean;
  tabs: readonly DockTab[];
  active: string | null;
};

export type DockAction =
  | { type: "toggle" }
  | { type: "setOpen"; open: boolean }
  | { type: "add"; tab: DockTab }
  | { type: "activate"; id: string }
  /** A terminal's session answered with its label (the container Rust chose). */
  | { type: "labelled"; id: string; label: string }
  | { type: "close"; id: string };

export const INITIAL_DOCK: DockState = { open: true, tabs: [], active: null };

export function dockReducer(state: DockState, action: DockAction): DockState {
  switch (action.type) {
    case "toggle":
      return { ...state, open: !state.open };
    case "setOpen":
      return state.open === action.open ? state : { ...state, open: action.open };
    case "add": {
      const exists = state.tabs.some((t) => t.id === action.tab.id);
      return {
        open: true,
        tabs: exists ? state.tabs : [...state.tabs, action.tab],
        active: action.tab.id,
      };
    }
    case "labelled": {
      const tab = state.tabs.find((t) => t.id === action.id);
      if (tab?.shell === undefined) return state;
      const title = labelledTitle(tab.shell, action.label);
      if (title === tab.title) return state;
      return { ...state, tabs: state.tabs.map((t) => (t.id === action.id ? { ...t, title } : t)) };
    }
    case "activate":
      if (!state.tabs.some((t) => t.id === action.id)) return state;
      return { ...state, open: true, active: action.id };
    case "close": {
      const index = state.tabs.findIndex((t) => t.id === action.id);
      if (index < 0) return state;
      const tabs = state.tabs.filter((t) => t.id !== action.id);
      let active = state.active;
      if (active === action.id) {
        // Focus the neighbour that slid into the closed tab's place, else the one before.
        active = (tabs[index] ?? tabs[index - 1])?.id ?? null;
      }
      return { ...state, tabs, active };
    }
  }
}

export const DOCK_EMPTY_TEXT = "No log or port-forward panels open";
