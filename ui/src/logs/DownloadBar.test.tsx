import { invoke } from "@tauri-apps/api/core";
import { act, fireEvent, render, screen, waitFor } from "@testing-library/react";
import { describe, expect, it, vi } from "vitest";

import type { LogSource } from "../bindings/LogSource";
import { install } from "../test/backend";
import { DownloadBar } from "./DownloadBar";

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

const SOURCES: LogSource[] = [
  { index: 0, namespace: "ns", pod: "web-a", container: "app" },
  { index: 1, namespace: "ns", pod: "web-b", container: "side" },
];

function bar() {
  return render(
    <DownloadBar context="ctx" namespace="ns" sources={SOURCES} previous={false} baseName="deployment-web" bufferText={() => "line 1\nline 2\n"} />,
  );
}

const state = () => screen.getByTestId("log-download-state").textContent;

describe("DownloadBar", () => {
  it("suggests a file name, never a path, and shows where the buffer was saved", async () => {
    const backend = install(invokeMock, {
      save_text: (a) => ({ path: `/home/u/Downloads/${a.suggestedName as string}`, bytes: (a.text as string).length }),
    });
    bar();
    fireEvent.click(screen.getByTestId("log-save-buffer"));
    await waitFor(() => {
      expect(state()).toBe("Saved the buffer (14 B) to /home/u/Downloads/deployment-web.log");
    });
    const [call] = backend.calls("save_text");
    expect(call).toEqual({ suggestedName: "deployment-web.log", text: "line 1\nline 2\n" });
    expect(Object.keys(call ?? {})).not.toContain("path");
  });

  it("downloads the chosen container's full log with progress", async () => {
    let progress: ((bytes: number) => void) | null = null;
    let finish: ((v: unknown) => void) | null = null;
    const backend = install(invokeMock, {
      download_log: (a) => {
        progress = (a.progress as { onmessage: (b: number) => void }).onmessage;
        return new Promise((resolve) => {
          finish = resolve;
        });
      },
    });
    bar();
    fireEvent.change(screen.getByLabelText("Container to download"), { target: { value: "web-b/side" } });
    fireEvent.click(screen.getByTestId("log-download-full"));
    await waitFor(() => {
      expect(progress).not.toBeNull();
    });
    act(() => {
      progress?.(2048);
    });
    expect(state()).toBe("Writing… 2.0 KiB");
    expect(screen.getByTestId("log-download-full")).toHaveProperty("disabled", true);
    await act(async () => {
      finish?.({ path: "/tmp/web-b-side.log", bytes: 4096 });
      await Promise.resolve();
    });
    await waitFor(() => {
      expect(state()).toBe("Downloaded 4.0 KiB to /tmp/web-b-side.log");
    });
    const [call] = backend.calls("download_log");
    expect(call).toMatchObject({ context: "ctx", namespace: "ns", pod: "web-b", container: "side", previous: false, suggestedName: "web-b-side.log" });
  });

  it("a cancelled dialog leaves nothing to report, an error is shown", async () => {
    let answer: unknown = null;
    install(invokeMock, {
      save_text: () => {
        if (answer instanceof Error) throw answer;
        return answer;
      },
    });
    bar();
    fireEvent.click(screen.getByTestId("log-save-buffer"));
    await waitFor(() => {
      expect(screen.getByTestId("log-save-buffer")).toHaveProperty("disabled", false);
    });
    expect(state()).toBe("");
    answer = Object.assign(new Error("x"), { kind: "io", message: "cannot write /tmp/x: permission denied", detail: null });
    fireEvent.click(screen.getByTestId("log-save-buffer"));
    await waitFor(() => {
      expect(state()).toContain("permission denied");
    });
  });
});
