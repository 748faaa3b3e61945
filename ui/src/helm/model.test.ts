import { describe, expect, it } from "vitest";

import type { HelmRevision } from "../bindings/HelmRevision";
import type { KindInfo } from "../bindings/KindInfo";
import { changeLine, defaultDiffPair, diffLineClass, kindOf, liveStatusText, shortValue, uninstallLines } from "./model";
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

describe("manifest links", () => {
  const info = (kind: string, group: string): KindInfo => ({ group, version: "v1", kind, plural: `${kind.toLowerCase()}s`, namespaced: true, verbs: [], shortNames: [], singular: kind.toLowerCase() });
  const kinds = new Map<string, KindInfo>([
    ["Deployment", info("Deployment", "apps")],
    ["Service", info("Service", "")],
  ]);
  const res = (apiVersion: string, kind: string) => ({ source: null, apiVersion, kind, name: "x", namespace: null, yaml: "" });

  it("finds a resource's kind by kind and API group", () => {
    expect(kindOf(kinds, res("apps/v1", "Deployment"))?.id).toBe("Deployment");
    expect(kindOf(kinds, res("v1", "Service"))?.id).toBe("Service");
    expect(kindOf(kinds, res("extensions/v1beta1", "Deployment"))).toBeNull();
  });

  it("says what is known of the live object", () => {
    expect(liveStatusText(false, false, null, null)).toBe("kind not served");
    expect(liveStatusText(true, true, null, null)).toBe("…");
    expect(liveStatusText(true, false, "2/2 ready", null)).toBe("2/2 ready");
    expect(liveStatusText(true, false, null, null)).toBe("present");
    expect(liveStatusText(true, false, null, "notFound")).toBe("missing");
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
