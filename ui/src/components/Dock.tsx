import type { Dispatch } from "react";

import type { DockAction, DockState } from "../state/dock";
import { DOCK_EMPTY_TEXT } from "../state/dock";
import { ChevronIcon } from "./icons";

type Props = { state: DockState; dispatch: Dispatch<DockAction> };

/** Bottom dock: will hold log and port-forward panels as tabs. */
export function Dock({ state, dispatch }: Props) {
  const active = state.tabs.find((t) => t.id === state.active) ?? null;
  return (
    <section
      className={`dock${state.open ? " dock--open" : ""}`}
      aria-label="Dock"
      data-testid="dock"
    >
      <div className="dock__bar">
        <div className="dock__tabs" role="tablist" aria-label="Dock panels">
          {state.tabs.length === 0 && <span className="dock__label">Dock</span>}
          {state.tabs.map((tab) => (
            <button
              key={tab.id}
              type="button"
              role="tab"
              aria-selected={tab.id === state.active}
              className="dock__tab"
              onClick={() => {
                dispatch({ type: "activate", id: tab.id });
              }}
            >
              {tab.title}
            </button>
          ))}
        </div>
        <button
          type="button"
          className="icon-button dock__toggle"
          aria-expanded={state.open}
          aria-controls="dock-body"
          title={state.open ? "Hide dock (Ctrl+J)" : "Show dock (Ctrl+J)"}
          aria-label={state.open ? "Hide dock" : "Show dock"}
          onClick={() => {
            dispatch({ type: "toggle" });
          }}
        >
          <ChevronIcon className={state.open ? "" : "flip"} />
        </button>
      </div>
      {state.open && (
        <div id="dock-body" className="dock__body" role="tabpanel">
          {active === null ? (
            <p className="dock__empty">{DOCK_EMPTY_TEXT}</p>
          ) : (
            <p className="dock__empty">{active.title}</p>
          )}
        </div>
      )}
    </section>
  );
}
