import { describe, expect, it } from "vitest";

import type { Cell } from "../bindings/Cell";
import type { Row } from "../bindings/Row";
import { cellText, filterRows, naturalKey, nextSort, sortRows, spansNamespaces, visibleColumns } from "./table";

function row(name: string, cells: Cell[], namespace: string | null = "default"): Row {
  return { uid: `${namespace ?? ""}/${name}`, name, namespace, cells: [{ type: "text", text: name }, ...cells], created: null };
}

const names = (rows: readonly Row[]) => rows.map((r) => r.name);

describe("visibleColumns", () => {
  const columns = [
    { name: "NAME", priority: 0 },
    { name: "READY", priority: 0 },
    { name: "IP", priority: 1 },
    { name: "AGE", priority: 0 },
  ];
  it("hides wide columns unless wide", () => {
    expect(visibleColumns(columns, false, false).map((c) => c.name)).toEqual(["NAME", "READY", "AGE"]);
    expect(visibleColumns(columns, true, false).map((c) => c.key)).toEqual([0, 1, 2, 3]);
  });
  it("adds NAMESPACE first when the view spans namespaces", () => {
    expect(visibleColumns(columns, false, true).map((c) => c.name)).toEqual(["NAMESPACE", "NAME", "READY", "AGE"]);
  });
  it("spans namespaces for all or several namespaces of a namespaced kind", () => {
    expect(spansNamespaces(true, [])).toBe(true);
    expect(spansNamespaces(true, ["a", "b"])).toBe(true);
    expect(spansNamespaces(true, ["a"])).toBe(false);
    expect(spansNamespaces(false, [])).toBe(false);
  });
});

describe("sortRows", () => {
  const rows = [
    row("pod-10", [{ type: "number", value: 10 }, { type: "age", sinceMs: 3000 }, { type: "restarts", count: 2, lastMs: 1 }]),
    row("pod-9", [{ type: "number", value: 9 }, { type: "age", sinceMs: 1000 }, { type: "restarts", count: 0, lastMs: null }]),
    row("pod-100", [{ type: "number", value: 100 }, { type: "age", sinceMs: 2000 }, { type: "restarts", count: 11, lastMs: 5 }]),
  ];
  it("sorts text naturally", () => {
    expect(names(sortRows(rows, { key: 0, dir: "asc" }))).toEqual(["pod-9", "pod-10", "pod-100"]);
    expect(names(sortRows(rows, { key: 0, dir: "desc" }))).toEqual(["pod-100", "pod-10", "pod-9"]);
  });
  it("sorts numbers numerically", () => {
    expect(names(sortRows(rows, { key: 1, dir: "asc" }))).toEqual(["pod-9", "pod-10", "pod-100"]);
  });
  it("sorts ages by time, youngest first ascending", () => {
    expect(names(sortRows(rows, { key: 2, dir: "asc" }))).toEqual(["pod-10", "pod-100", "pod-9"]);
  });
  it("sorts restarts by count", () => {
    expect(names(sortRows(rows, { key: 3, dir: "desc" }))).toEqual(["pod-100", "pod-10", "pod-9"]);
  });
  it("defaults to namespace then name", () => {
    const mixed = [row("b", [], "ns2"), row("a", [], "ns2"), row("c", [], "ns1")];
    expect(names(sortRows(mixed, null))).toEqual(["c", "a", "b"]);
    expect(names(sortRows(mixed, { key: "namespace", dir: "desc" }))).toEqual(["a", "b", "c"]);
  });
  it("cycles through asc, desc and off", () => {
    expect(nextSort(null, 1)).toEqual({ key: 1, dir: "asc" });
    expect(nextSort({ key: 1, dir: "asc" }, 1)).toEqual({ key: 1, dir: "desc" });
    expect(nextSort({ key: 1, dir: "desc" }, 1)).toBeNull();
    expect(nextSort({ key: 1, dir: "desc" }, 2)).toEqual({ key: 2, dir: "asc" });
  });
});

describe("naturalKey", () => {
  it("orders digit runs by value and ignores case", () => {
    const words = ["pod-10", "Pod-9", "pod-100", "pod-09a", "pod-", "pod-a", "node2", "node10"];
    const sorted = [...words].sort((a, b) => (naturalKey(a) < naturalKey(b) ? -1 : 1));
    expect(sorted).toEqual(["node2", "node10", "pod-", "Pod-9", "pod-09a", "pod-10", "pod-100", "pod-a"]);
  });
});

describe("filterRows", () => {
  const rows = [
    row("api", [{ type: "text", text: "Running" }, { type: "text", text: "node-web" }]),
    row("web-1", [{ type: "text", text: "Pending" }]),
    row("db", [{ type: "text", text: "CrashLoopBackOff" }], "web-team"),
  ];
  it("matches any cell, name matches first", () => {
    expect(names(filterRows(rows, "WEB"))).toEqual(["web-1", "api", "db"]);
    expect(names(filterRows(rows, "crash"))).toEqual(["db"]);
    expect(names(filterRows(rows, "nothing"))).toEqual([]);
  });
  it("keeps every row for blank text", () => {
    expect(filterRows(rows, "  ")).toBe(rows);
  });
});

describe("cellText", () => {
  it("renders each cell type", () => {
    expect(cellText({ type: "text", text: "x" }, 0)).toBe("x");
    expect(cellText({ type: "number", value: 3 }, 0)).toBe("3");
    expect(cellText({ type: "age", sinceMs: 0 }, 150_000)).toBe("2m30s");
    expect(cellText({ type: "restarts", count: 4, lastMs: 0 }, 120_000)).toBe("4 (2m ago)");
    expect(cellText(undefined, 0)).toBe("");
  });
});

describe("sorting figures", () => {
  it("sorts and filters 50 000 rows (figures printed, not asserted)", () => {
    const rows = Array.from({ length: 50_000 }, (_, i) =>
      row(`pod-${String((i * 7919) % 50_000)}`, [
        { type: "number", value: i % 97 },
        { type: "age", sinceMs: (i * 31) % 100_000 },
      ]),
    );
    let t = performance.now();
    const byName = sortRows(rows, { key: 0, dir: "asc" });
    const nameMs = performance.now() - t;
    t = performance.now();
    sortRows(rows, { key: 0, dir: "asc" });
    const warmMs = performance.now() - t;
    t = performance.now();
    sortRows(rows, { key: 2, dir: "desc" });
    const ageMs = performance.now() - t;
    t = performance.now();
    const kept = filterRows(byName, "pod-4");
    const filterMs = performance.now() - t;
    console.info(
      `50000 rows: sort by name ${nameMs.toFixed(1)} ms (keys cached: ${warmMs.toFixed(1)} ms), by age ${ageMs.toFixed(1)} ms, filter ${filterMs.toFixed(1)} ms`,
    );
    expect(byName[0]?.name).toBe("pod-0");
    expect(byName[1]?.name).toBe("pod-1");
    expect(kept.every((r) => r.name.includes("pod-4"))).toBe(true);
  });
});
