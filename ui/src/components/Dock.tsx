import { HelmRunTab } from "../helm/HelmRunTab";
import type { Dispatch } from "react";
import { lazy, Suspense, useRef, useState } from "react";

import { ForwardPanel } from "../forward/ForwardPanel";
import { LogTab } from "../logs/LogTab";
import type { TerminalTarget } from "../shell/opener";
import type { DockAction, DockState } from "../state/dock";
import { DOCK_EMPTY_TEXT } from "../state/dock";
import { DOCK_BOUNDS } from "../state/resize";
import { ChevronIcon } from "./icons";
import { sizeOf, Splitter } from "./Splitter";

// The terminal (xterm.js) is loaded with the first terminal tab, not at start-up.
const TerminalTab = lazy(() => import("../shell/TerminalTab").then((m) => ({ default: m.TerminalTab })));

type Props = {
  state: DockState;
  dispatch: Dispatch<DockAction>;
  /** The selected context (the port-forward panel's save toggle is per context). */
  context?: string | null;
  /** The namespace the user is looking at (null: all), for a new context terminal. */
  namespace?: string | null;
  /** Opens a terminal tab ("+": a shell bound to the selected context). */
  onOpenTerminal?: (target: TerminalTarget) => void;
  /** The panels' height the user dragged (null: the default), and where to keep a new one. */
  height?: number | null;
  onHeight?: (height: number) => void;
};

/**
 * Bottom dock: log, port-forward and terminal panels as tabs. Every panel stays
 * mounted while hidden so its stream (and a terminal's session and scrollback)
 * keeps running.
 */
export function Dock({ state, dispatch, context = null, namespace = null, onOpenTerminal, height = null, onHeight }: Props) {
  const active = state.tabs.find((t) => t.id === state.active) ?? null;
  const [dragging, setDragging] = useState<number | null>(null);
  const body = useRef<HTMLDivElement>(null);
  const shown = dragging ?? height;
  const panels = state.open && active !== null;
  return (
    <section
      className={`dock${state.open ? " dock--open" : ""}`}
      aria-label="Dock"
      data-testid="dock"
    >
      {panels && onHeight !== undefined && (
        <Splitter
          label="Dock height"
          orientation="vertical"
          size={shown ?? 340}
          bounds={DOCK_BOUNDS}
          grows={-1}
          testId="dock-splitter"
          measure={() => sizeOf(body.current, true)}
          onResize={setDragging}
          onCommit={(h) => {
            setDragging(null);
            onHeight(h);
          }}
        />
      )}
      <div className="dock__bar">
        <div className="dock__tabs" role="tablist" aria-label="Dock panels">
          {state.tabs.length === 0 && <span className="dock__label">Dock</span>}
          {state.tabs.map((tab) => (
            <span key={tab.id} className="dock__tabwrap">
              <button
                type="button"
                role="tab"
                aria-selected={tab.id === state.active}
                className="dock__tab"
                data-testid="dock-tab"
                onClick={() => {
                  dispatch({ type: "activate", id: tab.id });
                }}
              >
                {tab.title}
              </button>
              <button
                type="button"
                className="dock__close"
                aria-label={`Close ${tab.title}`}
                data-testid="dock-tab-close"
                onClick={() => {
                  dispatch({ type: "close", id: tab.id });
                }}
              >
                ×
              </button>
            </span>
          ))}
        </div>
        {onOpenTerminal !== undefined && (
          <button
            type="button"
            className="icon-button dock__new-terminal"
            data-testid="dock-new-terminal"
            disabled={context === null}
            title={context === null ? "Select a context to open a terminal on it" : `Open a terminal on ${context} (kubectl and helm use this context)`}
            aria-label="New terminal on the selected context"
            onClick={() => {
              if (context !== null) onOpenTerminal({ context, namespace });
            }}
          >
            +
          </button>
        )}
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
      <div
        id="dock-body"
        ref={body}
        className={`dock__body${active !== null ? " dock__body--panels" : ""}`}
        role="tabpanel"
        hidden={!state.open}
        style={active !== null && shown !== null ? { height: shown } : undefined}
      >
        {state.open && active === null && <p className="dock__empty">{DOCK_EMPTY_TEXT}</p>}
        {state.tabs.map((tab) => (
          <div key={tab.id} className="dock__panel" hidden={tab.id !== state.active}>
            {tab.logs !== undefined ? (
              <LogTab context={tab.logs.context} namespace={tab.logs.namespace} target={tab.logs.target} />
            ) : tab.helmRun !== undefined ? (
              <HelmRunTab id={tab.helmRun} />
            ) : tab.kind === "portForward" ? (
              <ForwardPanel context={context} />
            ) : tab.shell !== undefined ? (
              <Suspense fallback={<p className="dock__empty">Loading the terminal…</p>}>
                <TerminalTab
                  target={tab.shell}
                  onLabel={(label) => {
                    dispatch({ type: "labelled", id: tab.id, label });
                  }}
                />
              </Suspense>
            ) : (
              <p className="dock__empty">{tab.title}</p>
            )}
          </div>
        ))}
      </div>
    </section>
  );
}
