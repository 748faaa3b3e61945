// The resource browser inside the app: sidebar from discovery, a kind's table
// in the main area, the view's status in the status bar.
import { invoke } from "@tauri-apps/api/core";
import { act, fireEvent, render, screen, waitFor } from "@testing-library/react";
import { beforeEach, describe, expect, it, vi } from "vitest";

import { App } from "../App";
import type { KindInfo } from "../bindings/KindInfo";
import type { NavSection } from "../bindings/NavSection";
import type { ViewEvent } from "../bindings/ViewEvent";
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

const kind = (group: string, k: string, plural: string, namespaced = true): KindInfo => ({
  group,
  version: "v1",
  kind: k,
  plural,
  singular: "",
  shortNames: [],
  namespaced,
  verbs: ["list", "watch", "delete"],
});

const SECTIONS: NavSection[] = [
  { title: "Workloads", custom: false, kinds: [kind("", "Pod", "pods"), kind("apps", "Deployment", "deployments")] },
  { title: "Cluster", custom: false, kinds: [kind("", "Node", "nodes", false)] },
  { title: "example.com", custom: true, kinds: [kind("example.com", "Widget", "widgets")] },
];

beforeEach(() => {
  invokeMock.mockReset();
  vi.spyOn(HTMLElement.prototype, "clientHeight", "get").mockReturnValue(800);
  vi.spyOn(HTMLElement.prototype, "clientWidth", "get").mockReturnValue(1200);
});

describe("resource browser in the app", () => {
  it("navigates discovered kinds and shows the live table and its status", async () => {
    const channels: { onmessage: (e: ViewEvent) => void }[] = [];
    const backend = install(invokeMock, {
      list_contexts: () => overviewOf([ctx("kind", { isCurrent: true, namespace: "apps" })]),
      discover_kinds: () => SECTIONS,
      open_view: (a) => {
        channels.push(a.channel as { onmessage: (e: ViewEvent) => void });
        return channels.length;
      },
      close_view: () => null,
    });
    render(<App />);
    await screen.findByTestId("app-ready");
    await waitFor(() => {
      expect(screen.getAllByTestId("nav-item").map((n) => n.getAttribute("data-kind"))).toEqual([
        "Pod",
        "Deployment",
        "Node",
        "Widget",
      ]);
    });
    expect(screen.getByText("Custom Resources")).toBeTruthy();
    await screen.findByTestId("resource-table");
    await waitFor(() => {
      expect(backend.calls("open_view")).toHaveLength(1);
    });
    expect(backend.calls("open_view")[0]).toMatchObject({ context: "kind", kind: SECTIONS[0]?.kinds[0], namespaces: ["apps"] });

    const send = (e: ViewEvent) => {
      act(() => {
        channels[channels.length - 1]?.onmessage(e);
      });
    };
    send({ type: "columns", columns: [{ name: "NAME", priority: 0 }] });
    send({
      type: "snapshot",
      rows: [{ uid: "u1", name: "web", namespace: "apps", cells: [{ type: "text", text: "web" }], created: null }],
    });
    expect(screen.getAllByTestId("resource-row").map((r) => r.getAttribute("data-name"))).toEqual(["web"]);
    send({ type: "status", status: { state: "reconnecting", reason: "watch stream closed" } });
    expect(screen.getByTestId("status-view").getAttribute("data-state")).toBe("reconnecting");
    expect(screen.getByTestId("status-view").textContent).toContain("reconnecting");

    // Another kind: the old view is closed and a cluster-scoped one opened.
    const node = screen.getAllByTestId("nav-item").find((n) => n.getAttribute("data-kind") === "Node");
    if (node === undefined) throw new Error("no Node item");
    fireEvent.click(node);
    await waitFor(() => {
      expect(backend.calls("open_view")).toHaveLength(2);
    });
    expect(backend.calls("open_view")[1]).toMatchObject({ kind: SECTIONS[1]?.kinds[0], namespaces: [] });
    await waitFor(() => {
      expect(backend.calls("close_view")).toEqual([{ id: 1 }]);
    });
    expect(screen.getByRole("heading", { level: 1 }).textContent).toBe("Nodes");
  });
});
