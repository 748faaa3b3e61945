import { fireEvent, render, screen, waitFor } from "@testing-library/react";
import { beforeEach, describe, expect, it, vi } from "vitest";

import type { Step } from "../bindings/Step";
import { LocalClusters } from "./LocalClusters";

const ipc = vi.hoisted(() => ({
  engineStatus: vi.fn(),
  localNodeImages: vi.fn(),
  listLocalClusters: vi.fn(),
  createLocalCluster: vi.fn(),
  cancelLocalCreate: vi.fn(),
  startLocalCluster: vi.fn(),
  stopLocalCluster: vi.fn(),
  deleteLocalCluster: vi.fn(),
}));
vi.mock("./ipc", () => ipc);

const props = { contexts: [], hasCurrentContext: true, onOpenContext: vi.fn(), onKubeconfigChanged: vi.fn() };

describe("LocalClusters", () => {
  beforeEach(() => {
    for (const f of Object.values(ipc)) f.mockReset();
    ipc.localNodeImages.mockResolvedValue({ default: "k3s:1", images: [{ image: "k3s:1", kubernetes: "1.31" }] });
  });

  it("shows what to do when no engine answers, and lists nothing", async () => {
    ipc.engineStatus.mockRejectedValue({ kind: "docker", message: "Docker is not running: start it or set DOCKER_HOST", detail: null });
    render(<LocalClusters {...props} />);
    const panel = await screen.findByTestId("local-no-engine");
    expect(panel.textContent).toMatch(/systemctl start docker/);
    expect(screen.queryByTestId("local-create")).toBeNull();
    expect(ipc.listLocalClusters).not.toHaveBeenCalled();
    // Checked again only on request, not in a loop.
    expect(ipc.engineStatus).toHaveBeenCalledTimes(1);
    fireEvent.click(screen.getByTestId("local-check-engine"));
    await waitFor(() => {
      expect(ipc.engineStatus).toHaveBeenCalledTimes(2);
    });
  });

  it("creates with the defaults, showing each step, then reports the context", async () => {
    ipc.engineStatus.mockResolvedValue({ version: "20.10", os: "Debian", cpus: 2, memoryBytes: 2 ** 31 });
    ipc.listLocalClusters.mockResolvedValue([]);
    let finish: (v: unknown) => void = () => undefined;
    ipc.createLocalCluster.mockImplementation((_req: unknown, onStep: (s: Step) => void) => {
      onStep({ step: "pull", image: "k3s", skipped: true });
      onStep({ step: "network", name: "capstan-capstan" });
      return new Promise((resolve) => {
        finish = resolve;
      });
    });
    render(<LocalClusters {...props} />);
    expect((await screen.findByTestId("local-engine")).textContent).toMatch(/Docker 20.10/);
    fireEvent.click(screen.getByTestId("local-create"));
    fireEvent.click(screen.getByTestId("local-create-submit"));
    expect(ipc.createLocalCluster.mock.calls[0]?.[0]).toEqual({
      name: "capstan",
      servers: 1,
      agents: 1,
      apiPort: null,
      makeCurrent: false,
      image: null,
    });
    const network = (await screen.findAllByTestId("local-step")).find((el) => el.dataset.step === "network");
    expect(network?.dataset.state).toBe("done");
    finish({ name: "capstan", context: "capstan-capstan", apiPort: 1, kubeconfig: "/k", elapsedMs: 1500 });
    expect((await screen.findByTestId("local-create-done")).textContent).toMatch(/capstan-capstan/);
    expect(props.onKubeconfigChanged).toHaveBeenCalled();
  });

  it("refuses an invalid name before calling the backend", async () => {
    ipc.engineStatus.mockResolvedValue({ version: "20.10", os: "Debian", cpus: 2, memoryBytes: 1 });
    ipc.listLocalClusters.mockResolvedValue([]);
    render(<LocalClusters {...props} />);
    fireEvent.click(await screen.findByTestId("local-create"));
    fireEvent.change(screen.getByTestId("local-name"), { target: { value: "My_Cluster" } });
    fireEvent.click(screen.getByTestId("local-create-submit"));
    expect((await screen.findByTestId("local-name-error")).textContent).toMatch(/lowercase/);
    expect(ipc.createLocalCluster).not.toHaveBeenCalled();
  });

  it("cancels a create under way and says everything was removed", async () => {
    ipc.engineStatus.mockResolvedValue({ version: "20.10", os: "Debian", cpus: 2, memoryBytes: 1 });
    ipc.listLocalClusters.mockResolvedValue([]);
    let reject: (e: unknown) => void = () => undefined;
    ipc.createLocalCluster.mockImplementation(
      () =>
        new Promise((_resolve, rej) => {
          reject = rej;
        }),
    );
    ipc.cancelLocalCreate.mockImplementation(() => {
      reject({ kind: "docker", message: "cluster creation was cancelled; everything created was removed", detail: null });
      return Promise.resolve(true);
    });
    render(<LocalClusters {...props} />);
    fireEvent.click(await screen.findByTestId("local-create"));
    fireEvent.click(screen.getByTestId("local-create-submit"));
    fireEvent.click(await screen.findByTestId("local-create-cancel"));
    expect(ipc.cancelLocalCreate).toHaveBeenCalledWith("capstan");
    expect((await screen.findByTestId("local-create-cancelled")).textContent).toMatch(/removed/);
    expect(screen.queryByTestId("local-create-error")).toBeNull();
  });
});
