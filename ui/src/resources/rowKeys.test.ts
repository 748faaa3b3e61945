import { describe, expect, it } from "vitest";

import type { ObjectRef } from "../bindings/ObjectRef";
import { rowKeyAction } from "./rowKeys";

const ref = (kind: string, group = "", namespace: string | null = "web"): ObjectRef => ({
  group,
  version: "v1",
  kind,
  plural: `${kind.toLowerCase()}s`,
  namespace,
  name: "x",
});

describe("rowKeyAction", () => {
  it("maps k9s's keys on a pod", () => {
    const pod = ref("Pod");
    expect(rowKeyAction("l", false, pod, null)).toEqual({ type: "logs" });
    expect(rowKeyAction("s", false, pod, null)).toEqual({ type: "terminal", mode: "exec" });
    expect(rowKeyAction("a", false, pod, null)).toEqual({ type: "terminal", mode: "attach" });
    expect(rowKeyAction("f", false, pod, null)).toEqual({ type: "panel", action: "forward" });
    expect(rowKeyAction("e", false, pod, null)).toEqual({ type: "panel", action: "editYaml" });
    expect(rowKeyAction("d", false, pod, null)).toEqual({ type: "panel", action: "delete" });
    expect(rowKeyAction("p", false, pod, null)).toEqual({ type: "pin" });
    expect(rowKeyAction("/", false, pod, null)).toEqual({ type: "filter" });
  });

  it("offers only what the kind has", () => {
    const cm = ref("ConfigMap");
    expect(rowKeyAction("l", false, cm, null)).toBeNull();
    expect(rowKeyAction("s", false, cm, null)).toBeNull();
    expect(rowKeyAction("f", false, cm, null)).toBeNull();
    expect(rowKeyAction("e", false, cm, null)).toEqual({ type: "panel", action: "editYaml" });
    expect(rowKeyAction("l", false, ref("Deployment", "apps"), null)).toEqual({ type: "logs" });
    // Delete only where the kind's verbs allow it.
    expect(rowKeyAction("d", false, cm, ["get", "list"])).toBeNull();
  });

  it("leaves modified keys alone", () => {
    expect(rowKeyAction("l", true, ref("Pod"), null)).toBeNull();
    expect(rowKeyAction("x", false, ref("Pod"), null)).toBeNull();
  });
});
