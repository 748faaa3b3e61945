import { describe, expect, it } from "vitest";

import type { MetricsChartEvent } from "../bindings/MetricsChartEvent";
import { feedView, metricsTargetOf, sourceLabel, targetKey } from "./feed";

const drawn = (points: number, revision = 3): MetricsChartEvent => ({
  type: "drawn",
  revision,
  points,
  source: { kind: "metricsApi" },
});

describe("feedView", () => {
  it("is opening before the first event", () => {
    expect(feedView(null, null)).toEqual({ state: "opening" });
  });

  it("waits until a line has two points, then draws the event's revision", () => {
    expect(feedView(null, drawn(1))).toEqual({ state: "waiting", source: { kind: "metricsApi" } });
    expect(feedView(null, drawn(2, 7))).toEqual({ state: "drawn", source: { kind: "metricsApi" }, revision: 7 });
  });

  it("shows why when the feed fails or cannot open, never an empty chart", () => {
    const error = { kind: "forbidden" as const, message: "not allowed to get nodes/proxy", detail: null };
    expect(feedView(null, { type: "failed", revision: 2, error })).toEqual({ state: "failed", error });
    expect(feedView(error, drawn(5))).toEqual({ state: "failed", error });
  });
});

describe("sourceLabel", () => {
  it("names each source", () => {
    expect(sourceLabel({ kind: "metricsApi" })).toBe("metrics.k8s.io");
    expect(sourceLabel({ kind: "kubeletSummary" })).toMatch(/Summary API/);
    expect(sourceLabel({ kind: "prometheus", namespace: "monitoring", service: "prometheus-operated", port: "web" })).toBe(
      "Prometheus monitoring/prometheus-operated:web",
    );
  });
});

describe("metricsTargetOf", () => {
  it("gives pods, nodes and apps workloads a target, other kinds none", () => {
    expect(metricsTargetOf({ group: "", kind: "Pod", namespace: "a", name: "p" })).toEqual({
      kind: "pod",
      namespace: "a",
      name: "p",
    });
    expect(metricsTargetOf({ group: "", kind: "Node", namespace: null, name: "n" })).toEqual({ kind: "node", name: "n" });
    expect(metricsTargetOf({ group: "apps", kind: "StatefulSet", namespace: "a", name: "db" })).toEqual({
      kind: "workload",
      workload: "StatefulSet",
      namespace: "a",
      name: "db",
    });
    expect(metricsTargetOf({ group: "apps", kind: "ReplicaSet", namespace: "a", name: "r" })).toBeNull();
    expect(metricsTargetOf({ group: "", kind: "ConfigMap", namespace: "a", name: "c" })).toBeNull();
  });

  it("keys targets so equal ones match and different ones do not", () => {
    expect(targetKey({ kind: "pod", namespace: "a", name: "p" })).toBe(targetKey({ kind: "pod", namespace: "a", name: "p" }));
    expect(targetKey({ kind: "pod", namespace: "a", name: "p" })).not.toBe(targetKey({ kind: "pod", namespace: "b", name: "p" }));
    expect(targetKey({ kind: "cluster" })).toBe("cluster");
  });
});
