import { describe, expect, it } from "vitest";

import type { KindInfo } from "../bindings/KindInfo";
import { parseColon, resolveAlias } from "./command";

function kind(k: Partial<KindInfo> & { kind: string; plural: string }): { id: string; info: KindInfo } {
  const info: KindInfo = { group: "", version: "v1", singular: "", shortNames: [], namespaced: true, verbs: [], ...k };
  return { id: info.kind, info };
}

const KINDS = [
  kind({ kind: "Pod", plural: "pods", singular: "pod", shortNames: ["po"] }),
  kind({ kind: "Deployment", plural: "deployments", group: "apps", shortNames: ["deploy"] }),
  kind({ kind: "Service", plural: "services", shortNames: ["svc"] }),
  kind({ kind: "Namespace", plural: "namespaces", shortNames: ["ns"], namespaced: false }),
  kind({ kind: "Widget", plural: "pods", group: "example.com" }),
];

describe("parseColon", () => {
  it("ignores input without a colon", () => {
    expect(parseColon("web")).toBeNull();
  });

  it("reads kinds with their namespace scope", () => {
    expect(parseColon(":po")).toEqual({ type: "kind", alias: "po", scope: { type: "current" } });
    expect(parseColon(":deploy -n web")).toEqual({ type: "kind", alias: "deploy", scope: { type: "named", name: "web" } });
    expect(parseColon(" :svc -A ")).toEqual({ type: "kind", alias: "svc", scope: { type: "all" } });
    expect(parseColon(":svc --namespace=kube-system")).toEqual({
      type: "kind",
      alias: "svc",
      scope: { type: "named", name: "kube-system" },
    });
  });

  it("reads context and namespace switches", () => {
    expect(parseColon(":ctx prod")).toEqual({ type: "context", name: "prod" });
    expect(parseColon(":ns kube-system")).toEqual({ type: "namespace", name: "kube-system" });
    // `:ns` alone is the Namespaces kind, as in k9s.
    expect(parseColon(":ns")).toEqual({ type: "kind", alias: "ns", scope: { type: "current" } });
  });

  it("explains what is wrong", () => {
    expect(parseColon(":")).toMatchObject({ type: "invalid" });
    expect(parseColon(":ctx")).toMatchObject({ type: "invalid", message: "Use :ctx <context>" });
    expect(parseColon(":po -n")).toMatchObject({ type: "invalid", message: "-n needs a namespace" });
    expect(parseColon(":po --wide")).toMatchObject({ type: "invalid" });
  });
});

describe("resolveAlias", () => {
  it("takes plural, singular, kind and short names, core group first", () => {
    expect(resolveAlias(KINDS, "po")?.info.kind).toBe("Pod");
    expect(resolveAlias(KINDS, "pods")?.info.kind).toBe("Pod");
    expect(resolveAlias(KINDS, "Pod")?.info.kind).toBe("Pod");
    expect(resolveAlias(KINDS, "deploy")?.info.kind).toBe("Deployment");
    expect(resolveAlias(KINDS, "deployment")?.info.kind).toBe("Deployment");
    expect(resolveAlias(KINDS, "ns")?.info.kind).toBe("Namespace");
  });

  it("qualifies by group", () => {
    expect(resolveAlias(KINDS, "pods.example.com")?.info.kind).toBe("Widget");
    expect(resolveAlias(KINDS, "deployments.apps")?.info.kind).toBe("Deployment");
    expect(resolveAlias(KINDS, "nothing")).toBeNull();
  });
});
