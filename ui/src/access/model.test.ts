import { describe, expect, it } from "vitest";

import type { AccessMatrix } from "../bindings/AccessMatrix";
import type { Decision } from "../bindings/Decision";
import type { ObjectRef } from "../bindings/ObjectRef";
import { actionQuery } from "./actions";
import { cellOf, cellQuery, columnOf, deniedNavKinds, gateOf, queryFor } from "./model";

const allowed: Decision = { state: "allowed", reason: "" };
const denied: Decision = { state: "denied", reason: "no Role grants it" };
const unknown: Decision = { state: "unknown", reason: "incomplete" };

function matrix(): AccessMatrix {
  const verbs = (d: Record<string, Decision>) => Object.entries(d).map(([verb, decision]) => ({ verb, decision }));
  return {
    context: "c",
    namespace: "web",
    supported: true,
    incomplete: false,
    evaluationError: null,
    kinds: [
      { group: "", kind: "Pod", plural: "pods", namespaced: true, verbs: verbs({ list: allowed, delete: denied, exec: denied, portforward: allowed }) },
      { group: "", kind: "Secret", plural: "secrets", namespaced: true, verbs: verbs({ list: denied, create: denied }) },
      { group: "", kind: "Node", plural: "nodes", namespaced: false, verbs: verbs({ list: unknown }) },
    ],
  };
}

describe("access model", () => {
  it("finds a cell by kind, verb and namespace; pod subresources by their column", () => {
    const m = matrix();
    expect(cellOf(m, queryFor("", "pods", "list", "web"))).toEqual(allowed);
    expect(cellOf(m, queryFor("", "pods", "create", "web", "exec"))).toEqual(denied);
    expect(cellOf(m, queryFor("", "pods", "create", "web", "portforward"))).toEqual(allowed);
    // Another namespace, another group, a subresource outside the matrix: not in it.
    expect(cellOf(m, queryFor("", "pods", "list", "other"))).toBeNull();
    expect(cellOf(m, queryFor("apps", "pods", "list", "web"))).toBeNull();
    expect(cellOf(m, queryFor("", "pods", "patch", "web", "ephemeralcontainers"))).toBeNull();
    // Cluster-scoped kinds are asked without a namespace.
    expect(cellOf(m, queryFor("", "nodes", "list", null))).toEqual(unknown);
    expect(cellOf(null, queryFor("", "pods", "list", "web"))).toBeNull();
  });

  it("disables only on a denial, with the action and the reason", () => {
    expect(gateOf(allowed, "list pods").allowed).toBe(true);
    expect(gateOf(unknown, "list pods").allowed).toBe(true);
    expect(gateOf(null, "list pods").allowed).toBe(true);
    const gate = gateOf(denied, 'delete pods in namespace "web"');
    expect(gate.allowed).toBe(false);
    expect(gate.reason).toContain('you may not delete pods in namespace "web"');
    expect(gate.reason).toContain("no Role grants it");
  });

  it("dims exactly the kinds whose list is denied, by sidebar id", () => {
    const nav = new Map([
      ["Pod", { group: "", plural: "pods" }],
      ["Secret", { group: "", plural: "secrets" }],
      ["Node", { group: "", plural: "nodes" }],
    ]);
    const dimmed = deniedNavKinds(matrix(), nav);
    expect([...dimmed.keys()]).toEqual(["Secret"]);
    expect(dimmed.get("Secret")).toContain('You may not list secrets in namespace "web"');
    expect(deniedNavKinds(null, nav).size).toBe(0);
  });

  it("maps matrix columns to queries and back", () => {
    const pods = { group: "", plural: "pods", namespaced: true };
    expect(cellQuery(pods, "exec", "web")).toEqual({ group: "", resource: "pods", subresource: "exec", verb: "create", namespace: "web" });
    expect(columnOf(cellQuery(pods, "portforward", "web"))).toBe("portforward");
    expect(cellQuery({ group: "", plural: "nodes", namespaced: false }, "list", "web").namespace).toBeNull();
  });

  it("asks what kubectl would need for each action", () => {
    const deploy: ObjectRef = { group: "apps", version: "v1", kind: "Deployment", plural: "deployments", namespace: "web", name: "api" };
    expect(actionQuery("scale", deploy).query).toEqual({ group: "apps", resource: "deployments", subresource: "scale", verb: "patch", namespace: "web" });
    expect(actionQuery("delete", deploy).what).toBe('delete deployments.apps in namespace "web"');
    expect(actionQuery("forward", deploy).query).toMatchObject({ resource: "pods", subresource: "portforward", verb: "create" });
    expect(actionQuery("shell", deploy).query).toMatchObject({ resource: "pods", subresource: "exec", verb: "create" });
    const node: ObjectRef = { group: "", version: "v1", kind: "Node", plural: "nodes", namespace: null, name: "n1" };
    expect(actionQuery("drain", node).query).toEqual({ group: "", resource: "pods", subresource: "eviction", verb: "create", namespace: null });
  });
});
