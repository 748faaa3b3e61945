import { describe, expect, it } from "vitest";

import { BUILT_IN_NAVIGATION } from "../bindings/builtInNavigation";
import { contextKey, DEFAULT_KIND, findKind, kindKey, placeholderFor, pluralLabel, RESOURCE_GROUPS } from "./navigation";

describe("resource navigation", () => {
  it("shows capstan-kube's built-in sections in their order, then the custom resources", () => {
    expect(RESOURCE_GROUPS.map((g) => g.label)).toEqual([
      "Workloads",
      "Network",
      "Config",
      "Storage",
      "Cluster",
    ]);
    // Every built-in kind from Rust is a row, keyed by its plural, nothing added or lost.
    const rows = RESOURCE_GROUPS.flatMap((g) => g.kinds.map((k) => k.id));
    expect(rows).toContain("customresourcedefinitions");
    expect(rows).toEqual(BUILT_IN_NAVIGATION.flatMap((s) => s.kinds.map((k) => k.plural)));
  });

  it("has unique kind ids", () => {
    const ids = RESOURCE_GROUPS.flatMap((g) => g.kinds.map((k) => k.id));
    expect(new Set(ids).size).toBe(ids.length);
  });

  it("labels each kind with its plural as kubectl users read it", () => {
    expect(pluralLabel("Pod", "pods")).toBe("Pods");
    expect(pluralLabel("Endpoints", "endpoints")).toBe("Endpoints");
    expect(pluralLabel("Ingress", "ingresses")).toBe("Ingresses");
    expect(pluralLabel("NetworkPolicy", "networkpolicies")).toBe("NetworkPolicies");
    expect(pluralLabel("StorageClass", "storageclasses")).toBe("StorageClasses");
    expect(pluralLabel("Gateway", "gateways")).toBe("Gateways");
    const labels = new Map(RESOURCE_GROUPS.flatMap((g) => g.kinds.map((k) => [k.id, k.label] as const)));
    expect(labels.get("persistentvolumeclaims")).toBe("PersistentVolumeClaims");
    // A label read as a plural always lowercases back to the kind's plural.
    for (const s of BUILT_IN_NAVIGATION) for (const k of s.kinds) expect(pluralLabel(k.kind, k.plural).toLowerCase()).toBe(k.plural);
  });

  it("starts on the first kind, Pods, and finds kinds by id only", () => {
    expect(DEFAULT_KIND).toBe(RESOURCE_GROUPS[0]?.kinds[0]?.id);
    expect(findKind(DEFAULT_KIND)?.label).toBe("Pods");
    expect(findKind("deployments")?.label).toBe("Deployments");
    expect(findKind("Pods")).toBeNull();
    expect(findKind("nope")).toBeNull();
  });

  it("names the selected kind in the placeholder", () => {
    for (const group of RESOURCE_GROUPS) {
      for (const kind of group.kinds) {
        const text = placeholderFor(kind);
        expect(text.startsWith(kind.label)).toBe(true);
      }
    }
  });

  it("keeps context and kind rows apart even when their names are equal", () => {
    expect(contextKey("pods")).not.toBe(kindKey("pods"));
  });
});
