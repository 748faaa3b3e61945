import { Channel, invoke } from "@tauri-apps/api/core";
import { act, fireEvent, render, screen, waitFor, within } from "@testing-library/react";
import { beforeEach, describe, expect, it, vi } from "vitest";

import { App } from "./App";
import type { KubeconfigChanged } from "./bindings/KubeconfigChanged";
import { ctx, fail, install, overviewOf } from "./test/backend";
import { editorText, findEditor, setEditorText } from "./test/editor";

vi.mock("@tauri-apps/api/core", () => ({
  invoke: vi.fn(),
  isTauri: vi.fn(() => true),
  Channel: class<T> {
    onmessage: (message: T) => void;
    constructor(onmessage?: (message: T) => void) {
      this.onmessage = onmessage ?? (() => undefined);
    }
  },
}));

const invokeMock = vi.mocked(invoke);

beforeEach(() => {
  invokeMock.mockReset();
});

function item(name: string): HTMLElement {
  const el = screen
    .getAllByTestId("context-item")
    .find((i) => i.getAttribute("data-context-name") === name);
  if (el === undefined) throw new Error(`no context item ${name}`);
  return el;
}

function stateOf(name: string): string | null {
  return within(item(name)).getByTestId("context-state").getAttribute("data-state");
}

async function renderApp() {
  render(<App />);
  await screen.findByTestId("app-ready");
}

/** A promise the test settles by hand. */
function deferred<T>() {
  let resolve: (value: T) => void = () => undefined;
  const promise = new Promise<T>((r) => {
    resolve = r;
  });
  return { promise, resolve };
}

describe("connection states", () => {
  it("checks every context in parallel and shows each answer on its own", async () => {
    const slow = deferred<unknown>();
    const backend = install(invokeMock, {
      list_contexts: () => overviewOf([ctx("good", { isCurrent: true }), ctx("slow"), ctx("bad")]),
      check_connection: (a) => {
        if (a.context === "slow") return slow.promise;
        if (a.context === "bad") {
          return { context: "bad", state: "authFailed", message: "Unauthorized (401)", serverVersion: null };
        }
        return { context: a.context, state: "reachable", message: null, serverVersion: "v1.20.2" };
      },
    });
    await renderApp();
    await waitFor(() => {
      expect(stateOf("good")).toBe("reachable");
    });
    expect(stateOf("bad")).toBe("authFailed");
    expect(stateOf("slow")).toBe("checking");
    expect(backend.calls("check_connection").map((a) => a.context)).toEqual(["good", "slow", "bad"]);
    expect(within(item("good")).getByTestId("context-state").getAttribute("title")).toContain("v1.20.2");
    expect(screen.getByTestId("status-connection").textContent).toBe("reachable · v1.20.2");

    // Selecting the failed context shows the server's message in the main area.
    fireEvent.click(item("bad"));
    expect(screen.getByTestId("status-connection").textContent).toBe("auth failed");
    expect(screen.getByTestId("connection-notice").textContent).toContain("Unauthorized (401)");

    await act(async () => {
      slow.resolve({ context: "slow", state: "timeout", message: "no answer in 5 s", serverVersion: null });
      await slow.promise;
    });
    expect(stateOf("slow")).toBe("timeout");
  });

  it("shows a context's problem as a warning", async () => {
    install(invokeMock, {
      list_contexts: () =>
        overviewOf([ctx("broken", { isCurrent: true, problem: 'cluster "x" is not defined' })]),
    });
    await renderApp();
    expect(item("broken").textContent).toContain('cluster "x" is not defined');
    expect(screen.getByTestId("context-problem").textContent).toContain('cluster "x" is not defined');
  });

  it("says when credentials are kept in a file", async () => {
    install(invokeMock, {
      list_contexts: () => overviewOf([ctx("a")], { credentialStore: "file" }),
    });
    await renderApp();
    expect(screen.getByTestId("credential-store-notice").textContent).toBe(
      "No keyring service available: credentials of added clusters are stored in a private file (0600)",
    );
  });
});

describe("namespace switcher", () => {
  it("opens the remembered namespace, lists the cluster's, and remembers a choice", async () => {
    const backend = install(invokeMock, {
      list_contexts: () => overviewOf([ctx("a", { isCurrent: true, namespace: "team-a" })]),
      get_namespace: () => ({ kind: "named", name: "kube-system" }),
      list_namespaces: () => ["default", "kube-system", "web"],
    });
    await renderApp();
    const select = screen.getByTestId<HTMLSelectElement>("namespace-select");
    await waitFor(() => {
      expect(select.value).toBe("kube-system");
    });
    expect(screen.getByTestId("status-namespace").textContent).toBe("kube-system");
    await waitFor(() => {
      expect(Array.from(select.options).map((o) => o.value)).toEqual([
        "__all__",
        "default",
        "kube-system",
        "web",
        "__type__",
      ]);
    });

    fireEvent.change(select, { target: { value: "__all__" } });
    expect(screen.getByTestId("status-namespace").textContent).toBe("all namespaces");
    fireEvent.change(select, { target: { value: "web" } });
    expect(screen.getByTestId("status-namespace").textContent).toBe("web");
    expect(backend.calls("set_namespace")).toEqual([
      { context: "a", selection: { kind: "all" } },
      { context: "a", selection: { kind: "named", name: "web" } },
    ]);
  });

  it("falls back to the context's namespace, then default", async () => {
    install(invokeMock, {
      list_contexts: () =>
        overviewOf([ctx("a", { isCurrent: true, namespace: "team-a" }), ctx("b", { namespace: null })]),
    });
    await renderApp();
    expect(screen.getByTestId("status-namespace").textContent).toBe("team-a");
    fireEvent.click(item("b"));
    expect(screen.getByTestId("status-namespace").textContent).toBe("default");
  });

  it("shows a listing error inline and still takes a typed name", async () => {
    const backend = install(invokeMock, {
      list_contexts: () => overviewOf([ctx("a", { isCurrent: true })]),
      list_namespaces: () => {
        fail({ kind: "connection", message: "Cannot reach the cluster", detail: "timeout" });
      },
    });
    await renderApp();
    const error = await screen.findByTestId("namespace-error");
    expect(error.textContent).toContain("Cannot reach the cluster");
    const input = screen.getByTestId<HTMLInputElement>("namespace-input");
    fireEvent.change(input, { target: { value: "Bad_Name" } });
    fireEvent.keyDown(input, { key: "Enter" });
    expect(screen.getByTestId("status-namespace").textContent).toBe("default");
    fireEvent.change(input, { target: { value: "payments" } });
    fireEvent.keyDown(input, { key: "Enter" });
    expect(screen.getByTestId("status-namespace").textContent).toBe("payments");
    expect(screen.getByTestId<HTMLSelectElement>("namespace-select").value).toBe("payments");
    expect(backend.calls("set_namespace")).toEqual([
      { context: "a", selection: { kind: "named", name: "payments" } },
    ]);
  });
});

describe("add cluster", () => {
  const yaml = "apiVersion: v1\nkind: Config\nclusters: []\n";

  it("keeps the text and shows the error when validation fails", async () => {
    const backend = install(invokeMock, {
      list_contexts: () => overviewOf([ctx("a", { isCurrent: true })]),
      add_cluster: () => {
        fail({ kind: "tls", message: "The server's certificate is not trusted", detail: "UnknownIssuer" });
      },
    });
    await renderApp();
    fireEvent.click(screen.getByTestId("add-cluster"));
    const dialog = screen.getByTestId("add-cluster-dialog");
    expect(dialog.getAttribute("role")).toBe("dialog");
    expect(dialog.getAttribute("aria-modal")).toBe("true");
    const input = await findEditor("add-cluster-input");
    await waitFor(() => {
      expect(document.activeElement).toBe(input);
    });
    const submit = screen.getByTestId<HTMLButtonElement>("add-cluster-submit");
    expect(submit.disabled).toBe(true);
    setEditorText(input, yaml);
    fireEvent.click(submit);
    expect(screen.getByText("Checking the server…")).toBeTruthy();
    const error = await screen.findByTestId("add-cluster-error");
    expect(error.textContent).toContain("The server's certificate is not trusted");
    expect(error.textContent).toContain("UnknownIssuer");
    expect(editorText(input)).toBe(yaml);
    expect(backend.calls("add_cluster")).toEqual([{ kubeconfig: yaml }]);
    expect(screen.queryByText("Checking the server…")).toBeNull();
  });

  it("on success closes, reloads and selects the first added context", async () => {
    let added = false;
    const backend = install(invokeMock, {
      list_contexts: () =>
        overviewOf(
          added
            ? [ctx("a", { isCurrent: true }), ctx("new-one", { managed: true }), ctx("new-two", { managed: true })]
            : [ctx("a", { isCurrent: true })],
          { credentialStore: added ? "file" : null },
        ),
      add_cluster: () => {
        added = true;
        return { contexts: ["new-one", "new-two"], file: "/cfg/kubeconfig.yaml", credentialStore: "file" };
      },
    });
    await renderApp();
    expect(screen.queryByTestId("credential-store-notice")).toBeNull();
    fireEvent.click(screen.getByTestId("add-cluster"));
    setEditorText(await findEditor("add-cluster-input"), yaml);
    fireEvent.click(screen.getByTestId("add-cluster-submit"));
    await waitFor(() => {
      expect(screen.queryByTestId("add-cluster-dialog")).toBeNull();
    });
    await waitFor(() => {
      expect(item("new-one").getAttribute("aria-selected")).toBe("true");
    });
    expect(screen.getByTestId("status-context").textContent).toBe("new-one");
    expect(backend.calls("list_contexts")).toHaveLength(2);
    expect(screen.getByTestId("credential-store-notice")).toBeTruthy();
  });

  it("closes with Escape", async () => {
    install(invokeMock, { list_contexts: () => overviewOf([ctx("a", { isCurrent: true })]) });
    await renderApp();
    const button = screen.getByTestId("add-cluster");
    button.focus();
    fireEvent.click(button);
    fireEvent.keyDown(await findEditor("add-cluster-input"), { key: "Escape" });
    expect(screen.queryByTestId("add-cluster-dialog")).toBeNull();
    // Radix returns the focus once the dialog's focus scope has gone (a task later).
    await waitFor(() => {
      expect(document.activeElement).toBe(button);
    });
  });
});

describe("context menu", () => {
  it("offers rename and remove only for managed contexts", async () => {
    install(invokeMock, {
      list_contexts: () => overviewOf([ctx("mine", { isCurrent: true }), ctx("added", { managed: true })]),
    });
    await renderApp();
    fireEvent.click(within(item("mine")).getByTestId("context-menu"));
    const menu = screen.getByRole("menu");
    expect(within(menu).getAllByRole("menuitem").map((m) => m.getAttribute("data-testid"))).toEqual([
      "menu-make-current",
      "menu-pin",
    ]);
    expect(document.activeElement).toBe(screen.getByTestId("menu-make-current"));
    fireEvent.keyDown(menu, { key: "Escape" });
    expect(screen.queryByRole("menu")).toBeNull();

    fireEvent.click(within(item("added")).getByTestId("context-menu"));
    expect(
      within(screen.getByRole("menu"))
        .getAllByRole("menuitem")
        .map((m) => m.getAttribute("data-testid")),
    ).toEqual(["menu-make-current", "menu-rename", "menu-remove", "menu-pin"]);
    // Opening the menu does not select the context.
    expect(item("added").getAttribute("aria-selected")).toBe("false");
  });

  it("moves through the menu with the arrow keys", async () => {
    install(invokeMock, {
      list_contexts: () => overviewOf([ctx("added", { isCurrent: true, managed: true })]),
    });
    await renderApp();
    fireEvent.click(within(item("added")).getByTestId("context-menu"));
    screen.getByRole("menu");
    // Keys go to the focused entry, as a keyboard sends them.
    const press = (key: string) => {
      fireEvent.keyDown(document.activeElement ?? document.body, { key });
    };
    // Radix moves the focus a task after the key.
    const focusIs = (testId: string) =>
      waitFor(() => {
        expect(document.activeElement).toBe(screen.getByTestId(testId));
      });
    expect(document.activeElement).toBe(screen.getByTestId("menu-make-current"));
    press("ArrowDown");
    await focusIs("menu-rename");
    press("ArrowUp");
    await focusIs("menu-make-current");
    press("ArrowUp");
    await focusIs("menu-pin");
  });

  it("confirms make-current naming the file and the formatting risk, then shows the backup", async () => {
    let current = "a";
    const backend = install(invokeMock, {
      list_contexts: () =>
        overviewOf([ctx("a", { isCurrent: current === "a" }), ctx("b", { isCurrent: current === "b" })]),
      make_current_preview: () => ({
        file: "/home/u/.kube/config",
        hasComments: true,
        formattingMayChange: true,
      }),
      make_current: (a) => {
        current = a.context as string;
        return { file: "/home/u/.kube/config", backup: "/home/u/.kube/config.bak-20250101" };
      },
    });
    await renderApp();
    fireEvent.click(within(item("b")).getByTestId("context-menu"));
    fireEvent.click(screen.getByTestId("menu-make-current"));
    const dialog = screen.getByTestId("confirm-dialog");
    expect(dialog.getAttribute("role")).toBe("dialog");
    await within(dialog).findByText("/home/u/.kube/config");
    expect(within(dialog).getByTestId("confirm-warning").textContent).toContain("Comments");
    expect(within(dialog).getByTestId("confirm-warning").textContent).toContain("backup");
    // Nothing is written before the confirmation.
    expect(backend.calls("make_current")).toEqual([]);

    fireEvent.click(within(dialog).getByTestId("confirm-ok"));
    const result = await screen.findByTestId("make-current-result");
    expect(result.textContent).toContain("/home/u/.kube/config.bak-20250101");
    expect(screen.queryByTestId("confirm-dialog")).toBeNull();
    expect(backend.calls("make_current")).toEqual([{ context: "b" }]);
    await waitFor(() => {
      expect(item("b").getAttribute("data-current")).toBe("true");
    });
  });

  it("writes nothing when make-current is cancelled", async () => {
    const backend = install(invokeMock, {
      list_contexts: () => overviewOf([ctx("a", { isCurrent: true }), ctx("b")]),
      make_current_preview: () => ({ file: "/k", hasComments: false, formattingMayChange: false }),
    });
    await renderApp();
    fireEvent.click(within(item("b")).getByTestId("context-menu"));
    fireEvent.click(screen.getByTestId("menu-make-current"));
    await screen.findByText("/k");
    expect(screen.queryByTestId("confirm-warning")).toBeNull();
    fireEvent.click(screen.getByTestId("confirm-cancel"));
    expect(screen.queryByTestId("confirm-dialog")).toBeNull();
    expect(backend.calls("make_current")).toEqual([]);
  });

  it("removes a managed context after a confirmation naming it", async () => {
    let removed = false;
    const backend = install(invokeMock, {
      list_contexts: () =>
        overviewOf(removed ? [ctx("a", { isCurrent: true })] : [ctx("a", { isCurrent: true }), ctx("lab", { managed: true })]),
      remove_context: () => {
        removed = true;
        return null;
      },
    });
    await renderApp();
    fireEvent.click(within(item("lab")).getByTestId("context-menu"));
    fireEvent.click(screen.getByTestId("menu-remove"));
    const dialog = screen.getByTestId("confirm-dialog");
    expect(dialog.textContent).toContain("lab");
    expect(dialog.textContent).toContain("credentials");
    // A destructive action starts on Cancel.
    expect(document.activeElement).toBe(within(dialog).getByTestId("confirm-cancel"));
    fireEvent.click(within(dialog).getByTestId("confirm-ok"));
    await waitFor(() => {
      expect(screen.getAllByTestId("context-item")).toHaveLength(1);
    });
    expect(backend.calls("remove_context")).toEqual([{ context: "lab" }]);
  });

  it("renames a managed context and keeps it selected", async () => {
    let name = "lab";
    const backend = install(invokeMock, {
      list_contexts: () => overviewOf([ctx("a"), ctx(name, { managed: true, isCurrent: true })]),
      rename_context: (a) => {
        name = a.to as string;
        return null;
      },
    });
    await renderApp();
    expect(item("lab").getAttribute("aria-selected")).toBe("true");
    fireEvent.click(within(item("lab")).getByTestId("context-menu"));
    fireEvent.click(screen.getByTestId("menu-rename"));
    const input = screen.getByTestId<HTMLInputElement>("rename-input");
    fireEvent.change(input, { target: { value: "a" } });
    expect(screen.getByTestId<HTMLButtonElement>("rename-submit").disabled).toBe(true);
    fireEvent.change(input, { target: { value: "lab-2" } });
    fireEvent.click(screen.getByTestId("rename-submit"));
    await waitFor(() => {
      expect(item("lab-2").getAttribute("aria-selected")).toBe("true");
    });
    expect(backend.calls("rename_context")).toEqual([{ from: "lab", to: "lab-2" }]);
  });
});

describe("kubeconfig watch", () => {
  it("reloads the list when the backend reports a change", async () => {
    let contexts = [ctx("a", { isCurrent: true })];
    const backend = install(invokeMock, { list_contexts: () => overviewOf(contexts) });
    await renderApp();
    await waitFor(() => {
      expect(backend.calls("watch_kubeconfig").length).toBeGreaterThan(0);
    });
    const watches = backend.calls("watch_kubeconfig");
    const channel = watches[watches.length - 1]?.onChange as Channel<KubeconfigChanged>;
    expect(channel).toBeInstanceOf(Channel);

    contexts = [ctx("a", { isCurrent: true }), ctx("edited-outside")];
    act(() => {
      channel.onmessage({ paths: ["/home/u/.kube/config"] });
    });
    await waitFor(() => {
      expect(screen.getAllByTestId("context-item")).toHaveLength(2);
    });
    // The selection stays, and the new list is checked again.
    expect(item("a").getAttribute("aria-selected")).toBe("true");
    await waitFor(() => {
      expect(stateOf("edited-outside")).toBe("reachable");
    });
  });
});
