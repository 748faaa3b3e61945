import { invoke } from "@tauri-apps/api/core";
import { act, fireEvent, render, screen, waitFor } from "@testing-library/react";
import { useReducer } from "react";
import { beforeEach, describe, expect, it, vi } from "vitest";

import { Dock } from "../components/Dock";
import { dockReducer, INITIAL_DOCK } from "../state/dock";
import { install } from "../test/backend";
import type { TerminalMessage } from "./ipc";
import { TerminalTab } from "./TerminalTab";

vi.mock("@tauri-apps/api/core", () => ({
  invoke: vi.fn(),
  isTauri: vi.fn(() => true),
  Channel: class {
    onmessage: unknown;
    constructor(onmessage?: unknown) {
      this.onmessage = onmessage;
    }
  },
}));

const invokeMock = vi.mocked(invoke);

beforeEach(() => {
  // jsdom has no ResizeObserver; the tab only needs it to exist.
  vi.stubGlobal(
    "ResizeObserver",
    class {
      observe() {
        // Nothing is laid out in jsdom.
      }
      disconnect() {
        // Nothing observed.
      }
    },
  );
  // xterm watches the device pixel ratio; jsdom has no media queries.
  vi.stubGlobal("matchMedia", () => ({
    matches: false,
    addListener: () => undefined,
    removeListener: () => undefined,
    addEventListener: () => undefined,
    removeEventListener: () => undefined,
  }));
});

/** Item `i` of `items`, which the test expects to be there. */
function nth<T>(items: readonly (T | null | undefined)[], i: number): T {
  const item = items[i];
  if (item === null || item === undefined) throw new Error(`no item ${i.toString()}`);
  return item;
}

type Sender = (message: TerminalMessage) => void;

/** A backend whose terminals get ids 1, 2, …; `senders[i]` feeds terminal i + 1. */
function backend() {
  const senders: Sender[] = [];
  const open = (a: Record<string, unknown>) => {
    senders.push((a.channel as { onmessage: Sender }).onmessage);
    return { id: senders.length, label: String(a.context ?? a.node) };
  };
  const calls = install(invokeMock, {
    open_context_terminal: open,
    open_node_shell: open,
    terminal_input: () => null,
    terminal_resize: () => null,
    close_terminal: () => null,
  });
  const send = (index: number, message: TerminalMessage) => {
    act(() => {
      senders[index]?.(message);
    });
  };
  return { senders, calls, send };
}

describe("a terminal tab", () => {
  it("shows the exit code and reconnects to the same target with a fresh session", async () => {
    const b = backend();
    render(<TerminalTab target={{ context: "prod", namespace: "apps" }} />);
    await waitFor(() => {
      expect(b.calls.calls("open_context_terminal")).toHaveLength(1);
    });
    expect(b.calls.calls("open_context_terminal")[0]).toMatchObject({ context: "prod", namespace: "apps" });
    const tab = screen.getByTestId("context-terminal");
    await waitFor(() => {
      expect(tab.dataset.state).toBe("running");
    });
    expect(screen.queryByTestId("terminal-reconnect")).toBeNull();

    b.send(0, { event: "exit", code: 3 });
    expect(screen.getByTestId("terminal-status").textContent).toBe("Exited with code 3");
    expect(tab.dataset.exitCode).toBe("3");

    fireEvent.click(screen.getByTestId("terminal-reconnect"));
    await waitFor(() => {
      expect(b.calls.calls("open_context_terminal")).toHaveLength(2);
    });
    expect(b.calls.calls("open_context_terminal")[1]).toMatchObject({ context: "prod", namespace: "apps" });
    expect(b.calls.calls("close_terminal")).toEqual([{ id: 1 }]);
    await waitFor(() => {
      expect(tab.dataset.state).toBe("running");
    });
    // The old session's late messages no longer count.
    b.send(0, { event: "exit", code: 9 });
    expect(tab.dataset.state).toBe("running");
  });

  it("closes its session when the tab goes away", async () => {
    const b = backend();
    const view = render(<TerminalTab target={{ cluster: "dev", node: "server-0" }} />);
    await waitFor(() => {
      expect(screen.getByTestId("node-shell").dataset.state).toBe("running");
    });
    view.unmount();
    expect(b.calls.calls("close_terminal")).toEqual([{ id: 1 }]);
  });
});

function DockHarness({ context, namespace }: { context: string | null; namespace: string | null }) {
  const [state, dispatch] = useReducer(dockReducer, INITIAL_DOCK);
  let seq = state.tabs.length;
  return (
    <Dock
      state={state}
      dispatch={dispatch}
      context={context}
      namespace={namespace}
      onOpenTerminal={(target) => {
        seq++;
        dispatch({ type: "add", tab: { id: `shell-${seq.toString()}-${Math.random().toString()}`, kind: "shell", title: "context" in target ? target.context : target.node, shell: target } });
      }}
    />
  );
}

describe("terminal tabs in the dock", () => {
  it("opens several, keeps each session while another is shown or the dock is hidden, and closes one alone", async () => {
    const b = backend();
    render(<DockHarness context="prod" namespace="apps" />);
    fireEvent.click(screen.getByTestId("dock-new-terminal"));
    fireEvent.click(screen.getByTestId("dock-new-terminal"));
    await waitFor(() => {
      expect(screen.getAllByTestId("context-terminal")).toHaveLength(2);
    });
    await waitFor(() => {
      expect(b.calls.calls("open_context_terminal")).toHaveLength(2);
    });
    const panels = () => screen.getAllByTestId("context-terminal").map((t) => nth([t.closest<HTMLElement>(".dock__panel")], 0));
    // The second is shown; the first stays mounted, hidden.
    expect(panels().map((p) => p.hidden)).toEqual([true, false]);

    const tabs = screen.getAllByTestId("dock-tab");
    fireEvent.click(nth(tabs, 0));
    expect(panels().map((p) => p.hidden)).toEqual([false, true]);

    fireEvent.click(screen.getByRole("button", { name: "Hide dock" }));
    expect(screen.getAllByTestId("context-terminal")).toHaveLength(2);
    fireEvent.click(screen.getByRole("button", { name: "Show dock" }));
    expect(b.calls.calls("open_context_terminal")).toHaveLength(2);
    expect(b.calls.calls("close_terminal")).toEqual([]);

    fireEvent.click(nth(screen.getAllByTestId("dock-tab-close"), 0));
    expect(screen.getAllByTestId("context-terminal")).toHaveLength(1);
    expect(b.calls.calls("close_terminal")).toEqual([{ id: 1 }]);
  });

  it("has no new terminal without a context", () => {
    backend();
    render(<DockHarness context={null} namespace={null} />);
    expect(screen.getByTestId<HTMLButtonElement>("dock-new-terminal").disabled).toBe(true);
  });
});
