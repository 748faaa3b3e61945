import { describe, expect, it } from "vitest";

import type { KindInfo } from "../bindings/KindInfo";
import type { Row } from "../bindings/Row";
import type { PaletteKind, PaletteSources } from "./items";
import { actionsOf, paletteItems } from "./items";
import { ObjectIndex } from "./objectIndex";

function info(k: Partial<KindInfo> & { kind: string; plural: string }): KindInfo {
  return { group: "", version: "v1", singular: "", shortNames: [], namespaced: true, verbs: [], ...k };
}
const POD = info({ kind: "Pod", plural: "pods", shortNames: ["po"] });
const DEPLOY = info({ kind: "Deployment", plural: "deployments", group: "apps", shortNames: ["deploy"] });
const KINDS: PaletteKind[] = [
  { id: "Pod", label: "Pods", info: POD },
  { id: "Deployment", label: "Deployments", info: DEPLOY },
  { id: "PodTemplate", label: "PodTemplates", info: info({ kind: "PodTemplate", plural: "podtemplates" }) },
];

function rows(...names: [string, string][]): ReadonlyMap<string, Row> {
  return new Map(names.map(([ns, name]) => [`${ns}/${name}`, { uid: `${ns}/${name}`, name, namespace: ns, cells: [], created: null }]));
}

function sources(extra: Partial<PaletteSources> = {}): PaletteSources {
  const index = new ObjectIndex();
  index.publish({ context: "dev", kindId: "Deployment", info: DEPLOY, rows: rows(["web", "checkout"]) });
  index.publish({ context: "dev", kindId: "Pod", info: POD, rows: rows(["web", "checkout-7d9f-abcde"], ["shop", "cart-0"]) });
  return {
    context: "dev",
    kinds: KINDS,
    objects: index.kindsOf("dev"),
    contexts: ["dev", "prod-eu"],
    namespaces: ["web", "shop"],
    pins: [],
    ...extra,
  };
}

describe("paletteItems", () => {
  it("finds a kind by its short name before anything else", () => {
    const [first] = paletteItems("po", sources());
    expect(first?.run).toEqual({ type: "kind", kindId: "Pod", scope: { type: "current" } });
    expect(first?.detail).toBe("Kind (po)");
  });

  it("finds objects by a partial name, with kind and namespace, and their actions", () => {
    const items = paletteItems("checkout-7d", sources());
    const first = items[0];
    expect(first?.label).toBe("checkout-7d9f-abcde");
    expect(first?.detail).toBe("Pod · web");
    expect(first?.run).toMatchObject({ type: "object", kindId: "Pod", ref: { kind: "Pod", namespace: "web" } });
    // Alt+Enter on a pod opens its logs.
    expect(first?.alt).toMatchObject({ type: "action", action: "logs" });
    const labels = items.map((i) => i.label);
    expect(labels).toContain("Logs of checkout-7d9f-abcde");
    expect(labels).toContain("Shell into checkout-7d9f-abcde");
    expect(labels).toContain("Port-forward checkout-7d9f-abcde");
  });

  it("lists objects of every indexed kind, deployments with Scale", () => {
    const items = paletteItems("checkout", sources());
    expect(items.filter((i) => i.run?.type === "object").map((i) => i.detail).sort()).toEqual(["Deployment · web", "Pod · web"]);
    expect(items.map((i) => i.label)).toContain("Scale checkout");
  });

  it("offers contexts, namespaces and pins", () => {
    expect(paletteItems("prod", sources())[0]?.run).toEqual({ type: "context", name: "prod-eu" });
    expect(paletteItems("shop", sources()).some((i) => i.run?.type === "namespace")).toBe(true);
    const pinned = paletteItems("", sources({ pins: [{ type: "context", context: "prod-eu" }] }));
    expect(pinned.some((i) => i.detail === "Pinned context" && i.label === "prod-eu")).toBe(true);
  });

  it("runs k9s-style commands", () => {
    expect(paletteItems(":deploy -n web", sources())).toEqual([
      expect.objectContaining({ label: "Deployments in web", run: { type: "kind", kindId: "Deployment", scope: { type: "named", name: "web" } } }),
    ]);
    expect(paletteItems(":ctx prod-eu", sources())[0]?.run).toEqual({ type: "context", name: "prod-eu" });
    expect(paletteItems(":ctx nope", sources())[0]).toMatchObject({ run: null, label: "No context named nope" });
    expect(paletteItems(":widgets", sources())[0]).toMatchObject({ run: null });
  });

  it("keeps the list bounded", () => {
    const many = new Map<string, Row>();
    for (let i = 0; i < 5000; i++) many.set(String(i), { uid: String(i), name: `pod-${String(i)}`, namespace: "a", cells: [], created: null });
    const index = new ObjectIndex();
    index.publish({ context: "dev", kindId: "Pod", info: POD, rows: many });
    expect(paletteItems("pod", sources({ objects: index.kindsOf("dev") })).length).toBeLessThanOrEqual(50);
  });
});

describe("actionsOf", () => {
  it("offers what applies to the kind", () => {
    expect(actionsOf({ group: "", version: "v1", kind: "Pod", plural: "pods", namespace: "a", name: "p" })).toEqual([
      "logs",
      "shell",
      "forward",
      "editYaml",
    ]);
    expect(actionsOf({ group: "", version: "v1", kind: "ConfigMap", plural: "configmaps", namespace: "a", name: "c" })).toEqual(["editYaml"]);
  });
});

describe("ObjectIndex", () => {
  it("keeps the most recent kinds per context", () => {
    const index = new ObjectIndex();
    for (let i = 0; i < 8; i++) index.publish({ context: "a", kindId: `k${String(i)}`, info: POD, rows: new Map() });
    index.publish({ context: "b", kindId: "x", info: POD, rows: new Map() });
    expect(index.kindsOf("a").map((k) => k.kindId)).toEqual(["k7", "k6", "k5", "k4", "k3", "k2"]);
    index.publish({ context: "a", kindId: "k2", info: POD, rows: new Map() });
    expect(index.kindsOf("a")[0]?.kindId).toBe("k2");
    expect(index.kindsOf("b")).toHaveLength(1);
  });
});
