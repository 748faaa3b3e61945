import { describe, expect, it } from "vitest";

import type { KindInfo } from "../bindings/KindInfo";
import { kindLabel, navigationFrom, resolveKind } from "./nav";

function info(kind: string, plural: string, group = "", namespaced = true): KindInfo {
  return { group, version: "v1", kind, plural, singular: "", shortNames: [], namespaced, verbs: ["list", "watch"] };
}

const sections = [
  { title: "Workloads", custom: false, kinds: [info("Pod", "pods"), info("Deployment", "deployments", "apps")] },
  { title: "Cluster", custom: false, kinds: [info("Node", "nodes", "", false)] },
  { title: "example.com", custom: true, kinds: [info("Widget", "widgets", "example.com")] },
  { title: "other.io", custom: true, kinds: [info("Widget", "widgets", "other.io")] },
];

describe("navigationFrom", () => {
  it("keys items by kind name, qualified only when two groups share it", () => {
    const nav = navigationFrom(sections);
    expect(nav.groups.map((g) => g.id)).toEqual(["workloads", "cluster", "custom:example.com", "custom:other.io"]);
    expect(nav.groups[0]?.kinds.map((k) => k.id)).toEqual(["Pod", "Deployment"]);
    expect(nav.groups[2]?.kinds[0]?.id).toBe("Widget.example.com");
    expect(nav.kinds.get("Node")?.namespaced).toBe(false);
  });

  it("resolves a static id by plural, and ids directly", () => {
    const nav = navigationFrom(sections);
    expect(resolveKind(nav, "pods")?.kind.id).toBe("Pod");
    expect(resolveKind(nav, "Deployment")?.info?.group).toBe("apps");
    expect(resolveKind(nav, "widgets")).toBeNull();
    expect(resolveKind(nav, "missing")).toBeNull();
  });

  it("labels kinds in the plural", () => {
    expect(kindLabel(info("Pod", "pods"))).toBe("Pods");
    expect(kindLabel(info("NetworkPolicy", "networkpolicies"))).toBe("NetworkPolicies");
    expect(kindLabel(info("Ingress", "ingresses"))).toBe("Ingresses");
    expect(kindLabel(info("Endpoints", "endpoints"))).toBe("Endpoints");
    expect(kindLabel(info("Gateway", "gateways"))).toBe("Gateways");
  });
});
