import { describe, expect, it } from "vitest";

import type { Row } from "../bindings/Row";
import { INITIAL_ROWS, rowsReducer } from "./rows";

function row(uid: string, name = uid, namespace: string | null = "default"): Row {
  return { uid, name, namespace, cells: [{ type: "text", text: name }], created: 0 };
}

describe("rowsReducer", () => {
  it("takes columns, then a snapshot, then deltas", () => {
    let s = rowsReducer(INITIAL_ROWS, { type: "columns", columns: [{ name: "NAME", priority: 0 }] });
    expect(s.columns.map((c) => c.name)).toEqual(["NAME"]);
    expect(s.loaded).toBe(false);
    s = rowsReducer(s, { type: "snapshot", rows: [row("a"), row("b")] });
    expect(s.loaded).toBe(true);
    expect([...s.rows.keys()]).toEqual(["a", "b"]);
    s = rowsReducer(s, { type: "deltas", upserts: [row("b", "b2"), row("c")], deletes: ["a"] });
    expect([...s.rows.keys()].sort()).toEqual(["b", "c"]);
    expect(s.rows.get("b")?.name).toBe("b2");
  });

  it("replaces every row on a later snapshot", () => {
    let s = rowsReducer(INITIAL_ROWS, { type: "snapshot", rows: [row("a"), row("b")] });
    s = rowsReducer(s, { type: "snapshot", rows: [row("z")] });
    expect([...s.rows.keys()]).toEqual(["z"]);
  });

  it("never mutates the previous state", () => {
    const before = rowsReducer(INITIAL_ROWS, { type: "snapshot", rows: [row("a")] });
    const after = rowsReducer(before, { type: "deltas", upserts: [row("b")], deletes: ["a"] });
    expect([...before.rows.keys()]).toEqual(["a"]);
    expect([...after.rows.keys()]).toEqual(["b"]);
  });

  it("ignores deletes of unknown rows and keeps state for empty deltas", () => {
    const s = rowsReducer(INITIAL_ROWS, { type: "snapshot", rows: [row("a")] });
    expect(rowsReducer(s, { type: "deltas", upserts: [], deletes: [] })).toBe(s);
    expect(rowsReducer(s, { type: "deltas", upserts: [], deletes: ["x"] }).rows.size).toBe(1);
  });

  it("keys rows without a uid by namespace and name", () => {
    const s = rowsReducer(INITIAL_ROWS, { type: "snapshot", rows: [row("", "n1", "ns")] });
    expect([...s.rows.keys()]).toEqual(["ns/n1"]);
  });

  it("records status changes", () => {
    const s = rowsReducer(INITIAL_ROWS, { type: "status", status: { state: "reconnecting", reason: "EOF" } });
    expect(s.status).toEqual({ state: "reconnecting", reason: "EOF" });
  });

  it("handles 10 000 rows and 1 000 deltas per message", () => {
    const rows = Array.from({ length: 10_000 }, (_, i) => row(`u${String(i)}`));
    let s = rowsReducer(INITIAL_ROWS, { type: "snapshot", rows });
    const upserts = Array.from({ length: 1000 }, (_, i) => row(`u${String(i * 10)}`, `changed${String(i)}`));
    const t0 = performance.now();
    s = rowsReducer(s, { type: "deltas", upserts, deletes: ["u1", "u2"] });
    // A figure, not a threshold: printed for the record.
    console.info(`1000 deltas on 10000 rows: ${(performance.now() - t0).toFixed(2)} ms`);
    expect(s.rows.size).toBe(9998);
    expect(s.rows.get("u9990")?.name).toBe("changed999");
  });
});
