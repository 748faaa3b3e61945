import { describe, expect, it } from "vitest";

import type { ObjectRef } from "../bindings/ObjectRef";
import { isPinned, objectPin, pinKey, pinLabel, togglePin } from "./pins";

const api: ObjectRef = { group: "apps", version: "v1", kind: "Deployment", plural: "deployments", namespace: "web", name: "api" };

describe("pins", () => {
  it("toggles a pin on and off, keeping the others in order", () => {
    const ctx = { type: "context" as const, context: "prod" };
    const obj = objectPin("prod", api);
    let pins = togglePin([], ctx);
    pins = togglePin(pins, obj);
    expect(pins.map(pinKey)).toEqual(["context:prod", "object:prod:apps/Deployment/web/api"]);
    expect(isPinned(pins, objectPin("prod", { ...api, version: "v2" }))).toBe(true);
    pins = togglePin(pins, ctx);
    expect(pins).toEqual([obj]);
  });

  it("tells pins of the same object in two contexts apart", () => {
    expect(isPinned([objectPin("a", api)], objectPin("b", api))).toBe(false);
  });

  it("labels pins", () => {
    expect(pinLabel(objectPin("a", api))).toBe("Deployment web/api");
    expect(pinLabel({ type: "context", context: "kind-dev" })).toBe("kind-dev");
  });
});
