import { invoke } from "@tauri-apps/api/core";
import { act, fireEvent, render, screen, waitFor, within } from "@testing-library/react";
import { beforeEach, describe, expect, it, vi } from "vitest";

import { App } from "./App";
import type { KubeconfigOverview } from "./bindings/KubeconfigOverview";

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

const overview: KubeconfigOverview = {
  files: ["/home/u/.kube/config"],
  searched: ["/home/u/.kube/config"],
  currentContext: "beta",
  credentialStore: null,
  contexts: [
    {
      name: "alpha",
      cluster: "alpha-cluster",
      user: "alpha-user",
      namespace: null,
      server: "https://a:6443",
      source: "/home/u/.kube/config",
      isCurrent: false,
      managed: false,
      problem: null,
    },
    {
      name: "beta",
      cluster: "beta-cluster",
      user: "beta-user",
      namespace: "team-b",
      server: "https://b:6443",
      source: "/home/u/.kube/config",
      isCurrent: true,
      managed: false,
      problem: null,
    },
  ],
};

type Answer = { ok: unknown } | { err: unknown };

/** Answers list_contexts with the given results in turn (the last one repeats). */
function backend(...answers: Answer[]) {
  let calls = 0;
  invokeMock.mockImplementation((command: string) => {
    if (command === "app_info") return Promise.resolve({ version: "9.9.9", logDir: null });
    if (command === "watch_kubeconfig") return Promise.resolve(null);
    if (command === "get_namespace") return Promise.resolve(null);
    if (command === "list_namespaces") return Promise.resolve(["default"]);
    if (command === "list_contexts") {
      const answer = answers[Math.min(calls++, answers.length - 1)];
      if (answer === undefined) throw new Error("no answer");
      if ("ok" in answer) return Promise.resolve(answer.ok);
      // eslint-disable-next-line @typescript-eslint/prefer-promise-reject-errors -- the backend rejects with plain IpcError objects
      return Promise.reject(answer.err);
    }
    return Promise.reject(new Error(`unexpected command ${command}`));
  });
  return () => calls;
}

async function renderApp() {
  const view = render(<App />);
  await screen.findByTestId("app-ready");
  return view;
}

beforeEach(() => {
  invokeMock.mockReset();
});

describe("App", () => {
  it("lists the contexts and selects the current one", async () => {
    backend({ ok: overview });
    await renderApp();

    const list = screen.getByTestId("context-list");
    const items = within(list).getAllByTestId("context-item");
    expect(items.map((i) => i.getAttribute("data-context-name"))).toEqual(["alpha", "beta"]);
    expect(items.map((i) => i.getAttribute("data-current"))).toEqual(["false", "true"]);
    expect(items[1]?.getAttribute("aria-selected")).toBe("true");
    expect(items[0]?.getAttribute("aria-selected")).toBe("false");
    expect(items[0]?.textContent).toContain("alpha-cluster · alpha-user · default");

    expect(screen.getByTestId("status-context").textContent).toBe("beta");
    expect(screen.getByTestId("status-namespace").textContent).toBe("team-b");
    // check_connection is not answered by this backend: the check fails as an error.
    await waitFor(() => {
      expect(screen.getByTestId("status-connection").textContent).toBe("error");
    });
    expect(await screen.findByText("Capstan 9.9.9")).toBeTruthy();
    // No discovery answers here, so the main area holds the selected kind's placeholder, not a table.
    expect(screen.getByRole("heading", { level: 1 }).textContent).toBe("Pods");
    const placeholder = screen.getByTestId("resource-placeholder");
    expect(placeholder.getAttribute("data-kind")).toBe("pods");
    expect(placeholder.textContent).toContain("Pods");
    expect(screen.queryByTestId("resource-table")).toBeNull();
  });

  it("selects a context on click and updates the status bar", async () => {
    backend({ ok: overview });
    await renderApp();
    const alpha = screen.getAllByTestId("context-item")[0];
    if (alpha === undefined) throw new Error("no item");
    fireEvent.click(alpha);
    expect(alpha.getAttribute("aria-selected")).toBe("true");
    expect(screen.getByTestId("status-context").textContent).toBe("alpha");
    expect(screen.getByTestId("status-namespace").textContent).toBe("default");
  });

  it("moves with the arrow keys and selects with Enter", async () => {
    backend({ ok: overview });
    await renderApp();
    const [alpha, beta] = screen.getAllByTestId("context-item");
    if (alpha === undefined || beta === undefined) throw new Error("no items");

    // One tab stop: the selected context.
    expect(beta.tabIndex).toBe(0);
    expect(alpha.tabIndex).toBe(-1);

    act(() => {
      beta.focus();
    });
    fireEvent.keyDown(beta, { key: "ArrowUp" });
    expect(document.activeElement).toBe(alpha);
    fireEvent.keyDown(alpha, { key: "Enter" });
    expect(screen.getByTestId("status-context").textContent).toBe("alpha");

    // Down past the last context into the resource kinds.
    fireEvent.keyDown(alpha, { key: "ArrowDown" });
    fireEvent.keyDown(beta, { key: "ArrowDown" });
    const focused = document.activeElement as HTMLElement;
    expect(focused.getAttribute("data-kind")).toBe("pods");
    fireEvent.keyDown(focused, { key: "ArrowDown" });
    const deployments = document.activeElement as HTMLElement;
    expect(deployments.getAttribute("data-kind")).toBe("deployments");
    fireEvent.keyDown(deployments, { key: "Enter" });
    expect(screen.getByRole("heading", { level: 1 }).textContent).toBe("Deployments");
    expect(screen.getByTestId("resource-placeholder").getAttribute("data-kind")).toBe("deployments");
    expect(deployments.getAttribute("aria-selected")).toBe("true");
  });

  it("shows where it looked when there is no kubeconfig", async () => {
    backend({
      ok: { files: [], searched: ["/home/u/.kube/config"], currentContext: null, contexts: [], credentialStore: null },
    });
    await renderApp();
    const empty = screen.getAllByTestId("kubeconfig-empty")[0];
    expect(empty?.textContent).toContain("/home/u/.kube/config");
    expect(empty?.textContent).toContain("KUBECONFIG");
    expect(screen.queryByTestId("context-list")).toBeNull();
    expect(screen.getByTestId("status-connection").textContent).toBe("no kubeconfig");
  });

  it("shows a malformed kubeconfig in the sidebar and the main area, and retries", async () => {
    const err = {
      kind: "kubeconfig",
      message: "The kubeconfig /home/u/.kube/config is not valid YAML",
      detail: "mapping values are not allowed at line 3 column 8",
    };
    const calls = backend({ err }, { ok: overview });
    await renderApp();

    const panels = screen.getAllByTestId("kubeconfig-error");
    expect(panels).toHaveLength(2);
    for (const panel of panels) {
      expect(panel.textContent).toContain(err.message);
      expect(panel.textContent).toContain(err.detail);
    }
    expect(screen.getByTestId("status-connection").textContent).toBe("kubeconfig error");
    expect(screen.getByTestId("status-context").textContent).toBe("no context");

    const mainPanel = panels[1];
    if (mainPanel === undefined) throw new Error("no main panel");
    const retry = within(mainPanel).getByRole("button", { name: "Retry" });
    fireEvent.click(retry);
    await screen.findByTestId("context-list");
    expect(calls()).toBe(2);
    expect(screen.queryByTestId("kubeconfig-error")).toBeNull();
    // Still ready after a retry.
    expect(screen.getByTestId("app-ready")).toBeTruthy();
  });

  it("renders cluster data as text, never as HTML", async () => {
    const hostile = "<img src=x onerror=alert(1)>";
    backend({
      ok: {
        ...overview,
        contexts: [{ ...overview.contexts[0], name: hostile, isCurrent: true }],
        currentContext: hostile,
      },
    });
    await renderApp();
    const item = screen.getByTestId("context-item");
    expect(item.getAttribute("data-context-name")).toBe(hostile);
    expect(item.querySelector("img")).toBeNull();
    expect(item.textContent).toContain(hostile);
  });

  it("toggles the dock with its button", async () => {
    backend({ ok: overview });
    await renderApp();
    expect(screen.getByText("No log or port-forward panels open")).toBeTruthy();
    fireEvent.click(screen.getByRole("button", { name: "Hide dock" }));
    expect(screen.queryByText("No log or port-forward panels open")).toBeNull();
    fireEvent.keyDown(window, { key: "j", ctrlKey: true });
    expect(screen.getByText("No log or port-forward panels open")).toBeTruthy();
  });
});
