import { invoke } from "@tauri-apps/api/core";
import { fireEvent, render, screen, waitFor } from "@testing-library/react";
import { beforeEach, describe, expect, it, vi } from "vitest";

import type { AboutInfo } from "../bindings/AboutInfo";
import { install } from "../test/backend";
import { AboutDialog } from "./AboutDialog";
import { aboutRows, copiedMessage } from "./model";

vi.mock("@tauri-apps/api/core", () => ({
  invoke: vi.fn(),
  isTauri: vi.fn(() => true),
  Channel: vi.fn(),
}));

const invokeMock = vi.mocked(invoke);

const INFO: AboutInfo = {
  version: "1.2.3",
  commit: "abcdef123456",
  testedKubernetes: "1.35.4",
  testedK3s: "v1.31.4+k3s1",
  os: "linux x86_64 (Debian GNU/Linux 12 (bookworm))",
};

describe("about model", () => {
  it("lists version, commit, tested versions and system in order", () => {
    expect(aboutRows(INFO)).toEqual([
      ["Version", "1.2.3"],
      ["Commit", "abcdef123456"],
      ["Tested with", "Kubernetes 1.35.4 · k3s v1.31.4+k3s1"],
      ["System", "linux x86_64 (Debian GNU/Linux 12 (bookworm))"],
    ]);
  });

  it("says whether the clipboard got the diagnostics", () => {
    expect(copiedMessage({ text: "x", copied: true })).toMatch(/copied to the clipboard/);
    expect(copiedMessage({ text: "x", copied: false })).toMatch(/copy it/);
  });
});

describe("AboutDialog", () => {
  beforeEach(() => {
    invokeMock.mockReset();
  });

  it("shows the build, copies diagnostics and opens the log folder through the backend", async () => {
    const backend = install(invokeMock, {
      about_info: () => INFO,
      copy_diagnostics: () => ({ text: "Capstan 1.2.3 (abcdef123456)\nContexts: 1\n", copied: true }),
      open_log_folder: () => "/home/u/.local/share/capstan/logs",
    });
    render(<AboutDialog onClose={vi.fn()} />);
    expect((await screen.findByTestId("about-version")).textContent).toBe("1.2.3");
    expect(screen.getByTestId("about-tested-with").textContent).toContain("Kubernetes 1.35.4");

    fireEvent.click(screen.getByTestId("about-copy-diagnostics"));
    const text = await screen.findByTestId<HTMLTextAreaElement>("about-diagnostics");
    expect(text.value).toContain("Capstan 1.2.3");
    expect(screen.getByTestId("about-copied").textContent).toMatch(/copied/);

    fireEvent.click(screen.getByTestId("about-open-logs"));
    await waitFor(() => {
      expect(backend.calls("open_log_folder")).toHaveLength(1);
    });
    expect(screen.queryByTestId("about-error")).toBeNull();
  });

  it("shows why the log folder could not be opened", async () => {
    install(invokeMock, {
      about_info: () => INFO,
      open_log_folder: () => {
        // eslint-disable-next-line @typescript-eslint/only-throw-error -- the backend rejects with plain IpcError objects
        throw { kind: "io", message: "The log folder could not be opened: open it by hand", detail: "/x: no handler" };
      },
    });
    render(<AboutDialog onClose={vi.fn()} />);
    fireEvent.click(screen.getByTestId("about-open-logs"));
    const error = await screen.findByTestId("about-error");
    expect(error.textContent).toContain("open it by hand");
    expect(error.textContent).toContain("/x: no handler");
  });
});
