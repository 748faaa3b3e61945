import { describe, expect, it } from "vitest";

import type { ContextSummary } from "../bindings/ContextSummary";
import type { ContextsState } from "./contexts";
import { deriveStatus, versionLabel } from "./status";

const context: ContextSummary = {
  name: "dev",
  cluster: "dev",
  user: "me",
  namespace: "team-a",
  server: "https://127.0.0.1:6443",
  source: "/k",
  isCurrent: true,
  managed: false,
  problem: null,
};

const ok: ContextsState = {
  status: "ok",
  overview: { files: ["/k"], searched: ["/k"], currentContext: "dev", contexts: [context], credentialStore: null },
};

describe("deriveStatus", () => {
  it("shows the selected context and its namespace", () => {
    expect(deriveStatus(ok, context)).toEqual({
      context: "dev",
      namespace: "team-a",
      connection: "not connected",
      tone: "idle",
    });
  });

  it("defaults the namespace to default", () => {
    expect(deriveStatus(ok, { ...context, namespace: null }).namespace).toBe("default");
  });

  it("says when nothing is selected", () => {
    const s = deriveStatus({ status: "loading" }, null);
    expect(s.context).toBe("no context");
    expect(s.namespace).toBe("—");
    expect(s.connection).toBe("reading kubeconfig…");
  });

  it("reports a kubeconfig error", () => {
    const s = deriveStatus(
      { status: "error", error: { kind: "kubeconfig", message: "bad", detail: null } },
      null,
    );
    expect(s.connection).toBe("kubeconfig error");
    expect(s.tone).toBe("error");
  });

  it("reports other errors with their message", () => {
    const s = deriveStatus(
      { status: "error", error: { kind: "internal", message: "no backend", detail: null } },
      null,
    );
    expect(s.connection).toBe("error: no backend");
  });

  it("reports a missing kubeconfig and an empty one", () => {
    const empty: ContextsState = {
      status: "empty",
      overview: { files: [], searched: ["/k"], currentContext: null, contexts: [], credentialStore: null },
    };
    expect(deriveStatus(empty, null).connection).toBe("no kubeconfig");
    const none: ContextsState = {
      status: "ok",
      overview: { files: ["/k"], searched: ["/k"], currentContext: null, contexts: [], credentialStore: null },
    };
    expect(deriveStatus(none, null).connection).toBe("no contexts");
  });
});

describe("deriveStatus with a connection check and a namespace", () => {
  it("shows checking while the check runs", () => {
    expect(deriveStatus(ok, context, { state: "checking" })).toMatchObject({
      connection: "checking…",
      tone: "busy",
    });
  });

  it("shows reachable with the server version", () => {
    const s = deriveStatus(ok, context, {
      context: "dev",
      state: "reachable",
      message: null,
      serverVersion: "v1.20.2",
    });
    expect(s.connection).toBe("reachable · v1.20.2");
    expect(s.tone).toBe("ok");
  });

  it("shows a failed check as an error", () => {
    const s = deriveStatus(ok, context, {
      context: "dev",
      state: "tlsError",
      message: "invalid peer certificate",
      serverVersion: null,
    });
    expect(s.connection).toBe("TLS error");
    expect(s.tone).toBe("error");
  });

  it("shows the namespace chosen in the app", () => {
    expect(deriveStatus(ok, context, null, { kind: "all" }).namespace).toBe("all namespaces");
    expect(deriveStatus(ok, context, null, { kind: "named", name: "web" }).namespace).toBe("web");
    expect(deriveStatus(ok, null, null, { kind: "all" }).namespace).toBe("—");
  });
});

describe("versionLabel", () => {
  it("labels the version", () => {
    expect(versionLabel("0.1.0")).toBe("Capstan 0.1.0");
    expect(versionLabel(null)).toBe("");
  });
});
