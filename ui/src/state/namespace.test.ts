import { describe, expect, it } from "vitest";

import type { ContextSummary } from "../bindings/ContextSummary";
import {
  ALL,
  ALL_VALUE,
  named,
  namespaceNameProblem,
  namespaceOptions,
  resolveNamespace,
  sameSelection,
  selectionFromValue,
  selectionLabel,
  selectionValue,
} from "./namespace";

function ctx(namespace: string | null): ContextSummary {
  return {
    name: "c",
    cluster: "c",
    user: "u",
    namespace,
    server: null,
    source: "/k",
    isCurrent: false,
    managed: false,
    problem: null,
  };
}

describe("resolveNamespace", () => {
  it("prefers the remembered namespace", () => {
    expect(resolveNamespace(named("team-a"), ctx("payments"))).toEqual(named("team-a"));
  });

  it("keeps a remembered 'all namespaces'", () => {
    expect(resolveNamespace(ALL, ctx("payments"))).toEqual(ALL);
  });

  it("falls back to the context's own namespace", () => {
    expect(resolveNamespace(null, ctx("payments"))).toEqual(named("payments"));
    expect(resolveNamespace(named(""), ctx("payments"))).toEqual(named("payments"));
  });

  it("falls back to default", () => {
    expect(resolveNamespace(null, ctx(null))).toEqual(named("default"));
    expect(resolveNamespace(null, ctx(""))).toEqual(named("default"));
  });
});

describe("select values", () => {
  it("maps All to __all__ and back", () => {
    expect(ALL_VALUE).toBe("__all__");
    expect(selectionValue(ALL)).toBe("__all__");
    expect(selectionFromValue("__all__")).toEqual(ALL);
    expect(selectionValue(named("kube-system"))).toBe("kube-system");
    expect(selectionFromValue("kube-system")).toEqual(named("kube-system"));
  });

  it("labels a selection for the status bar", () => {
    expect(selectionLabel(ALL)).toBe("all namespaces");
    expect(selectionLabel(named("x"))).toBe("x");
  });

  it("compares selections", () => {
    expect(sameSelection(ALL, ALL)).toBe(true);
    expect(sameSelection(ALL, named("a"))).toBe(false);
    expect(sameSelection(named("a"), named("a"))).toBe(true);
    expect(sameSelection(named("a"), named("b"))).toBe(false);
  });
});

describe("namespaceOptions", () => {
  it("sorts the listed names and keeps the selected one", () => {
    expect(namespaceOptions(["kube-system", "default"], named("typed"))).toEqual([
      "default",
      "kube-system",
      "typed",
    ]);
    expect(namespaceOptions([], ALL)).toEqual([]);
    expect(namespaceOptions(["a", "a", ""], named("a"))).toEqual(["a"]);
  });
});

describe("namespaceNameProblem", () => {
  it("accepts DNS labels", () => {
    expect(namespaceNameProblem("team-a")).toBeNull();
    expect(namespaceNameProblem("a".repeat(63))).toBeNull();
  });

  it("rejects the rest", () => {
    expect(namespaceNameProblem("")).not.toBeNull();
    expect(namespaceNameProblem("Team")).not.toBeNull();
    expect(namespaceNameProblem("-a")).not.toBeNull();
    expect(namespaceNameProblem("a_b")).not.toBeNull();
    expect(namespaceNameProblem("a".repeat(64))).not.toBeNull();
  });
});
