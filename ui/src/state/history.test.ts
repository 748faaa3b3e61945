import { describe, expect, it } from "vitest";

import type { ObjectRef } from "../bindings/ObjectRef";
import type { Place } from "./history";
import { canGoBack, canGoForward, currentPlace, HISTORY_LIMIT, historyReducer, initialHistory } from "./history";

const START: Place = { context: "a", kind: "pods", local: false, helm: false, object: null };
const pod = (name: string): { ref: ObjectRef; row: string | null } => ({
  ref: { group: "", version: "v1", kind: "Pod", plural: "pods", namespace: "web", name },
  row: null,
});

describe("historyReducer", () => {
  it("pushes places, goes back and forward, and truncates forward on a new place", () => {
    let h = initialHistory(START);
    h = historyReducer(h, { type: "go", to: { kind: "deployments" }, push: true });
    h = historyReducer(h, { type: "go", to: { kind: "services" }, push: true });
    expect(currentPlace(h).kind).toBe("services");
    h = historyReducer(h, { type: "back" });
    expect(currentPlace(h).kind).toBe("deployments");
    expect(canGoForward(h)).toBe(true);
    h = historyReducer(h, { type: "forward" });
    expect(currentPlace(h).kind).toBe("services");
    h = historyReducer(h, { type: "back" });
    h = historyReducer(h, { type: "go", to: { kind: "nodes" }, push: true });
    expect(h.entries.map((p) => p.kind)).toEqual(["pods", "deployments", "nodes"]);
    expect(canGoForward(h)).toBe(false);
  });

  it("replaces for a selection moving in a table, and ignores the same place", () => {
    let h = initialHistory(START);
    h = historyReducer(h, { type: "go", to: { object: pod("a") }, push: false });
    h = historyReducer(h, { type: "go", to: { object: pod("b") }, push: false });
    expect(h.entries).toHaveLength(1);
    expect(currentPlace(h).object?.ref.name).toBe("b");
    const same = historyReducer(h, { type: "go", to: { object: pod("b") }, push: true });
    expect(same).toBe(h);
    expect(canGoBack(h)).toBe(false);
  });

  it("stops at the ends and keeps at most the limit", () => {
    let h = initialHistory(START);
    expect(historyReducer(h, { type: "back" })).toBe(h);
    for (let i = 0; i < HISTORY_LIMIT + 10; i++) {
      h = historyReducer(h, { type: "go", to: { kind: `k${String(i)}` }, push: true });
    }
    expect(h.entries).toHaveLength(HISTORY_LIMIT);
    expect(currentPlace(h).kind).toBe(`k${String(HISTORY_LIMIT + 9)}`);
    expect(historyReducer(h, { type: "forward" })).toBe(h);
  });
});
