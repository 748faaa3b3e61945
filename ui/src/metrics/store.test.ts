import { describe, expect, it, vi } from "vitest";

import type { MetricCells } from "../bindings/MetricCells";
import { describeSource, MetricsStore } from "./store";

function cells(cpu: number): MetricCells {
  return { cpu, memory: 1, cpuOfRequest: null, cpuOfLimit: null, memoryOfRequest: null, memoryOfLimit: null };
}

const source = { kind: "metricsApi" } as const;

describe("MetricsStore", () => {
  it("tells only the listeners of rows whose figures changed", () => {
    const store = new MetricsStore();
    const a = vi.fn();
    const b = vi.fn();
    const any = vi.fn();
    store.subscribeKey("ns/a", a);
    const stopB = store.subscribeKey("ns/b", b);
    store.subscribe(any);

    store.apply({ type: "update", source, upserts: [{ key: "ns/a", cells: cells(1) }, { key: "ns/b", cells: cells(2) }], removes: [] });
    expect([a.mock.calls.length, b.mock.calls.length, any.mock.calls.length]).toEqual([1, 1, 1]);
    expect(store.get("ns/a")?.cpu).toBe(1);
    expect(store.status()).toEqual({ state: "live", source });

    store.apply({ type: "update", source, upserts: [{ key: "ns/a", cells: cells(3) }], removes: [] });
    expect([a.mock.calls.length, b.mock.calls.length]).toEqual([2, 1]);

    store.apply({ type: "update", source, upserts: [], removes: ["ns/b"] });
    expect(b.mock.calls.length).toBe(2);
    expect(store.get("ns/b")).toBeUndefined();

    stopB();
    store.apply({ type: "update", source, upserts: [{ key: "ns/b", cells: cells(4) }], removes: [] });
    expect(b.mock.calls.length).toBe(2);
    expect(store.version()).toBe(4);
  });

  it("drops stale figures when metrics become unavailable", () => {
    const store = new MetricsStore();
    const a = vi.fn();
    store.subscribeKey("ns/a", a);
    store.apply({ type: "update", source, upserts: [{ key: "ns/a", cells: cells(1) }], removes: [] });
    store.apply({ type: "unavailable", reason: "no metrics source works" });
    expect(store.get("ns/a")).toBeUndefined();
    expect(a).toHaveBeenCalledTimes(2);
    expect(store.status()).toEqual({ state: "unavailable", reason: "no metrics source works" });
  });

  it("names sources", () => {
    expect(describeSource({ kind: "kubeletSummary" })).toBe("kubelet Summary API");
    expect(describeSource({ kind: "prometheus", namespace: "mon", service: "prom", port: "web" })).toBe("Prometheus mon/prom");
  });
});
