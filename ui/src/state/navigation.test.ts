import { describe, expect, it } from "vitest";

import { DEFAULT_KIND, findKind, placeholderFor, RESOURCE_GROUPS } from "./navigation";

describe("resource navigation", () => {
  it("has the Lens groups in order", () => {
    expect(RESOURCE_GROUPS.map((g) => g.label)).toEqual([
      "Workloads",
      "Network",
      "Config",
      "Storage",
      "Cluster",
      "Custom Resources",
    ]);
  });

  it("has unique kind ids", () => {
    const ids = RESOURCE_GROUPS.flatMap((g) => g.kinds.map((k) => k.id));
    expect(new Set(ids).size).toBe(ids.length);
  });

  it("defaults to Pods with a clear placeholder", () => {
    const pods = findKind(DEFAULT_KIND);
    expect(pods?.label).toBe("Pods");
    expect(pods && placeholderFor(pods)).toBe("Pods — live table arrives with the resource browser");
    expect(findKind("nope")).toBeNull();
  });
});
