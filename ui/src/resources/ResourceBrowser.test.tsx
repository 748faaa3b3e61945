import { invoke } from "@tauri-apps/api/core";
import { act, fireEvent, render, screen, waitFor, within } from "@testing-library/react";
import { StrictMode } from "react";
import { beforeEach, describe, expect, it, vi } from "vitest";

import type { KindInfo } from "../bindings/KindInfo";
import type { MetricsEvent } from "../bindings/MetricsEvent";
import type { ObjectDetails } from "../bindings/ObjectDetails";
import type { ObjectRef } from "../bindings/ObjectRef";
import type { Row } from "../bindings/Row";
import type { ViewEvent } from "../bindings/ViewEvent";
import type { Handler } from "../test/backend";
import { fail, install } from "../test/backend";
import { BrowserHarness } from "../test/browser";
import { LogOpenerContext } from "../logs/opener";
import { ShellOpenerContext } from "../shell/opener";
import { editorText, findEditor, setEditorText } from "../test/editor";

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

const podKind: KindInfo = { group: "", version: "v1", kind: "Pod", plural: "pods", singular: "", shortNames: [], namespaced: true, verbs: ["list", "delete"] };
const deployKind: KindInfo = { group: "apps", version: "v1", kind: "Deployment", plural: "deployments", singular: "", shortNames: [], namespaced: true, verbs: ["list", "delete"] };
const nodeKind: KindInfo = { group: "", version: "v1", kind: "Node", plural: "nodes", singular: "", shortNames: [], namespaced: false, verbs: ["list", "delete"] };

const NOW = Date.now();

function pod(name: string, restarts: number, ageS: number, namespace = "default"): Row {
  return {
    uid: `uid-${namespace}-${name}`,
    name,
    namespace,
    created: NOW - ageS * 1000,
    cells: [
      { type: "text", text: name },
      { type: "text", text: restarts > 0 ? "CrashLoopBackOff" : "Running" },
      { type: "restarts", count: restarts, lastMs: restarts > 0 ? NOW - 15 * 60_000 : null },
      { type: "age", sinceMs: NOW - ageS * 1000 },
      { type: "text", text: "10.0.0.1" },
    ],
  };
}

const COLUMNS: ViewEvent = {
  type: "columns",
  columns: [
    { name: "NAME", priority: 0 },
    { name: "STATUS", priority: 0 },
    { name: "RESTARTS", priority: 0 },
    { name: "AGE", priority: 0 },
    { name: "IP", priority: 1 },
  ],
};

function detailsOf(reference: ObjectRef): ObjectDetails {
  return {
    reference,
    uid: "u1",
    resourceVersion: "7",
    createdMs: NOW - 60_000,
    status: "Running",
    labels: { app: "web" },
    annotations: {},
    conditions: [{ type: "Ready", status: "True", reason: null, message: null, lastTransitionMs: null }],
    owners: [
      {
        reference: { group: "apps", version: "v1", kind: "ReplicaSet", plural: "replicasets", namespace: "default", name: "web-rs" },
        state: "1/1",
      },
    ],
    owned: [],
    containers: [
      {
        name: "main",
        image: "capstan.local/busybox:1",
        role: "app",
        ports: [{ name: "http", containerPort: 80, protocol: "TCP" }],
        state: "Running",
        ready: true,
        restarts: 0,
        requests: { cpu: "10m" },
        limits: {},
      },
    ],
    node: "node-1",
  };
}

type Channel = { onmessage: (e: ViewEvent) => void };

function setup(handlers: Record<string, Handler> = {}) {
  const channels: Channel[] = [];
  let nextId = 1;
  const backend = install(invokeMock, {
    open_view: (a) => {
      channels.push(a.channel as Channel);
      return nextId++;
    },
    close_view: () => null,
    object_details: (a) => detailsOf(a.reference as ObjectRef),
    object_events: () => [],
    object_yaml: () => ({ yaml: "kind: Pod\nmetadata:\n  name: api\n", managedFields: "- manager: kubectl\n", resourceVersion: "7" }),
    ...handlers,
  });
  const send = (...events: ViewEvent[]) => {
    const channel = channels[channels.length - 1];
    if (channel === undefined) throw new Error("no view open");
    act(() => {
      for (const e of events) channel.onmessage(e);
    });
  };
  return { backend, channels, send };
}

function renderBrowser(kind: KindInfo = podKind, defaultNamespaces: string[] = ["default"]) {
  return render(<BrowserHarness kind={kind} defaultNamespaces={defaultNamespaces} />);
}

function firstRow(): HTMLElement {
  const row = screen.getAllByTestId("resource-row")[0];
  if (row === undefined) throw new Error("no row");
  return row;
}

const rowNames = () => screen.queryAllByTestId("resource-row").map((r) => r.getAttribute("data-name"));

beforeEach(() => {
  // Spies are restored after each test (restoreMocks). jsdom lays nothing out: give the table's scroller a screenful so the
  // virtualizer renders rows.
  vi.spyOn(HTMLElement.prototype, "clientHeight", "get").mockReturnValue(800);
  vi.spyOn(HTMLElement.prototype, "clientWidth", "get").mockReturnValue(1200);
});

beforeEach(() => {
  invokeMock.mockReset();
});

describe("ResourceBrowser table", () => {
  it("opens a view and shows what the channel sends", async () => {
    const { backend, send } = setup();
    renderBrowser();
    await waitFor(() => {
      expect(backend.calls("open_view")).toHaveLength(1);
    });
    expect(backend.calls("open_view")[0]).toMatchObject({
      context: "ctx",
      kind: podKind,
      namespaces: ["default"],
      labelSelector: null,
    });
    expect(screen.getByTestId("view-status").getAttribute("data-state")).toBe("listing");

    send(COLUMNS, { type: "snapshot", rows: [pod("api", 4, 1500), pod("db", 0, 150)] }, { type: "status", status: { state: "live" } });
    expect(rowNames()).toEqual(["api", "db"]);
    const api = screen.getAllByTestId("resource-row")[0];
    if (api === undefined) throw new Error("no row");
    expect(api.getAttribute("data-namespace")).toBe("default");
    expect(api.getAttribute("data-uid")).toBe("uid-default-api");
    const cells = within(api).getAllByTestId("resource-cell").map((c) => c.textContent);
    // IP is a wide column: hidden; no NAMESPACE column for one namespace.
    // (Times chosen so a slow run's extra seconds do not change the text.)
    expect(cells).toEqual(["api", "CrashLoopBackOff", "4 (15m ago)", "25m"]);
    expect(screen.getByTestId("view-status").getAttribute("data-state")).toBe("live");
    expect(screen.getByTestId("row-count").getAttribute("data-total")).toBe("2");

    send({ type: "deltas", upserts: [pod("cache", 0, 10)], deletes: ["uid-default-db"] });
    expect(rowNames()).toEqual(["api", "cache"]);

    send({ type: "status", status: { state: "reconnecting", reason: "connection reset" } });
    const status = screen.getByTestId("view-status");
    expect(status.getAttribute("data-state")).toBe("reconnecting");
    expect(status.textContent).toContain("connection reset");

    send({ type: "snapshot", rows: [pod("zed", 0, 5)] });
    expect(rowNames()).toEqual(["zed"]);
  });

  it("shows wide columns on request and a NAMESPACE column across namespaces", async () => {
    const { backend, send } = setup();
    renderBrowser(podKind, []);
    await waitFor(() => {
      expect(backend.calls("open_view")).toHaveLength(1);
    });
    expect(backend.calls("open_view")[0]?.namespaces).toEqual([]);
    send(COLUMNS, { type: "snapshot", rows: [pod("api", 0, 45, "kube-system")] });
    const headers = () => screen.getAllByTestId("column-header").map((h) => h.getAttribute("data-column"));
    expect(headers()).toEqual(["NAMESPACE", "NAME", "STATUS", "RESTARTS", "AGE"]);
    fireEvent.click(screen.getByTestId("wide-toggle"));
    expect(headers()).toContain("IP");
    expect(within(firstRow()).getAllByTestId("resource-cell")[0]?.textContent).toBe(
      "kube-system",
    );
  });

  it("sorts by a clicked column and filters by text", async () => {
    const { backend, send } = setup();
    renderBrowser();
    await waitFor(() => {
      expect(backend.calls("open_view")).toHaveLength(1);
    });
    send(COLUMNS, { type: "snapshot", rows: [pod("pod-10", 1, 30), pod("pod-9", 3, 300), pod("pod-100", 0, 3)] });
    expect(rowNames()).toEqual(["pod-9", "pod-10", "pod-100"]);
    const header = (name: string) => {
      const h = screen.getAllByTestId("column-header").find((e) => e.getAttribute("data-column") === name);
      if (h === undefined) throw new Error(`no column ${name}`);
      return h;
    };
    fireEvent.click(header("RESTARTS"));
    expect(rowNames()).toEqual(["pod-100", "pod-10", "pod-9"]);
    fireEvent.click(header("AGE"));
    fireEvent.click(header("AGE"));
    expect(rowNames()).toEqual(["pod-9", "pod-10", "pod-100"]);

    fireEvent.change(screen.getByTestId("table-filter"), { target: { value: "crash" } });
    await waitFor(() => {
      expect(rowNames()).toEqual(["pod-9", "pod-10"]);
    });
    expect(screen.getByTestId("row-count").textContent).toBe("2 of 3");
  });

  it("moves the selection with the arrow keys", async () => {
    const { backend, send } = setup();
    renderBrowser();
    await waitFor(() => {
      expect(backend.calls("open_view")).toHaveLength(1);
    });
    send(COLUMNS, { type: "snapshot", rows: [pod("a", 0, 10), pod("b", 0, 10), pod("c", 0, 10)] });
    const rows = screen.getByTestId("resource-rows");
    fireEvent.keyDown(rows, { key: "ArrowDown" });
    expect((await screen.findByTestId("details-panel")).getAttribute("data-name")).toBe("a");
    fireEvent.keyDown(rows, { key: "End" });
    fireEvent.keyDown(rows, { key: "ArrowUp" });
    await waitFor(() => {
      expect(screen.getByTestId("details-panel").getAttribute("data-name")).toBe("b");
    });
    const selected = screen.getAllByTestId("resource-row").filter((r) => r.getAttribute("aria-selected") === "true");
    expect(selected.map((r) => r.getAttribute("data-name"))).toEqual(["b"]);
  });

  it("sizes the details panel and columns from the keyboard, kept per kind", async () => {
    const { backend, send } = setup();
    renderBrowser();
    await waitFor(() => {
      expect(backend.calls("open_view")).toHaveLength(1);
    });
    send(COLUMNS, { type: "snapshot", rows: [pod("a", 0, 10)] });
    fireEvent.keyDown(screen.getByTestId("resource-rows"), { key: "ArrowDown" });
    const panel = await screen.findByTestId("details-panel");
    // The panel is on the right: Left widens it (jsdom has no layout, so the start is the default 480).
    fireEvent.keyDown(screen.getByTestId("details-splitter"), { key: "ArrowLeft" });
    expect(panel.style.width).toBe("496px");
    expect(screen.getByTestId("details-splitter").getAttribute("aria-valuenow")).toBe("496");
    const [nameEdge] = screen.getAllByTestId("column-resizer");
    if (nameEdge === undefined) throw new Error("no column resizer");
    fireEvent.keyDown(nameEdge, { key: "ArrowRight", shiftKey: true });
    const head = screen.getByTestId("resource-table").querySelector<HTMLElement>(".rtable__head");
    expect(head?.style.gridTemplateColumns.startsWith("184px")).toBe(true);
    // A cut-off header keeps its name as a tooltip.
    expect(screen.getAllByTestId("column-header")[0]?.getAttribute("title")).toBe("NAME");
  });

  it("checks the label selector and re-opens the view only with a valid one", async () => {
    const { backend } = setup();
    renderBrowser();
    await waitFor(() => {
      expect(backend.calls("open_view")).toHaveLength(1);
    });
    const input = screen.getByTestId("label-selector");
    fireEvent.change(input, { target: { value: "app=web,env in (a" } });
    expect(screen.getByTestId("label-selector-error").textContent).toContain("parentheses");
    fireEvent.keyDown(input, { key: "Enter" });
    expect(backend.calls("open_view")).toHaveLength(1);

    fireEvent.change(input, { target: { value: "app=web,env in (a,b),!legacy" } });
    expect(screen.queryByTestId("label-selector-error")).toBeNull();
    fireEvent.keyDown(input, { key: "Enter" });
    await waitFor(() => {
      expect(backend.calls("open_view")).toHaveLength(2);
    });
    expect(backend.calls("open_view")[1]?.labelSelector).toBe("app=web,env in (a,b),!legacy");
    expect(backend.calls("close_view")).toEqual([{ id: 1 }]);
  });

  it("re-opens the view for several namespaces chosen in the toolbar", async () => {
    const { backend } = setup();
    renderBrowser();
    await waitFor(() => {
      expect(backend.calls("open_view")).toHaveLength(1);
    });
    fireEvent.click(screen.getByTestId("namespace-multi"));
    const kubeSystem = screen
      .getAllByTestId("namespace-option")
      .find((o) => o.getAttribute("data-namespace") === "kube-system");
    if (kubeSystem === undefined) throw new Error("no option");
    fireEvent.click(kubeSystem);
    await waitFor(() => {
      expect(backend.calls("open_view")).toHaveLength(2);
    });
    expect(backend.calls("open_view")[1]?.namespaces).toEqual(["default", "kube-system"]);
    fireEvent.click(screen.getByTestId("namespace-all"));
    await waitFor(() => {
      expect(backend.calls("open_view")).toHaveLength(3);
    });
    expect(backend.calls("open_view")[2]?.namespaces).toEqual([]);
  });

  it("shows CPU and MEM from the metrics channel, updating only those cells, sortable", async () => {
    type MetricsChannel = { onmessage: (e: MetricsEvent) => void };
    let metricsChannel: MetricsChannel | null = null;
    const { backend, send } = setup({
      open_view_metrics: (a) => {
        metricsChannel = a.channel as MetricsChannel;
        return 7;
      },
      close_view_metrics: () => null,
    });
    const view = renderBrowser();
    await waitFor(() => {
      expect(backend.calls("open_view_metrics")).toHaveLength(1);
    });
    expect(backend.calls("open_view_metrics")[0]).toMatchObject({ context: "ctx", kind: podKind, namespaces: ["default"] });
    send(COLUMNS, { type: "snapshot", rows: [pod("api", 0, 1500), pod("db", 0, 150)] });
    const headers = () => screen.getAllByTestId("column-header").map((h) => h.getAttribute("data-column"));
    // No figures yet: no metrics columns.
    expect(headers()).toEqual(["NAME", "STATUS", "RESTARTS", "AGE"]);

    const cells = (cpu: number, ofLimit: number | null) => ({
      cpu,
      memory: 20 * 1024 * 1024,
      cpuOfRequest: null,
      cpuOfLimit: ofLimit,
      memoryOfRequest: null,
      memoryOfLimit: null,
    });
    const metrics = (event: MetricsEvent) => {
      act(() => {
        metricsChannel?.onmessage(event);
      });
    };
    const source = { kind: "metricsApi" } as const;
    metrics({
      type: "update",
      source,
      upserts: [
        { key: "default/api", cells: cells(0.25, 90) },
        { key: "default/db", cells: cells(0.002, null) },
      ],
      removes: [],
    });
    expect(headers()).toEqual(["NAME", "STATUS", "RESTARTS", "CPU", "MEM", "%CPU/R", "%CPU/L", "%MEM/R", "%MEM/L", "AGE"]);
    const metric = (row: string, key: string) => {
      const r = screen.getAllByTestId("resource-row").find((e) => e.getAttribute("data-name") === row);
      const c = r?.querySelector(`[data-metric="metric:${key}"]`);
      return { text: c?.textContent, level: c?.getAttribute("data-level") };
    };
    expect(metric("api", "cpu").text).toBe("250m");
    expect(metric("api", "memory").text).toBe("20Mi");
    expect(metric("api", "cpuOfLimit")).toEqual({ text: "90%", level: "warn" });
    expect(metric("db", "cpuOfLimit").text).toBe("n/a");
    expect(screen.getByTestId("metrics-source").textContent).toContain("metrics.k8s.io");

    // Sorted by CPU descending, then db's figure rises past api's.
    const cpuHeader = () => {
      const h = screen.getAllByTestId("column-header").find((e) => e.getAttribute("data-column") === "CPU");
      if (h === undefined) throw new Error("no CPU header");
      return h;
    };
    fireEvent.click(cpuHeader());
    fireEvent.click(cpuHeader());
    expect(rowNames()).toEqual(["api", "db"]);
    metrics({ type: "update", source, upserts: [{ key: "default/db", cells: cells(1.5, 150) }], removes: [] });
    await waitFor(() => {
      expect(rowNames()).toEqual(["db", "api"]);
    });
    expect(metric("db", "cpu").text).toBe("1500m");
    expect(metric("db", "cpuOfLimit")).toEqual({ text: "150%", level: "over" });
    expect(metric("api", "cpu").text).toBe("250m");

    metrics({ type: "unavailable", reason: "no metrics source works: metrics.k8s.io is forbidden" });
    expect(screen.getByTestId("metrics-source").getAttribute("title")).toContain("forbidden");
    expect(headers()).not.toContain("CPU");

    await act(async () => {
      await Promise.resolve();
    });
    view.unmount();
    expect(backend.calls("close_view_metrics")).toEqual([{ id: 7 }]);
  });

  it("closes the view on unmount", async () => {
    const { backend } = setup();
    const view = renderBrowser();
    await waitFor(() => {
      expect(backend.calls("open_view")).toHaveLength(1);
    });
    // Let the open resolve so the id is known.
    await act(async () => {
      await Promise.resolve();
    });
    view.unmount();
    expect(backend.calls("close_view")).toEqual([{ id: 1 }]);
  });
});

async function openDetails(kind: KindInfo = podKind, handlers: Record<string, Handler> = {}) {
  const ctx = setup(handlers);
  renderBrowser(kind);
  await waitFor(() => {
    expect(ctx.backend.calls("open_view")).toHaveLength(1);
  });
  ctx.send(COLUMNS, { type: "snapshot", rows: [pod("api", 0, 45)] });
  fireEvent.click(firstRow());
  await screen.findByTestId("details-panel");
  return ctx;
}

describe("details panel", () => {
  it("shows the summary, events and folded YAML tabs", async () => {
    const { backend } = await openDetails(podKind, {
      object_events: () => [
        { type: "Warning", reason: "BackOff", message: "Back-off restarting", count: 3, firstMs: NOW, lastMs: NOW, source: "kubelet" },
      ],
    });
    expect((await screen.findByTestId("details-status")).textContent).toBe("Running");
    expect(backend.calls("object_details")[0]?.reference).toEqual({
      group: "",
      version: "v1",
      kind: "Pod",
      plural: "pods",
      namespace: "default",
      name: "api",
    });
    expect(screen.getByTestId("details-container").textContent).toContain("capstan.local/busybox:1");
    expect(screen.getByTestId("details-labels").textContent).toContain("app=web");

    // An owner link opens that object's details.
    fireEvent.click(screen.getByTestId("related-link"));
    await waitFor(() => {
      expect(screen.getByTestId("details-panel").getAttribute("data-kind")).toBe("ReplicaSet");
    });

    fireEvent.click(screen.getByTestId("details-tab-events"));
    expect((await screen.findByTestId("details-events")).textContent).toContain("BackOff");

    fireEvent.click(screen.getByTestId("details-tab-yaml"));
    expect((await screen.findByTestId("details-yaml")).textContent).toContain("kind: Pod");
    const folded = screen.getByTestId<HTMLDetailsElement>("managed-fields");
    expect(folded.open).toBe(false);
    expect(screen.getByTestId("details-yaml").textContent).not.toContain("manager:");
  });

  it("shows both versions on a conflict and overwrites nothing", async () => {
    const { backend } = await openDetails(podKind, {
      apply_yaml: () => ({ outcome: "conflict", yours: "mine: 1\n", theirs: "theirs: 2\n", server_resource_version: "9" }),
    });
    fireEvent.click(screen.getByTestId("details-tab-yaml"));
    fireEvent.click(await screen.findByTestId("yaml-edit"));
    setEditorText(await findEditor("yaml-editor"), "mine: 1\n");
    fireEvent.click(screen.getByTestId("yaml-apply"));
    const conflict = await screen.findByTestId("yaml-conflict");
    expect(within(conflict).getByTestId("yaml-conflict-yours").textContent).toBe("mine: 1\n");
    expect(within(conflict).getByTestId("yaml-conflict-theirs").textContent).toBe("theirs: 2\n");
    expect(backend.calls("apply_yaml")).toHaveLength(1);
    fireEvent.click(screen.getByTestId("yaml-keep-mine"));
    expect(editorText(await findEditor("yaml-editor"))).toBe("mine: 1\n");
  });

  it("shows an apply error and keeps the edit", async () => {
    await openDetails(podKind, {
      apply_yaml: () => {
        fail({ kind: "invalidInput", message: "spec.replicas: must be an integer", detail: null });
      },
    });
    fireEvent.click(screen.getByTestId("details-tab-yaml"));
    fireEvent.click(await screen.findByTestId("yaml-edit"));
    setEditorText(await findEditor("yaml-editor"), "bad");
    fireEvent.click(screen.getByTestId("yaml-apply"));
    expect((await screen.findByTestId("yaml-error")).textContent).toContain("must be an integer");
    expect(editorText(screen.getByTestId("yaml-editor"))).toBe("bad");
  });

  it("offers only the actions of the kind", async () => {
    await openDetails(podKind);
    expect(screen.getByTestId("action-delete")).toBeTruthy();
    for (const a of ["scale", "restart", "cordon", "uncordon", "drain"]) {
      expect(screen.queryByTestId(`action-${a}`)).toBeNull();
    }
  });

  it("asks before deleting, with the chosen propagation", async () => {
    const { backend } = await openDetails(podKind, { delete_object: () => null });
    fireEvent.click(screen.getByTestId("action-delete"));
    fireEvent.click(screen.getByTestId("confirm-cancel"));
    expect(screen.queryByTestId("confirm-dialog")).toBeNull();
    expect(backend.calls("delete_object")).toHaveLength(0);

    fireEvent.click(screen.getByTestId("action-delete"));
    fireEvent.click(screen.getByTestId("delete-foreground"));
    fireEvent.click(screen.getByTestId("confirm-ok"));
    expect((await screen.findByTestId("action-result")).textContent).toContain("Deleted Pod api in default");
    expect(backend.calls("delete_object")[0]?.propagation).toBe("foreground");
  });

  it("scales a deployment to the count asked for, and shows errors", async () => {
    let failing = false;
    const { backend } = await openDetails(deployKind, {
      scale_object: () => {
        if (failing) fail({ kind: "auth", message: "forbidden: cannot patch deployments/scale", detail: null });
        return null;
      },
      restart_rollout: () => null,
    });
    fireEvent.click(screen.getByTestId("action-scale"));
    fireEvent.change(screen.getByTestId("scale-input"), { target: { value: "x" } });
    expect((screen.getByTestId<HTMLButtonElement>("scale-submit")).disabled).toBe(true);
    fireEvent.change(screen.getByTestId("scale-input"), { target: { value: "3" } });
    fireEvent.click(screen.getByTestId("scale-submit"));
    expect((await screen.findByTestId("action-result")).textContent).toContain("3 replicas");
    expect(backend.calls("scale_object")[0]?.replicas).toBe(3);

    failing = true;
    fireEvent.click(screen.getByTestId("action-scale"));
    fireEvent.click(screen.getByTestId("scale-submit"));
    expect((await screen.findByTestId("action-error")).textContent).toContain("forbidden");
  });

  it("cordons and drains nodes", async () => {
    const { backend } = await openDetails(nodeKind, {
      cordon_node: () => null,
      drain_node: (a) => ({ node: a.name, evicted: ["default/a"], skipped: [{ pod: "kube-system/p", reason: "DaemonSet-managed" }] }),
    });
    fireEvent.click(screen.getByTestId("action-cordon"));
    await screen.findByTestId("action-result");
    expect(backend.calls("cordon_node")[0]).toEqual({ context: "ctx", name: "api", unschedulable: true });
    fireEvent.click(screen.getByTestId("action-drain"));
    fireEvent.click(screen.getByTestId("confirm-ok"));
    await waitFor(() => {
      expect(screen.getByTestId("action-result").textContent).toContain("1 pod(s) evicted");
    });
  });
});

describe("row menu", () => {
  const editable = (kind: KindInfo): KindInfo => ({ ...kind, verbs: ["list", "get", "update", "patch", "delete"] });
  async function openTable(kind: KindInfo = editable(podKind), handlers: Record<string, Handler> = {}) {
    const ctx = setup(handlers);
    const openShell = vi.fn();
    const openLogs = vi.fn();
    render(
      <StrictMode>
        <ShellOpenerContext.Provider value={openShell}>
          <LogOpenerContext.Provider value={openLogs}>
            <BrowserHarness kind={kind} defaultNamespaces={["default"]} />
          </LogOpenerContext.Provider>
        </ShellOpenerContext.Provider>
      </StrictMode>,
    );
    await waitFor(() => {
      expect(ctx.backend.calls("open_view").length).toBeGreaterThan(0);
    });
    ctx.send(COLUMNS, { type: "snapshot", rows: [pod("api", 0, 45), pod("web", 0, 45)] });
    return { ...ctx, openShell, openLogs };
  }
  const rowNamed = (name: string) => {
    const row = screen.getAllByTestId("resource-row").find((r) => r.getAttribute("data-name") === name);
    if (row === undefined) throw new Error(`no row ${name}`);
    return row;
  };
  const entries = () => screen.getAllByRole("menuitem").map((m) => m.textContent);

  it("opens on a right click with the pod's actions, and Escape gives the focus back to the rows", async () => {
    await openTable();
    fireEvent.contextMenu(rowNamed("web"), { clientX: 50, clientY: 60 });
    expect(screen.getByRole("menu", { name: "Actions for web" })).toBeTruthy();
    expect(entries()).toEqual([
      "Details",
      "Logs",
      "Shell",
      "Attach",
      "Debug container…",
      "Copy from container…",
      "Copy to container…",
      "Edit YAML",
      "Delete…",
    ]);
    expect(rowNamed("web").className).toContain("rtable__row--menu");
    // A right click does not select: the details panel stays closed until an entry asks for it.
    expect(screen.queryByTestId("details-panel")).toBeNull();
    fireEvent.keyDown(screen.getByTestId("row-menu-details"), { key: "Escape" });
    await waitFor(() => {
      expect(screen.queryByRole("menu")).toBeNull();
    });
    await waitFor(() => {
      expect(document.activeElement).toBe(screen.getByTestId("resource-rows"));
    });
  });

  it("opens from the keyboard on the selected row and deletes through the usual question", async () => {
    const { backend } = await openTable(editable(podKind), { delete_object: () => null });
    const list = screen.getByTestId("resource-rows");
    fireEvent.click(rowNamed("web"));
    list.focus();
    // Without Shift, F10 is no menu key.
    fireEvent.keyDown(list, { key: "F10" });
    expect(screen.queryByRole("menu")).toBeNull();
    fireEvent.keyDown(list, { key: "F10", shiftKey: true });
    expect(screen.getByRole("menu", { name: "Actions for web" })).toBeTruthy();
    expect(document.activeElement).toBe(screen.getByTestId("row-menu-details"));
    fireEvent.keyDown(screen.getByTestId("row-menu-details"), { key: "End" });
    await waitFor(() => {
      expect(document.activeElement).toBe(screen.getByTestId("row-menu-delete"));
    });
    fireEvent.keyDown(screen.getByTestId("row-menu-delete"), { key: "Enter" });
    expect(screen.queryByRole("menu")).toBeNull();
    expect((await screen.findByTestId("details-panel")).getAttribute("data-name")).toBe("web");
    expect(backend.calls("delete_object")).toHaveLength(0);
    fireEvent.click(screen.getByTestId("confirm-ok"));
    expect((await screen.findByTestId("action-result")).textContent).toContain("Deleted Pod web in default");
    expect(backend.calls("delete_object")).toEqual([
      { context: "ctx", reference: expect.objectContaining({ kind: "Pod", name: "web" }) as unknown, propagation: "background" },
    ]);
  });

  it("opens a shell, an attach and logs at once, with the container left to Rust", async () => {
    const { openShell, openLogs } = await openTable();
    fireEvent.contextMenu(rowNamed("api"));
    fireEvent.click(screen.getByTestId("row-menu-shell"));
    expect(openShell).toHaveBeenCalledWith({ mode: "exec", context: "ctx", namespace: "default", pod: "api", container: null });
    fireEvent.contextMenu(rowNamed("api"));
    fireEvent.click(screen.getByTestId("row-menu-attach"));
    expect(openShell).toHaveBeenLastCalledWith({ mode: "attach", context: "ctx", namespace: "default", pod: "api", container: null });
    fireEvent.contextMenu(rowNamed("api"));
    fireEvent.click(screen.getByTestId("row-menu-logs"));
    expect(openLogs).toHaveBeenCalledWith({ context: "ctx", namespace: "default", target: { kind: "pod", name: "api" }, title: "logs: api" });
    expect(screen.queryByTestId("details-panel")).toBeNull();
  });

  it("opens the panel with the debug image, the copy form or the YAML editor ready", async () => {
    await openTable();
    fireEvent.contextMenu(rowNamed("api"));
    fireEvent.click(screen.getByTestId("row-menu-debug"));
    expect((await screen.findByTestId<HTMLInputElement>("debug-image")).value).toBe("busybox:1.36");

    fireEvent.contextMenu(rowNamed("api"));
    fireEvent.click(screen.getByTestId("row-menu-copyTo"));
    expect((await screen.findByTestId<HTMLInputElement>("copy-path")).value).toBe("/tmp");
    expect(screen.queryByTestId("debug-image")).toBeNull();

    fireEvent.contextMenu(rowNamed("api"));
    fireEvent.click(screen.getByTestId("row-menu-editYaml"));
    expect(editorText(await findEditor("yaml-editor"))).toContain("kind: Pod");
    fireEvent.click(screen.getByTestId("yaml-cancel"));
    expect(await screen.findByTestId("details-yaml")).toBeTruthy();

    // Selecting another row opens its panel with nothing started.
    fireEvent.click(rowNamed("web"));
    await waitFor(() => {
      expect(screen.getByTestId("details-panel").getAttribute("data-name")).toBe("web");
    });
    expect(screen.queryByTestId("copy-path")).toBeNull();
    expect(screen.queryByTestId("yaml-editor")).toBeNull();
  });

  it("runs a workload's Restart once, even under StrictMode", async () => {
    const { backend } = await openTable(editable(deployKind), { restart_rollout: () => null });
    fireEvent.contextMenu(rowNamed("api"));
    expect(entries()).toEqual(["Details", "Logs", "Scale…", "Restart", "Edit YAML", "Delete…"]);
    fireEvent.click(screen.getByTestId("row-menu-restart"));
    expect((await screen.findByTestId("action-result")).textContent).toContain("Restarted the rollout of Deployment api");
    expect(backend.calls("restart_rollout")).toHaveLength(1);
  });
});

describe("create from YAML", () => {
  it("creates into the current namespace and lists each document's result", async () => {
    const { backend } = setup({
      create_yaml: () => [
        { index: 0, label: "ConfigMap/a", created: null, error: null },
        { index: 1, label: "Pod/b", created: null, error: "pods \"b\" already exists" },
      ],
    });
    renderBrowser();
    fireEvent.click(screen.getByTestId("create-yaml-open"));
    const dialog = screen.getByTestId("create-yaml");
    setEditorText(await within(dialog).findByTestId("create-yaml-input"), "kind: ConfigMap\n---\nkind: Pod\n");
    fireEvent.click(within(dialog).getByTestId("create-yaml-submit"));
    await waitFor(() => {
      expect(screen.getAllByTestId("create-result")).toHaveLength(2);
    });
    expect(backend.calls("create_yaml")[0]).toMatchObject({ context: "ctx", namespace: "default" });
    expect(screen.getAllByTestId("create-result").map((r) => r.getAttribute("data-ok"))).toEqual(["true", "false"]);
  });
});
