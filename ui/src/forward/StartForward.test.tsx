import { fireEvent, render, screen, waitFor } from "@testing-library/react";
import { beforeEach, describe, expect, it, vi } from "vitest";

import type { ForwardStatus } from "../bindings/ForwardStatus";
import { forwardTargetFor } from "./opener";
import { StartForward } from "./StartForward";

const ipc = vi.hoisted(() => ({
  forwardPorts: vi.fn(),
  startForward: vi.fn(),
}));
vi.mock("../ipc/forward", () => ipc);

describe("forwardTargetFor", () => {
  it("maps the forwardable kinds and refuses the rest", () => {
    expect(forwardTargetFor("Service", "web")).toEqual({ kind: "service", name: "web" });
    expect(forwardTargetFor("StatefulSet", "db")).toEqual({ kind: "statefulSet", name: "db" });
    expect(forwardTargetFor("ConfigMap", "x")).toBeNull();
  });
});

describe("StartForward", () => {
  beforeEach(() => {
    ipc.forwardPorts.mockReset();
    ipc.startForward.mockReset();
  });

  it("starts the chosen port with the typed local port and reports the address", async () => {
    ipc.forwardPorts.mockResolvedValue([
      { name: "http", remote: 80, detail: "web", protocol: "TCP" },
      { name: "admin", remote: 9000, detail: "9000", protocol: "TCP" },
    ]);
    const status = { listeners: [{ local: "127.0.0.1:18080" }] } as unknown as ForwardStatus;
    ipc.startForward.mockResolvedValue(status);
    const started = vi.fn();
    render(<StartForward context="c" namespace="ns" target={{ kind: "service", name: "web" }} onStarted={started} onCancel={vi.fn()} />);
    fireEvent.change(await screen.findByTestId("forward-port"), { target: { value: "1" } });
    fireEvent.change(screen.getByTestId("forward-local-port"), { target: { value: "18080" } });
    fireEvent.click(screen.getByTestId("forward-start"));
    await waitFor(() => {
      expect(started).toHaveBeenCalledWith("Forwarding http://127.0.0.1:18080/ → 9000");
    });
    expect(ipc.startForward.mock.calls[0]?.slice(0, 4)).toEqual([
      "c",
      "ns",
      { kind: "service", name: "web" },
      [{ local: 18080, remote: { type: "number", value: 9000 } }],
    ]);
  });

  it("reads the ports once per target, not once per render", async () => {
    ipc.forwardPorts.mockResolvedValue([{ name: null, remote: 80, detail: "web", protocol: "TCP" }]);
    const props = { context: "c", namespace: "ns", onStarted: vi.fn(), onCancel: vi.fn() };
    const { rerender } = render(<StartForward {...props} target={{ kind: "pod", name: "p" }} />);
    await screen.findByTestId("forward-port");
    rerender(<StartForward {...props} target={{ kind: "pod", name: "p" }} />);
    expect(ipc.forwardPorts).toHaveBeenCalledTimes(1);
    rerender(<StartForward {...props} target={{ kind: "pod", name: "q" }} />);
    await waitFor(() => {
      expect(ipc.forwardPorts).toHaveBeenCalledTimes(2);
    });
  });

  it("refuses a bad local port before calling the backend and shows backend errors", async () => {
    ipc.forwardPorts.mockResolvedValue([{ name: null, remote: 80, detail: "web", protocol: "TCP" }]);
    ipc.startForward.mockRejectedValue({ kind: "invalidInput", message: "port 80 on 127.0.0.1 is already in use", detail: null });
    render(<StartForward context="c" namespace="ns" target={{ kind: "pod", name: "p" }} onStarted={vi.fn()} onCancel={vi.fn()} />);
    fireEvent.change(await screen.findByTestId("forward-local-port"), { target: { value: "99999" } });
    expect(screen.getByTestId("forward-start")).toHaveProperty("disabled", true);
    fireEvent.change(screen.getByTestId("forward-local-port"), { target: { value: "" } });
    fireEvent.click(screen.getByTestId("forward-start"));
    expect(await screen.findByTestId("forward-error")).toHaveProperty("textContent", expect.stringContaining("port 80 on 127.0.0.1 is already in use"));
    expect(ipc.startForward).toHaveBeenCalledTimes(1);
  });
});
