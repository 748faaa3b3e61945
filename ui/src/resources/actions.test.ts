import { describe, expect, it } from "vitest";

import { actionsFor, describeRef, parseReplicas } from "./actions";

describe("actionsFor", () => {
  it("offers scale and restart for the workloads they apply to", () => {
    expect(actionsFor({ group: "apps", kind: "Deployment" })).toEqual(["scale", "restart", "delete"]);
    expect(actionsFor({ group: "apps", kind: "StatefulSet" })).toEqual(["scale", "restart", "delete"]);
    expect(actionsFor({ group: "apps", kind: "ReplicaSet" })).toEqual(["scale", "delete"]);
    expect(actionsFor({ group: "apps", kind: "DaemonSet" })).toEqual(["restart", "delete"]);
  });
  it("offers cordon, uncordon and drain for nodes only", () => {
    expect(actionsFor({ group: "", kind: "Node" })).toEqual(["cordon", "uncordon", "drain", "delete"]);
    expect(actionsFor({ group: "", kind: "Pod" })).toEqual(["delete"]);
    expect(actionsFor({ group: "example.com", kind: "Deployment" })).toEqual(["delete"]);
  });
  it("leaves delete out when the kind does not allow it", () => {
    expect(actionsFor({ group: "", kind: "ComponentStatus" }, ["get", "list"])).toEqual([]);
  });
});

describe("helpers", () => {
  it("parses replica counts", () => {
    expect(parseReplicas(" 3 ")).toBe(3);
    expect(parseReplicas("0")).toBe(0);
    expect(parseReplicas("-1")).toBeNull();
    expect(parseReplicas("2.5")).toBeNull();
    expect(parseReplicas("")).toBeNull();
  });
  it("describes references", () => {
    const ref = { group: "apps", version: "v1", kind: "Deployment", plural: "deployments", name: "web" };
    expect(describeRef({ ...ref, namespace: "default" })).toBe("Deployment web in default");
    expect(describeRef({ ...ref, namespace: null })).toBe("Deployment web");
  });
});
