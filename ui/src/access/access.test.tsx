import { invoke } from "@tauri-apps/api/core";
import { act, fireEvent, render, screen, waitFor } from "@testing-library/react";
import type { ReactNode } from "react";
import { describe, expect, it, vi } from "vitest";

import type { AccessMatrix } from "../bindings/AccessMatrix";
import type { Decision } from "../bindings/Decision";
import type { KindInfo } from "../bindings/KindInfo";
import type { ObjectRef } from "../bindings/ObjectRef";
import type { ViewEvent } from "../bindings/ViewEvent";
import { ResourceNav } from "../components/sidebar/ResourceNav";
import { ActionsBar } from "../resources/ActionsBar";
import { BrowserHarness } from "../test/browser";
import { fail, install } from "../test/backend";
import { AccessView } from "./AccessView";
import type { Access } from "./useAccess";
import { AccessContext } from "./useAccess";

vi.mock("@tauri-apps/api/core", () => ({
  invoke: vi.fn(),
  isTauri: vi.fn(() => true),
  Channel: class {
    onmessage: unknown;
    constructor(onmessage?: unknown) {
      this.onmessage = onmessage;
    }
  },
}));

const invokeMock = vi.mocked(invoke);

const allowed: Decision = { state: "allowed", reason: "" };
const denied = (why: string): Decision => ({ state: "denied", reason: why });
const secretKind: KindInfo = { group: "", version: "v1", kind: "Secret", plural: "secrets", singular: "", shortNames: [], namespaced: true, verbs: ["list", "create", "delete"] };

function matrix(extra: Partial<AccessMatrix> = {}): AccessMatrix {
  const row = (plural: string, kind: string, d: Record<string, Decision>) => ({
    group: "",
    kind,
    plural,
    namespaced: true,
    verbs: Object.entries(d).map(([verb, decision]) => ({ verb, decision })),
  });
  return {
    context: "ctx",
    namespace: "web",
    supported: true,
    incomplete: false,
    evaluationError: null,
    kinds: [
      row("pods", "Pod", { get: allowed, list: allowed, delete: denied("no Role grants delete on pods"), exec: denied("no exec") }),
      row("secrets", "Secret", { list: denied("no Role grants list on secrets"), create: denied("no Role grants create on secrets") }),
    ],
    ...extra,
  };
}

function withAccess(m: AccessMatrix | null, children: ReactNode) {
  const access: Access = { context: "ctx", namespace: "web", matrix: m, error: null };
  return <AccessContext.Provider value={access}>{children}</AccessContext.Provider>;
}

type Channel = { onmessage: (e: ViewEvent) => void };

describe("permissions in the UI", () => {
  it("a forbidden list is Not allowed, the view ends, the answers are refreshed and New secret is disabled", async () => {
    const backend = install(invokeMock, {
      open_view: () =>
        fail({
          kind: "forbidden",
          message: 'Not allowed: you may not list secrets in namespace "web" in context "ctx"',
          detail: 'secrets is forbidden: User "u" cannot list resource "secrets"',
          denial: { verb: "list", group: "", resource: "secrets", namespace: "web", reason: 'secrets is forbidden: User "u" cannot list resource "secrets"' },
        }),
    });
    render(withAccess(matrix(), <BrowserHarness kind={secretKind} defaultNamespaces={["web"]} namespaceNames={["web"]} />));
    const error = await screen.findByTestId("view-error");
    expect(error.textContent).toContain("Not allowed");
    expect(error.textContent).not.toContain("Cannot reach");
    expect(error.textContent).toContain("cannot list resource");
    const badge = screen.getByTestId("view-status");
    expect(badge.getAttribute("data-state")).toBe("notAllowed");
    expect(badge.textContent).not.toContain("listing");
    const create = screen.getByTestId("secret-create-open");
    expect(create).toHaveProperty("disabled", true);
    expect(create.getAttribute("title")).toContain("no Role grants create on secrets");
    await waitFor(() => {
      expect(backend.calls("access_refresh")).toEqual([{ context: "ctx" }]);
    });
  });

  it("a watch refused after it started ends as not allowed", () => {
    const channels: Channel[] = [];
    install(invokeMock, {
      open_view: (a) => {
        channels.push(a.channel as Channel);
        return 1;
      },
      close_view: () => null,
    });
    render(withAccess(null, <BrowserHarness kind={secretKind} defaultNamespaces={["web"]} namespaceNames={["web"]} />));
    const channel = channels[0];
    if (channel === undefined) throw new Error("no view opened");
    act(() => {
      channel.onmessage({
        type: "status",
        status: { state: "notAllowed", denial: { verb: "watch", group: "", resource: "secrets", namespace: "web", reason: "revoked" } },
      });
    });
    expect(screen.getByTestId("view-status").getAttribute("data-state")).toBe("notAllowed");
    expect(screen.getByTestId("view-error").textContent).toContain('you may not watch secrets in namespace "web"');
    // Without an answer that denies it, New secret stays enabled (the server decides).
    expect(screen.getByTestId("secret-create-open")).toHaveProperty("disabled", false);
  });

  it("disables denied actions with the reason, and asks the server for cells outside the matrix", async () => {
    const backend = install(invokeMock, {
      access_check: (a) =>
        (a.queries as { subresource: string | null }[]).map((q) => (q.subresource === "scale" ? denied("scale refused by the review") : allowed)),
    });
    const pod: ObjectRef = { group: "", version: "v1", kind: "Pod", plural: "pods", namespace: "web", name: "api" };
    const { unmount } = render(withAccess(matrix(), <ActionsBar context="ctx" reference={pod} verbs={["delete", "get"]} />));
    const del = screen.getByTestId("action-delete");
    expect(del).toHaveProperty("disabled", true);
    expect(del.getAttribute("title")).toContain("no Role grants delete on pods");
    expect(del.getAttribute("data-denied")).toBe("true");
    expect(backend.calls("access_check")).toEqual([]);
    unmount();

    // deployments/scale is not a matrix column: one access review decides.
    const deploy: ObjectRef = { group: "apps", version: "v1", kind: "Deployment", plural: "deployments", namespace: "web", name: "api" };
    render(withAccess(matrix(), <ActionsBar context="ctx" reference={deploy} verbs={["delete"]} />));
    await waitFor(() => {
      expect(screen.getByTestId("action-scale")).toHaveProperty("disabled", true);
    });
    expect(screen.getByTestId("action-scale").getAttribute("title")).toContain("scale refused by the review");
    expect(backend.calls("access_check")[0]?.queries).toContainEqual({
      group: "apps",
      resource: "deployments",
      subresource: "scale",
      verb: "patch",
      namespace: "web",
    });
    // Neither a denial nor a cell: the delete of a kind the matrix lacks stays enabled until the review answers allowed.
    expect(screen.getByTestId("action-delete")).toHaveProperty("disabled", false);
  });

  it("dims kinds the user may not list, with why, and keeps them reachable", () => {
    const picked: string[] = [];
    render(
      <ResourceNav
        groups={[{ id: "config", label: "Config", kinds: [{ id: "ConfigMap", label: "ConfigMaps" }, { id: "Secret", label: "Secrets" }] }]}
        selectedKind="ConfigMap"
        onSelectKind={(id) => picked.push(id)}
        stop={null}
        onFocusItem={() => undefined}
        refFor={() => () => undefined}
        denied={new Map([["Secret", 'You may not list secrets in namespace "web": no Role grants it']])}
      />,
    );
    const secrets = screen.getAllByTestId("nav-item").find((e) => e.getAttribute("data-kind") === "Secret");
    const maps = screen.getAllByTestId("nav-item").find((e) => e.getAttribute("data-kind") === "ConfigMap");
    if (secrets === undefined || maps === undefined) throw new Error("missing nav items");
    expect(secrets.getAttribute("data-denied")).toBe("true");
    expect(secrets.getAttribute("title")).toContain("You may not list secrets");
    expect(secrets.className).toContain("side-item--denied");
    expect(maps.getAttribute("data-denied")).toBe("false");
    fireEvent.click(secrets);
    expect(picked).toEqual(["Secret"]);
  });

  it("shows the matrix and why a denied cell is denied, in the server's words", async () => {
    install(invokeMock, { access_check: () => [denied("RBAC: no binding grants it")] });
    render(withAccess(matrix(), <AccessView />));
    const cells = screen.getAllByTestId("access-cell");
    const listSecrets = cells.find(
      (c) => c.getAttribute("data-verb") === "list" && c.closest("tr")?.getAttribute("data-resource") === "secrets",
    );
    if (listSecrets === undefined) throw new Error("no list secrets cell");
    expect(listSecrets.getAttribute("data-state")).toBe("denied");
    fireEvent.click(listSecrets);
    expect((await screen.findByTestId("access-why-rules")).textContent).toContain("no Role grants list on secrets");
    expect((await screen.findByTestId("access-why-review")).textContent).toContain("RBAC: no binding grants it");
  });

  it("says so when the server has no review API", () => {
    install(invokeMock, {});
    render(withAccess(matrix({ supported: false, kinds: [] }), <AccessView />));
    expect(screen.getByTestId("access-unsupported").textContent).toContain("does not answer SelfSubjectRulesReview");
  });
});
