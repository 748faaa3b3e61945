import { Channel, invoke, isTauri } from "@tauri-apps/api/core";
import { beforeEach, describe, expect, it, vi } from "vitest";

import {
  addCluster,
  appInfo,
  checkConnection,
  getNamespace,
  listContexts,
  listNamespaces,
  makeCurrent,
  makeCurrentPreview,
  NO_BACKEND,
  removeContext,
  renameContext,
  setNamespace,
  watchKubeconfig,
} from "./index";

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
const isTauriMock = vi.mocked(isTauri);

beforeEach(() => {
  invokeMock.mockReset();
  isTauriMock.mockReturnValue(true);
});

describe("listContexts", () => {
  it("calls the list_contexts command", async () => {
    const overview = { files: ["/k"], searched: ["/k"], currentContext: null, contexts: [] };
    invokeMock.mockResolvedValue(overview);
    await expect(listContexts()).resolves.toBe(overview);
    expect(invokeMock).toHaveBeenCalledWith("list_contexts", undefined);
  });

  it("passes a structured error through", async () => {
    const err = { kind: "kubeconfig", message: "malformed", detail: "line 2" };
    invokeMock.mockRejectedValue(err);
    await expect(listContexts()).rejects.toEqual(err);
  });

  it("wraps any other rejection as internal", async () => {
    invokeMock.mockRejectedValue("Command list_contexts not found");
    await expect(listContexts()).rejects.toEqual({
      kind: "internal",
      message: "Command list_contexts not found",
      detail: null,
    });
  });

  it("fails with a readable error outside Tauri, without calling invoke", async () => {
    isTauriMock.mockReturnValue(false);
    await expect(listContexts()).rejects.toEqual(NO_BACKEND);
    expect(invokeMock).not.toHaveBeenCalled();
  });
});

describe("appInfo", () => {
  it("calls the app_info command", async () => {
    invokeMock.mockResolvedValue({ version: "1.2.3", logDir: null });
    await expect(appInfo()).resolves.toEqual({ version: "1.2.3", logDir: null });
    expect(invokeMock).toHaveBeenCalledWith("app_info", undefined);
  });
});

describe("context commands", () => {
  it("sends camelCase argument objects", async () => {
    invokeMock.mockResolvedValue(null);
    await checkConnection("a");
    await makeCurrentPreview("a");
    await makeCurrent("a");
    await listNamespaces("a");
    await getNamespace("a");
    await setNamespace("a", { kind: "all" });
    await setNamespace("a", { kind: "named", name: "web" });
    await addCluster("apiVersion: v1");
    await removeContext("a");
    await renameContext("a", "b");
    expect(invokeMock.mock.calls).toEqual([
      ["check_connection", { context: "a" }],
      ["make_current_preview", { context: "a" }],
      ["make_current", { context: "a" }],
      ["list_namespaces", { context: "a" }],
      ["get_namespace", { context: "a" }],
      ["set_namespace", { context: "a", selection: { kind: "all" } }],
      ["set_namespace", { context: "a", selection: { kind: "named", name: "web" } }],
      ["add_cluster", { kubeconfig: "apiVersion: v1" }],
      ["remove_context", { context: "a" }],
      ["rename_context", { from: "a", to: "b" }],
    ]);
  });

  it("rejects add_cluster with the backend's IpcError", async () => {
    const err = { kind: "connection", message: "cannot reach", detail: "timeout" };
    invokeMock.mockRejectedValue(err);
    await expect(addCluster("x")).rejects.toEqual(err);
  });

  it("passes a Channel as onChange to watch_kubeconfig and forwards its messages", async () => {
    invokeMock.mockResolvedValue(null);
    const seen: string[][] = [];
    await watchKubeconfig((e) => {
      seen.push(e.paths);
    });
    const call = invokeMock.mock.calls[0];
    expect(call?.[0]).toBe("watch_kubeconfig");
    const channel = (call?.[1] as { onChange: InstanceType<typeof Channel> }).onChange;
    expect(channel).toBeInstanceOf(Channel);
    channel.onmessage({ paths: ["/k"] });
    expect(seen).toEqual([["/k"]]);
  });
});
