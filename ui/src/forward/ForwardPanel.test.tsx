import { act, fireEvent, render, screen, waitFor } from "@testing-library/react";
import { beforeEach, describe, expect, it, vi } from "vitest";

import type { FailedForward } from "../bindings/FailedForward";
import type { ForwardStatus } from "../bindings/ForwardStatus";
import { describeSaved, ForwardPanel } from "./ForwardPanel";
import { recordForwardStatus } from "./queries";

const ipc = vi.hoisted(() => ({
  listForwards: vi.fn(),
  watchForwards: vi.fn(),
  closeForwardWatch: vi.fn(),
  stopForward: vi.fn(),
  stopAllForwards: vi.fn(),
  savedForwards: vi.fn(),
  setSavedForwards: vi.fn(),
  retrySavedForward: vi.fn(),
  dismissSavedForward: vi.fn(),
  openUrl: vi.fn(),
  copyText: vi.fn(),
}));
vi.mock("../ipc/forward", () => ipc);

function status(id: number, local: string, remote: number): ForwardStatus {
  return {
    id,
    namespace: "shop",
    target: "svc/web",
    pod: "web-1",
    listeners: [{ local, remote, remoteName: null }],
    state: "active",
    reason: null,
    activeConnections: 0,
    totalConnections: 0,
    bytesSent: 0,
    bytesReceived: 0,
  };
}

const failed: FailedForward = {
  id: 7,
  context: "kind",
  forward: {
    namespace: "shop",
    target: { kind: "service", name: "gone" },
    ports: [{ local: 9000, remote: { type: "name", value: "http" } }],
    address: null,
  },
  reason: 'target gone: service "gone" not found',
};

describe("ForwardPanel", () => {
  beforeEach(() => {
    for (const f of Object.values(ipc)) f.mockReset();
    ipc.listForwards.mockResolvedValue([status(1, "127.0.0.1:8443", 8443), status(2, "[::1]:8080", 80)]);
    ipc.savedForwards.mockResolvedValue({ enabled: false, failed: [] });
    ipc.openUrl.mockResolvedValue(undefined);
    ipc.copyText.mockResolvedValue(undefined);
    ipc.watchForwards.mockResolvedValue(9);
    ipc.closeForwardWatch.mockResolvedValue(undefined);
  });

  it("shows what the registry watch pushes (new counters) without polling, and closes the watch when it goes", async () => {
    const { unmount } = render(<ForwardPanel context="kind" />);
    await screen.findAllByTestId("forward-link");
    expect(ipc.watchForwards).toHaveBeenCalledTimes(1);
    const push = ipc.watchForwards.mock.calls[0]?.[0] as (list: ForwardStatus[]) => void;
    act(() => {
      push([{ ...status(1, "127.0.0.1:8443", 8443), bytesSent: 2048, activeConnections: 1 }]);
    });
    await waitFor(() => {
      expect(screen.getAllByTestId("forward-link")).toHaveLength(1);
    });
    expect(screen.getByText(/1 open/)).toBeTruthy();
    expect(screen.getByText(/2\.0 KiB/)).toBeTruthy();
    expect(ipc.listForwards).toHaveBeenCalledTimes(1);
    unmount();
    await waitFor(() => {
      expect(ipc.closeForwardWatch).toHaveBeenCalledWith(9);
    });
  });

  it("links each forward's URL and opens it through the opener, not the webview", async () => {
    render(<ForwardPanel context="kind" />);
    const links = await screen.findAllByTestId("forward-link");
    expect(links.map((a) => a.getAttribute("href"))).toEqual(["https://127.0.0.1:8443/", "http://[::1]:8080/"]);
    const click = new MouseEvent("click", { bubbles: true, cancelable: true });
    act(() => {
      links[1]?.dispatchEvent(click);
    });
    expect(click.defaultPrevented).toBe(true);
    expect(ipc.openUrl).toHaveBeenCalledWith("http://[::1]:8080/");
  });

  it("copies the URL and says so", async () => {
    render(<ForwardPanel context="kind" />);
    const [copy] = await screen.findAllByTestId("forward-copy");
    if (copy === undefined) throw new Error("no copy button");
    fireEvent.click(copy);
    await waitFor(() => {
      expect(copy.textContent).toBe("Copied");
    });
    expect(ipc.copyText).toHaveBeenCalledWith("https://127.0.0.1:8443/");
  });

  it("shows a failed copy as an error, not as copied", async () => {
    ipc.copyText.mockRejectedValue({ kind: "internal", message: "no clipboard", detail: null });
    render(<ForwardPanel context="kind" />);
    const [copy] = await screen.findAllByTestId("forward-copy");
    if (copy === undefined) throw new Error("no copy button");
    fireEvent.click(copy);
    expect((await screen.findByTestId("forward-panel-error")).textContent).toBe("no clipboard");
    expect(copy.textContent).toBe("Copy");
  });

  it("turns saving on for the current context", async () => {
    ipc.setSavedForwards.mockResolvedValue({ enabled: true, failed: [] });
    render(<ForwardPanel context="kind" />);
    const toggle = await screen.findByTestId<HTMLInputElement>("forward-save-toggle");
    await waitFor(() => {
      expect(ipc.savedForwards).toHaveBeenCalledWith("kind");
    });
    expect(toggle.checked).toBe(false);
    fireEvent.click(toggle);
    await waitFor(() => {
      expect(toggle.checked).toBe(true);
    });
    expect(ipc.setSavedForwards).toHaveBeenCalledWith("kind", true);
  });

  it("has no toggle without a context", async () => {
    render(<ForwardPanel context={null} />);
    await screen.findAllByTestId("forward-link");
    expect(screen.queryByTestId("forward-save-toggle")).toBeNull();
    expect(ipc.savedForwards).not.toHaveBeenCalled();
  });

  it("lists saved forwards that failed to come back, with retry and remove", async () => {
    ipc.listForwards.mockResolvedValue([]);
    ipc.savedForwards.mockResolvedValue({ enabled: true, failed: [failed] });
    ipc.dismissSavedForward.mockResolvedValue(undefined);
    ipc.retrySavedForward.mockRejectedValue({ kind: "notFound", message: "still gone", detail: null });
    render(<ForwardPanel context="kind" />);
    expect((await screen.findByTestId("forward-failed-reason")).textContent).toContain("target gone");
    fireEvent.click(screen.getByTestId("forward-retry"));
    expect((await screen.findByTestId("forward-panel-error")).textContent).toBe("still gone");
    expect(ipc.retrySavedForward).toHaveBeenCalledWith(7);
    expect(screen.getByTestId("forward-failed-row")).toBeTruthy();
    ipc.savedForwards.mockResolvedValue({ enabled: true, failed: [] });
    fireEvent.click(screen.getByTestId("forward-dismiss"));
    await waitFor(() => {
      expect(screen.queryByTestId("forward-failed-row")).toBeNull();
    });
    expect(ipc.dismissSavedForward).toHaveBeenCalledWith(7);
  });

  it("shows a state change from a forward's status Channel at once, without asking the registry again", async () => {
    render(<ForwardPanel context="kind" />);
    await screen.findAllByTestId("forward-link");
    expect(ipc.listForwards).toHaveBeenCalledTimes(1);
    act(() => {
      recordForwardStatus({ ...status(2, "[::1]:8080", 80), state: "reconnecting", reason: "pod web-1 is gone" });
    });
    await waitFor(() => {
      expect(screen.getAllByTestId("forward-state").map((s) => s.textContent)).toEqual([
        "active",
        "reconnecting: pod web-1 is gone",
      ]);
    });
    // A stopped forward leaves the list.
    act(() => {
      recordForwardStatus({ ...status(1, "127.0.0.1:8443", 8443), state: "stopped" });
    });
    await waitFor(() => {
      expect(screen.getAllByTestId("forward-state").map((s) => s.textContent)).toEqual(["reconnecting: pod web-1 is gone"]);
    });
    expect(ipc.listForwards).toHaveBeenCalledTimes(1);
  });

  it("removes a stopped forward and reads the registry again", async () => {
    ipc.stopForward.mockResolvedValue(true);
    render(<ForwardPanel context="kind" />);
    const [stop] = await screen.findAllByTestId("forward-stop");
    if (stop === undefined) throw new Error("no stop button");
    ipc.listForwards.mockResolvedValue([status(2, "[::1]:8080", 80)]);
    fireEvent.click(stop);
    await waitFor(() => {
      expect(screen.getAllByTestId("forward-link")).toHaveLength(1);
    });
    expect(ipc.stopForward).toHaveBeenCalledWith(1);
    await waitFor(() => {
      expect(ipc.listForwards).toHaveBeenCalledTimes(2);
    });
  });

  it("describes a saved forward as kubectl would spell it", () => {
    expect(describeSaved(failed)).toBe("shop/svc/gone 9000:http");
  });
});
