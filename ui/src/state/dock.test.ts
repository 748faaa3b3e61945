import { describe, expect, it } from "vitest";

import type { DockState, DockTab } from "./dock";
import { dockReducer, INITIAL_DOCK, shellTab } from "./dock";

const tab = (id: string): DockTab => ({ id, kind: "logs", title: `logs ${id}` });

describe("dockReducer", () => {
  it("toggles open", () => {
    const closed = dockReducer(INITIAL_DOCK, { type: "toggle" });
    expect(closed.open).toBe(!INITIAL_DOCK.open);
    expect(dockReducer(closed, { type: "toggle" }).open).toBe(INITIAL_DOCK.open);
  });

  it("adding a tab opens the dock and activates it, once", () => {
    let s: DockState = { open: false, tabs: [], active: null };
    s = dockReducer(s, { type: "add", tab: tab("a") });
    s = dockReducer(s, { type: "add", tab: tab("a") });
    expect(s).toEqual({ open: true, tabs: [tab("a")], active: "a" });
  });

  it("closing the active tab activates its neighbour", () => {
    let s: DockState = { open: true, tabs: [tab("a"), tab("b"), tab("c")], active: "b" };
    s = dockReducer(s, { type: "close", id: "b" });
    expect(s.active).toBe("c");
    s = dockReducer(s, { type: "close", id: "c" });
    expect(s.active).toBe("a");
    s = dockReducer(s, { type: "close", id: "a" });
    expect(s).toEqual({ open: true, tabs: [], active: null });
  });

  it("ignores unknown tabs", () => {
    const s: DockState = { open: true, tabs: [tab("a")], active: "a" };
    expect(dockReducer(s, { type: "close", id: "zz" })).toBe(s);
    expect(dockReducer(s, { type: "activate", id: "zz" })).toBe(s);
  });
});

describe("shell tabs", () => {
  it("every opened shell gets its own tab, even on the same node", () => {
    const request = { cluster: "dev", node: "server-0" };
    let s: DockState = { open: false, tabs: [], active: null };
    s = dockReducer(s, { type: "add", tab: shellTab(1, request) });
    s = dockReducer(s, { type: "add", tab: shellTab(2, request) });
    expect(s.open).toBe(true);
    expect(s.tabs.map((t) => [t.id, t.kind, t.title])).toEqual([
      ["shell-1", "shell", "Shell: dev/server-0"],
      ["shell-2", "shell", "Shell: dev/server-0"],
    ]);
    expect(s.tabs[0]?.shell).toEqual(request);
    expect(s.active).toBe("shell-2");
    s = dockReducer(s, { type: "close", id: "shell-2" });
    expect(s.tabs.map((t) => t.id)).toEqual(["shell-1"]);
    expect(s.active).toBe("shell-1");
  });

  it("titles a pod terminal with the container Rust chose, once it answers", () => {
    const pod = { mode: "attach" as const, context: "c", namespace: "ns", pod: "web", container: null };
    let s: DockState = dockReducer(INITIAL_DOCK, { type: "add", tab: shellTab(1, pod) });
    expect(s.tabs[0]?.title).toBe("attach: web");
    s = dockReducer(s, { type: "labelled", id: "shell-1", label: "web/app" });
    expect(s.tabs[0]?.title).toBe("attach: web/app");
    // Unchanged state when nothing changes: no re-render.
    expect(dockReducer(s, { type: "labelled", id: "shell-1", label: "web/app" })).toBe(s);

    // A container chosen by the user, and other terminals, keep their title.
    const chosen = dockReducer(INITIAL_DOCK, { type: "add", tab: shellTab(2, { ...pod, mode: "exec", container: "side" }) });
    expect(dockReducer(chosen, { type: "labelled", id: "shell-2", label: "web/side" }).tabs[0]?.title).toBe("web/side");
    const context = dockReducer(INITIAL_DOCK, { type: "add", tab: shellTab(3, { context: "c", namespace: "ns" }) });
    expect(dockReducer(context, { type: "labelled", id: "shell-3", label: "c" }).tabs[0]?.title).toBe("Terminal: c/ns");
  });
});
