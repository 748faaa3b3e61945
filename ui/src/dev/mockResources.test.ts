import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";

import type { KindInfo } from "../bindings/KindInfo";
import type { NavSection } from "../bindings/NavSection";
import type { ViewEvent } from "../bindings/ViewEvent";
import { isResourceCommand, mockResourceInvoke } from "./mockResources";

const pods: KindInfo = { group: "", version: "v1", kind: "Pod", plural: "pods", singular: "", shortNames: [], namespaced: true, verbs: [] };

beforeEach(() => {
  vi.useFakeTimers();
});
afterEach(() => {
  vi.useRealTimers();
});

describe("mock resource backend", () => {
  it("serves discovery with custom resource groups", () => {
    expect(isResourceCommand("open_view")).toBe(true);
    expect(isResourceCommand("list_contexts")).toBe(false);
    const sections = mockResourceInvoke("discover_kinds", { context: "x" }) as NavSection[];
    expect(sections.map((s) => s.title).slice(0, 5)).toEqual(["Workloads", "Network", "Config", "Storage", "Cluster"]);
    expect(sections.some((s) => s.custom)).toBe(true);
  });

  it("emits columns, a snapshot, then deltas until closed", () => {
    const events: ViewEvent[] = [];
    const id = mockResourceInvoke("open_view", {
      kind: pods,
      namespaces: ["default"],
      labelSelector: null,
      channel: { onmessage: (e: ViewEvent) => events.push(e) },
    }) as number;
    vi.advanceTimersByTime(200);
    expect(events.map((e) => e.type)).toEqual(["status", "columns", "snapshot", "status"]);
    const snapshot = events[2];
    if (snapshot?.type !== "snapshot") throw new Error("no snapshot");
    expect(snapshot.rows.length).toBeGreaterThan(0);
    expect(snapshot.rows.every((r) => r.namespace === "default")).toBe(true);
    vi.advanceTimersByTime(1600);
    expect(events[events.length - 1]?.type).toBe("deltas");
    mockResourceInvoke("close_view", { id });
    const count = events.length;
    vi.advanceTimersByTime(5000);
    expect(events.length).toBe(count);
  });
});
