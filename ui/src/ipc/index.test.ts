import { invoke, isTauri } from "@tauri-apps/api/core";
import { beforeEach, describe, expect, it, vi } from "vitest";

import { appInfo, listContexts, NO_BACKEND } from "./index";

vi.mock("@tauri-apps/api/core", () => ({
  invoke: vi.fn(),
  isTauri: vi.fn(() => true),
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
