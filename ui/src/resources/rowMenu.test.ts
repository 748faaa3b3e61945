import { describe, expect, it } from "vitest";

import type { ObjectRef } from "../bindings/ObjectRef";
import { chooseRowAction, isMenuKey, objectActions, rowMenuActions, rowMenuItem } from "./rowMenu";

const ALL = { logs: true, terminal: true, forwards: true };
const NONE = { logs: false, terminal: false, forwards: false };

function ref(group: string, kind: string, namespace: string | null = "default"): ObjectRef {
  return { group, version: "v1", kind, plural: `${kind.toLowerCase()}s`, namespace, name: "x" };
}

describe("row menu entries", () => {
  it("gives a pod details, logs, its terminals and copies, port-forward, Edit YAML and Delete last", () => {
    expect(rowMenuActions(ref("", "Pod"), ["get", "update", "delete"], ALL)).toEqual([
      "details",
      "logs",
      "shell",
      "attach",
      "debug",
      "copyFrom",
      "copyTo",
      "forward",
      "editYaml",
      "delete",
    ]);
  });

  it("gives workloads and services what their details panel offers", () => {
    expect(rowMenuActions(ref("apps", "Deployment"), null, ALL)).toEqual([
      "details",
      "logs",
      "forward",
      "scale",
      "restart",
      "editYaml",
      "delete",
    ]);
    expect(rowMenuActions(ref("apps", "DaemonSet"), null, ALL)).toEqual(["details", "logs", "restart", "editYaml", "delete"]);
    expect(rowMenuActions(ref("", "Service"), null, ALL)).toEqual(["details", "forward", "editYaml", "delete"]);
    expect(rowMenuActions(ref("batch", "Job"), null, ALL)).toEqual(["details", "logs", "editYaml", "delete"]);
    expect(rowMenuActions(ref("", "Node", null), null, ALL)).toEqual([
      "details",
      "cordon",
      "uncordon",
      "drain",
      "editYaml",
      "delete",
    ]);
  });

  it("leaves out what the app cannot open and what the kind's verbs forbid", () => {
    expect(rowMenuActions(ref("", "Pod"), null, NONE)).toEqual(["details", "editYaml", "delete"]);
    // A pod of another group is not a pod a terminal can open in.
    expect(rowMenuActions(ref("example.com", "Pod"), null, ALL)).not.toContain("shell");
    expect(rowMenuActions(ref("", "ComponentStatus", null), ["get", "list"], ALL)).toEqual(["details"]);
    expect(rowMenuActions(ref("", "ConfigMap"), ["get", "list", "patch"], ALL)).toEqual(["details", "editYaml"]);
  });

  it("offers in the menu exactly the details panel's actions", () => {
    for (const r of [ref("", "Pod"), ref("apps", "StatefulSet"), ref("", "Node", null), ref("", "Secret")]) {
      const panel = objectActions(r, null, ALL);
      const menu = rowMenuActions(r, null, ALL).filter((a) => a !== "details" && a !== "editYaml");
      expect(new Set(menu)).toEqual(new Set(panel));
    }
  });

  it("labels entries as the panel's buttons, Delete as dangerous", () => {
    expect(rowMenuItem("scale")).toEqual({ id: "scale", label: "Scale…", testId: "row-menu-scale", danger: false });
    expect(rowMenuItem("delete")).toEqual({ id: "delete", label: "Delete…", testId: "row-menu-delete", danger: true });
    expect(rowMenuItem("shell").label).toBe("Shell");
    expect(rowMenuItem("editYaml").label).toBe("Edit YAML");
  });
});

describe("choosing an entry", () => {
  it("opens logs and terminals at once and everything else in the details panel", () => {
    expect(chooseRowAction("details")).toEqual({ open: "details" });
    expect(chooseRowAction("logs")).toEqual({ open: "logs" });
    expect(chooseRowAction("shell")).toEqual({ open: "terminal", mode: "exec" });
    expect(chooseRowAction("attach")).toEqual({ open: "terminal", mode: "attach" });
    for (const a of ["delete", "editYaml", "debug", "copyFrom", "copyTo", "forward", "scale", "restart", "drain"] as const) {
      expect(chooseRowAction(a)).toEqual({ open: "panel", intent: a });
    }
  });

  it("knows the menu keys", () => {
    expect(isMenuKey("ContextMenu", false)).toBe(true);
    expect(isMenuKey("F10", true)).toBe(true);
    expect(isMenuKey("F10", false)).toBe(false);
    expect(isMenuKey("Enter", true)).toBe(false);
  });
});
