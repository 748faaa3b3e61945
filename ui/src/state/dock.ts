import type { LogRequest } from "../logs/opener";

/** A panel in the bottom dock. Port-forward panels arrive in a later issue. */
export type DockTab = {
  id: string;
  kind: "logs" | "portForward";
  title: string;
  /** What a log tab streams. */
  logs?: LogRequest;
};

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
