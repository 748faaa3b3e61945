import { describe, expect, it } from "vitest";

import type { MetricCells } from "../bindings/MetricCells";
import { formatCpu, formatMemory, level, metricColumns, metricsKey, metricSortValue, metricText } from "./cells";

const cells: MetricCells = {
  cpu: 0.0123,
  memory: 64 * 1024 * 1024 + 5,
  cpuOfRequest: 123,
  cpuOfLimit: 85.4,
  memoryOfRequest: 12,
  memoryOfLimit: null,
};

describe("metrics cells", () => {
  it("writes figures as kubectl top does", () => {
    expect(formatCpu(0.0123)).toBe("13m");
    expect(formatCpu(0.002)).toBe("2m");
    expect(formatCpu(0)).toBe("0m");
    expect(formatMemory(64 * 1024 * 1024 + 5)).toBe("64Mi");
    expect(formatMemory(1024 * 1024 - 1)).toBe("0Mi");
  });

  it("marks high percentages", () => {
    expect(level(79.9)).toBe("ok");
    expect(level(80)).toBe("warn");
    expect(level(100)).toBe("over");
    expect(metricText(cells, "cpuOfRequest")).toEqual({ text: "123%", level: "over" });
    expect(metricText(cells, "cpuOfLimit")).toEqual({ text: "85%", level: "warn" });
    expect(metricText(cells, "memoryOfRequest")).toEqual({ text: "12%", level: "ok" });
    expect(metricText(cells, "memoryOfLimit")).toEqual({ text: "n/a", level: null });
    expect(metricText(cells, "cpu")).toEqual({ text: "13m", level: null });
    expect(metricText(undefined, "memory")).toEqual({ text: "", level: null });
  });

  it("gives pods all six columns and other kinds CPU and MEM", () => {
    expect(metricColumns({ group: "", plural: "pods" }).map((c) => c.name)).toEqual([
      "CPU",
      "MEM",
      "%CPU/R",
      "%CPU/L",
      "%MEM/R",
      "%MEM/L",
    ]);
    expect(metricColumns({ group: "apps", plural: "deployments" }).map((c) => c.name)).toEqual(["CPU", "MEM"]);
  });

  it("keys rows as Rust does and sorts rows without figures last", () => {
    expect(metricsKey({ namespace: "web", name: "api" })).toBe("web/api");
    expect(metricsKey({ namespace: null, name: "node-1" })).toBe("node-1");
    expect(metricSortValue(cells, "memory")).toBe(64 * 1024 * 1024 + 5);
    expect(metricSortValue(cells, "memoryOfLimit")).toBeNull();
    expect(metricSortValue(undefined, "cpu")).toBeNull();
  });
});
