import { describe, expect, it } from "vitest";

import type { HelmRevision } from "../bindings/HelmRevision";
import { changeLine, defaultDiffPair, diffLineClass, shortValue, uninstallLines } from "./model";
import { runsReducer, runTitle } from "./runs";

function rev(revision: number): HelmRevision {
  return { revision, updated: null, updatedMs: null, status: "superseded", chart: "c-1", appVersion: "1", description: "", error: null };
}

describe("helm model", () => {
  it("writes path changes as one line each", () => {
    expect(changeLine({ path: "spec.replicas", change: "changed", old: 1, new: 2 })).toBe("~ spec.replicas: 1 → 2");
    expect(changeLine({ path: "service", change: "added", old: null, new: { port: 81 } })).toBe('+ service: {"port":81}');
    expect(changeLine({ path: "gone", change: "removed", old: "x", new: null })).toBe('- gone: "x"');
  });

  it("cuts long values", () => {
    expect(shortValue("a".repeat(200), 10)).toHaveLength(10);
    expect(shortValue(undefined)).toBe("");
  });

  it("opens a diff on the two newest revisions, whatever the order", () => {
    expect(defaultDiffPair([rev(3), rev(1), rev(2)])).toEqual([2, 3]);
    expect(defaultDiffPair([rev(1)])).toBeNull();
  });

  it("names what an uninstall deletes", () => {
    expect(
      uninstallLines(
        [
          { source: null, apiVersion: "apps/v1", kind: "Deployment", name: "web", namespace: null, yaml: "" },
          { source: null, apiVersion: "v1", kind: "ConfigMap", name: "cfg", namespace: "other", yaml: "" },
        ],
        "apps",
      ),
    ).toEqual(["Deployment web (in apps, if namespaced)", "ConfigMap cfg (in other)"]);
  });

  it("classes unified diff lines", () => {
    expect(["--- revision 1", "+++ revision 2", "@@ -1 +1 @@", "-a", "+b", " c"].map(diffLineClass)).toEqual([
      "head",
      "head",
      "hunk",
      "del",
      "add",
      "ctx",
    ]);
  });
});

describe("helm runs", () => {
  it("collects output in order and ends with the outcome", () => {
    let runs = runsReducer(new Map(), { type: "start", id: "a", title: runTitle("web", { kind: "rollback", revision: 2 }) });
    runs = runsReducer(runs, { type: "line", id: "a", line: { stderr: false, text: "one" } });
    runs = runsReducer(runs, { type: "line", id: "a", line: { stderr: true, text: "two" } });
    runs = runsReducer(runs, { type: "failed", id: "a", error: { kind: "invalidInput", message: "helm rollback failed", detail: "boom" } });
    const run = runs.get("a");
    expect(run?.title).toBe("helm rollback web 2");
    expect(run?.lines.map((l) => l.text)).toEqual(["one", "two"]);
    expect(run?.state).toBe("failed");
    expect(run?.error?.detail).toBe("boom");
  });

  it("ignores events of unknown runs", () => {
    const runs = new Map();
    expect(runsReducer(runs, { type: "done", id: "nope" })).toBe(runs);
  });
});
