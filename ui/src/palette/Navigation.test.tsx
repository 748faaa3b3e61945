// The palette, history, pins, row keys and cheat sheet inside the app.
import { invoke } from "@tauri-apps/api/core";
import { act, fireEvent, render, screen, waitFor, within } from "@testing-library/react";
import { beforeEach, describe, expect, it, vi } from "vitest";

import { App } from "../App";
import type { KindInfo } from "../bindings/KindInfo";
import type { NavSection } from "../bindings/NavSection";
import type { ViewEvent } from "../bindings/ViewEvent";
import type { Handler } from "../test/backend";
import { ctx, install, overviewOf } from "../test/backend";

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

const kind = (group: string, k: string, plural: string, shortNames: string[] = []): KindInfo => ({
  group,
  version: "v1",
  kind: k,
  plural,
  singular: "",
  shortNames,
  namespaced: true,
  verbs: ["list", "watch", "delete", "get"],
});

const SECTIONS: NavSection[] = [
  { title: "Workloads", custom: false, kinds: [kind("", "Pod", "pods", ["po"]), kind("apps", "Deployment", "deployments", ["deploy"])] },
];

type Views = { kinds: string[]; send: (e: ViewEvent) => void };

function backend(extra: Record<string, Handler> = {}) {
  const channels: { onmessage: (e: ViewEvent) => void }[] = [];
  const views: Views = {
    kinds: [],
    send: (e) => {
      act(() => {
        channels[channels.length - 1]?.onmessage(e);
      });
    },
  };
  const calls = install(invokeMock, {
    list_contexts: () => overviewOf([ctx("dev", { isCurrent: true, namespace: "web" })]),
    discover_kinds: () => SECTIONS,
    open_view: (a) => {
      channels.push(a.channel as { onmessage: (e: ViewEvent) => void });
      views.kinds.push((a.kind as KindInfo).kind);
      return channels.length;
    },
    close_view: () => null,
    object_details: (a) => ({
      reference: a.reference,
      uid: "u1",
      resourceVersion: "7",
      createdMs: null,
      status: "Running",
      labels: {},
      annotations: {},
      conditions: [],
      owners: [],
      owned: [],
      containers: [],
    }),
    object_events: () => [],
    open_logs: () => 1,
    close_logs: () => null,
    ...extra,
  });
  return { calls, views };
}

const ROWS = [
  { uid: "u1", name: "checkout-7d9f-abcde", namespace: "web", cells: [{ type: "text" as const, text: "checkout-7d9f-abcde" }], created: null },
  { uid: "u2", name: "cart-0", namespace: "web", cells: [{ type: "text" as const, text: "cart-0" }], created: null },
];

async function appWithPods(extra: Record<string, Handler> = {}) {
  const b = backend(extra);
  render(<App />);
  await screen.findByTestId("resource-table");
  await waitFor(() => {
    expect(b.views.kinds).toContain("Pod");
  });
  b.views.send({ type: "columns", columns: [{ name: "NAME", priority: 0 }] });
  b.views.send({ type: "snapshot", rows: ROWS });
  return b;
}

function rowNamed(name: string): HTMLElement {
  const row = screen.getAllByTestId("resource-row").find((r) => r.getAttribute("data-name") === name);
  if (row === undefined) throw new Error(`no row ${name}`);
  return row;
}

const press = (key: string, mods: Partial<KeyboardEventInit> = {}) => {
  fireEvent.keyDown(document.activeElement ?? document.body, { key, ...mods });
};

beforeEach(() => {
  invokeMock.mockReset();
  vi.spyOn(HTMLElement.prototype, "clientHeight", "get").mockReturnValue(800);
  vi.spyOn(HTMLElement.prototype, "clientWidth", "get").mockReturnValue(1200);
});

describe("command palette", () => {
  it("opens a pod by part of its name, then l opens its logs and back closes it", async () => {
    const b = await appWithPods();
    press("k", { ctrlKey: true });
    const palette = await screen.findByTestId("command-palette");
    fireEvent.change(within(palette).getByTestId("palette-input"), { target: { value: "7d9f" } });
    await waitFor(() => {
      expect(within(palette).getAllByTestId("palette-item")[0]?.getAttribute("data-label")).toBe("checkout-7d9f-abcde");
    });
    expect(within(palette).getAllByTestId("palette-item")[0]?.getAttribute("data-detail")).toBe("Pod · web");
    press("Enter");
    const details = await screen.findByTestId("details-panel");
    expect(details.getAttribute("data-name")).toBe("checkout-7d9f-abcde");
    expect(screen.queryByTestId("command-palette")).toBeNull();
    // The table has the keyboard: `l` opens the logs of the selected row.
    await waitFor(() => {
      expect(document.activeElement).toBe(screen.getByTestId("resource-rows"));
    });
    press("l");
    await waitFor(() => {
      expect(b.calls.calls("open_logs")).toHaveLength(1);
    });
    expect(b.calls.calls("open_logs")[0]).toMatchObject({ context: "dev", target: { kind: "pod", name: "checkout-7d9f-abcde" } });

    // Back returns to the table without the panel; forward opens it again.
    fireEvent.keyDown(document.body, { key: "ArrowLeft", altKey: true });
    await waitFor(() => {
      expect(screen.queryByTestId("details-panel")).toBeNull();
    });
    fireEvent.keyDown(document.body, { key: "ArrowRight", altKey: true });
    expect((await screen.findByTestId("details-panel")).getAttribute("data-name")).toBe("checkout-7d9f-abcde");
  });

  it("runs :deploy and goes back to pods with the mouse's back button", async () => {
    const b = await appWithPods();
    press("k", { ctrlKey: true });
    const palette = await screen.findByTestId("command-palette");
    fireEvent.change(within(palette).getByTestId("palette-input"), { target: { value: ":deploy" } });
    await waitFor(() => {
      expect(within(palette).getAllByTestId("palette-item")[0]?.getAttribute("data-label")).toBe("Deployments");
    });
    press("Enter");
    await waitFor(() => {
      expect(b.views.kinds[b.views.kinds.length - 1]).toBe("Deployment");
    });
    expect(screen.getByRole("heading", { level: 1 }).textContent).toBe("Deployments");
    fireEvent.mouseUp(document.body, { button: 3 });
    await waitFor(() => {
      expect(screen.getByRole("heading", { level: 1 }).textContent).toBe("Pods");
    });
  });

  it("Alt+Enter runs the default action (a pod's logs) without leaving the view", async () => {
    const b = await appWithPods();
    press("k", { ctrlKey: true });
    const palette = await screen.findByTestId("command-palette");
    fireEvent.change(within(palette).getByTestId("palette-input"), { target: { value: "cart" } });
    await waitFor(() => {
      expect(within(palette).getAllByTestId("palette-item")[0]?.getAttribute("data-label")).toBe("cart-0");
    });
    press("Enter", { altKey: true });
    await waitFor(() => {
      expect(b.calls.calls("open_logs")[0]).toMatchObject({ target: { kind: "pod", name: "cart-0" } });
    });
  });
});

describe("pins, last view and cheat sheet", () => {
  it("pins the open object to the sidebar through set_pins, and opens it from there", async () => {
    const b = await appWithPods();
    fireEvent.click(rowNamed("cart-0"));
    fireEvent.click(await screen.findByTestId("details-pin"));
    await waitFor(() => {
      expect(b.calls.calls("set_pins")).toHaveLength(1);
    });
    expect(b.calls.calls("set_pins")[0]).toMatchObject({
      pins: [{ type: "object", context: "dev", object: { kind: "Pod", namespace: "web", name: "cart-0" } }],
    });
    const pinned = await screen.findByTestId("pinned-item");
    expect(pinned.textContent).toContain("Pod web/cart-0");
    fireEvent.click(screen.getByTestId("details-close"));
    await waitFor(() => {
      expect(screen.queryByTestId("details-panel")).toBeNull();
    });
    fireEvent.click(pinned);
    expect((await screen.findByTestId("details-panel")).getAttribute("data-name")).toBe("cart-0");
  });

  it("opens a context on the view it was left on", async () => {
    const b = backend({
      ui_prefs: () => ({ pins: [], lastViews: { dev: { kind: "Deployment", object: null } }, dockHeight: null, layouts: {} }),
    });
    render(<App />);
    await waitFor(() => {
      expect(screen.getByRole("heading", { level: 1 }).textContent).toBe("Deployments");
    });
    await waitFor(() => {
      expect(b.views.kinds).toContain("Deployment");
    });
  });

  it("remembers the view a context is left on", async () => {
    const b = await appWithPods();
    fireEvent.click(rowNamed("checkout-7d9f-abcde"));
    await waitFor(() => {
      const remembered = b.calls.calls("remember_view");
      expect(remembered[remembered.length - 1]).toMatchObject({ context: "dev", kind: "pods", object: { name: "checkout-7d9f-abcde" } });
    });
  });

  it("lists the shortcuts on ?", async () => {
    await appWithPods();
    fireEvent.keyDown(document.body, { key: "?", shiftKey: true });
    const sheet = await screen.findByTestId("cheat-sheet");
    expect(sheet.textContent).toContain("Command palette");
    expect(sheet.textContent).toContain("Port-forward");
  });
});
