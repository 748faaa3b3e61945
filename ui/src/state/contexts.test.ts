import { describe, expect, it } from "vitest";

import type { ContextSummary } from "../bindings/ContextSummary";
import type { KubeconfigOverview } from "../bindings/KubeconfigOverview";
import {
  avatarFor,
  chooseSelection,
  contextSubtitle,
  contextTooltip,
  findContext,
  fromOverview,
  namespaceOf,
} from "./contexts";

function ctx(name: string, extra: Partial<ContextSummary> = {}): ContextSummary {
  return {
    name,
    cluster: `${name}-cluster`,
    user: `${name}-user`,
    namespace: null,
    server: null,
    source: "/home/u/.kube/config",
    isCurrent: false,
    managed: false,
    problem: null,
    ...extra,
  };
}

function overview(contexts: ContextSummary[], currentContext: string | null = null): KubeconfigOverview {
  return { files: ["/home/u/.kube/config"], searched: ["/home/u/.kube/config"], currentContext, contexts, credentialStore: null };
}

describe("fromOverview", () => {
  it("is empty when no kubeconfig file was read", () => {
    const o = { files: [], searched: ["/home/u/.kube/config"], currentContext: null, contexts: [], credentialStore: null };
    expect(fromOverview(o).status).toBe("empty");
  });

  it("is ok when a file was read, even without contexts", () => {
    expect(fromOverview(overview([])).status).toBe("ok");
  });
});

describe("chooseSelection", () => {
  const a = ctx("a");
  const b = ctx("b", { isCurrent: true });
  const c = ctx("c");

  it("selects the current context first", () => {
    expect(chooseSelection(overview([a, b, c], "b"), null)).toBe("b");
  });

  it("uses currentContext when no item is flagged", () => {
    expect(chooseSelection(overview([a, ctx("b"), c], "c"), null)).toBe("c");
  });

  it("falls back to the first context", () => {
    expect(chooseSelection(overview([a, c], "gone"), null)).toBe("a");
  });

  it("keeps the previous selection across a reload", () => {
    expect(chooseSelection(overview([a, b, c], "b"), "c")).toBe("c");
  });

  it("drops a previous selection that disappeared", () => {
    expect(chooseSelection(overview([a, b], "b"), "c")).toBe("b");
  });

  it("is null without contexts", () => {
    expect(chooseSelection(overview([]), "x")).toBeNull();
  });
});

describe("findContext", () => {
  it("finds by name only in the ok state", () => {
    const state = fromOverview(overview([ctx("a")]));
    expect(findContext(state, "a")?.name).toBe("a");
    expect(findContext(state, "b")).toBeNull();
    expect(findContext(state, null)).toBeNull();
    expect(findContext({ status: "loading" }, "a")).toBeNull();
  });
});

describe("context text", () => {
  it("defaults the namespace", () => {
    expect(namespaceOf(ctx("a"))).toBe("default");
    expect(namespaceOf(ctx("a", { namespace: "" }))).toBe("default");
    expect(namespaceOf(ctx("a", { namespace: "kube-system" }))).toBe("kube-system");
  });

  it("shows cluster, user and namespace, without repeating the user", () => {
    expect(contextSubtitle(ctx("a", { namespace: "ns" }))).toBe("a-cluster · a-user · ns");
    expect(contextSubtitle(ctx("k", { cluster: "k", user: "k" }))).toBe("k · default");
  });

  it("puts everything in the tooltip", () => {
    const tip = contextTooltip(ctx("a", { isCurrent: true, server: "https://x:6443" }));
    expect(tip).toContain("Context: a (current)");
    expect(tip).toContain("Server: https://x:6443");
    expect(tip).toContain("From: /home/u/.kube/config");
  });
});

describe("avatarFor", () => {
  it("takes initials from the words of the name", () => {
    expect(avatarFor("kind-capstan").initials).toBe("KC");
    expect(avatarFor("minikube").initials).toBe("MI");
    expect(avatarFor("arn:aws:eks:eu-west-1").initials).toBe("AA");
    expect(avatarFor("---").initials).toBe("?");
  });

  it("is stable and within the palette", () => {
    const first = avatarFor("prod");
    expect(avatarFor("prod")).toEqual(first);
    for (const name of ["a", "b", "prod", "staging", "kind-kind", "x".repeat(200)]) {
      const { colour } = avatarFor(name);
      expect(colour).toBeGreaterThanOrEqual(0);
      expect(colour).toBeLessThan(8);
    }
  });
});
