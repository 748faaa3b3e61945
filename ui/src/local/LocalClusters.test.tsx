import { fireEvent, render, screen, waitFor } from "@testing-library/react";
import { beforeEach, describe, expect, it, vi } from "vitest";

import type { Step } from "../bindings/Step";
import { ShellOpenerContext } from "../shell/opener";
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
  addLocalAgent: vi.fn(),
  importLocalImage: vi.fn(),
  resetLocalCluster: vi.fn(),
  upgradeLocalCluster: vi.fn(),
  localPreflight: vi.fn(),
  pickArchive: vi.fn(),
}));
vi.mock("./ipc", () => ipc);

const endpoint = { host: "unix:///var/run/docker.sock", source: "Docker" };
const props = { contexts: [], hasCurrentContext: true, onOpenContext: vi.fn(), onKubeconfigChanged: vi.fn() };

describe("LocalClusters", () => {
  beforeEach(() => {
    for (const f of Object.values(ipc)) f.mockReset();
    ipc.localPreflight.mockResolvedValue([]);
    ipc.localNodeImages.mockResolvedValue({
      default: "k3s:1",
      images: [
        { image: "k3s:2", kubernetes: "1.35", version: "v1.35.5+k3s1", stable: false, latest: true },
        { image: "k3s:1", kubernetes: "1.34", version: "v1.34.6+k3s1", stable: true, latest: false },
      ],
    });
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
    ipc.engineStatus.mockResolvedValue({ endpoint, version: "20.10", os: "Debian", cpus: 2, memoryBytes: 2 ** 31 });
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
      ports: [],
      serverArgs: [],
      agentArgs: [],
      imageTarball: null,
      airgapImages: null,
      k3sVersion: null,
      registry: null,
      volumes: [],
    });
    const network = (await screen.findAllByTestId("local-step")).find((el) => el.dataset.step === "network");
    expect(network?.dataset.state).toBe("done");
    finish({ name: "capstan", context: "capstan-capstan", apiPort: 1, kubeconfig: "/k", elapsedMs: 1500 });
    expect((await screen.findByTestId("local-create-done")).textContent).toMatch(/capstan-capstan/);
    expect(props.onKubeconfigChanged).toHaveBeenCalled();
  });

  it("refuses an invalid name before calling the backend", async () => {
    ipc.engineStatus.mockResolvedValue({ endpoint, version: "20.10", os: "Debian", cpus: 2, memoryBytes: 1 });
    ipc.listLocalClusters.mockResolvedValue([]);
    render(<LocalClusters {...props} />);
    fireEvent.click(await screen.findByTestId("local-create"));
    fireEvent.change(screen.getByTestId("local-name"), { target: { value: "My_Cluster" } });
    fireEvent.click(screen.getByTestId("local-create-submit"));
    expect((await screen.findByTestId("local-name-error")).textContent).toMatch(/lowercase/);
    expect(ipc.createLocalCluster).not.toHaveBeenCalled();
  });

  it("shows pre-flight findings next to their fields and sends the advanced options", async () => {
    ipc.engineStatus.mockResolvedValue({ endpoint, version: "20.10", os: "Debian", cpus: 2, memoryBytes: 1 });
    ipc.listLocalClusters.mockResolvedValue([]);
    ipc.localPreflight.mockResolvedValue([
      { check: "apiPort", severity: "blocking", message: "port 16443 on 127.0.0.1 is already in use" },
      { check: "inotify", severity: "warning", message: "inotify limits are low" },
    ]);
    ipc.createLocalCluster.mockImplementation(() => new Promise(() => undefined));
    render(<LocalClusters {...props} />);
    fireEvent.click(await screen.findByTestId("local-create"));
    fireEvent.change(screen.getByTestId("local-api-port"), { target: { value: "16443" } });
    const finding = await screen.findByTestId("local-api-port-finding", {}, { timeout: 3000 });
    expect(finding.textContent).toMatch(/16443/);
    expect(finding.dataset.severity).toBe("blocking");
    expect((await screen.findByTestId("local-preflight-finding")).textContent).toMatch(/inotify/);
    expect(ipc.localPreflight).toHaveBeenLastCalledWith(expect.objectContaining({ apiPort: 16443 }));

    fireEvent.click(screen.getByTestId("local-advanced-toggle"));
    fireEvent.click(screen.getByTestId("local-port-add"));
    fireEvent.change(screen.getByTestId("local-port-host"), { target: { value: "8080" } });
    fireEvent.change(screen.getByTestId("local-port-container"), { target: { value: "80" } });
    fireEvent.change(screen.getByTestId("local-agent-args"), { target: { value: "--node-label=pool=a" } });
    fireEvent.click(screen.getByTestId("local-create-submit"));
    expect(ipc.createLocalCluster.mock.calls[0]?.[0]).toMatchObject({
      ports: [{ hostIp: "127.0.0.1", hostPort: 8080, containerPort: 80, protocol: "tcp" }],
      agentArgs: ["--node-label=pool=a"],
    });
  });

  it("fills the archive fields from the file dialog, keeps them when it is cancelled, and says why it failed", async () => {
    ipc.engineStatus.mockResolvedValue({ endpoint, version: "20.10", os: "Debian", cpus: 2, memoryBytes: 1 });
    ipc.listLocalClusters.mockResolvedValue([]);
    ipc.localPreflight.mockResolvedValue([]);
    ipc.createLocalCluster.mockImplementation(() => new Promise(() => undefined));
    ipc.pickArchive.mockImplementation((kind: string) =>
      Promise.resolve(kind === "airgapImages" ? "/srv/k3s-airgap-images-amd64.tar.zst" : "/srv/k3s.tar"),
    );
    render(<LocalClusters {...props} />);
    fireEvent.click(await screen.findByTestId("local-create"));
    fireEvent.click(screen.getByTestId("local-advanced-toggle"));
    fireEvent.click(screen.getByTestId("local-airgap-images-browse"));
    await waitFor(() => {
      expect(screen.getByTestId<HTMLInputElement>("local-airgap-images").value).toBe("/srv/k3s-airgap-images-amd64.tar.zst");
    });
    fireEvent.click(screen.getByTestId("local-image-tarball-browse"));
    await waitFor(() => {
      expect(screen.getByTestId<HTMLInputElement>("local-image-tarball").value).toBe("/srv/k3s.tar");
    });
    expect(ipc.pickArchive.mock.calls.map((c: unknown[]) => c[0])).toEqual(["airgapImages", "nodeImage"]);

    // Cancelled: null, and the field keeps its path.
    ipc.pickArchive.mockResolvedValue(null);
    fireEvent.click(screen.getByTestId("local-image-tarball-browse"));
    await waitFor(() => {
      expect(ipc.pickArchive).toHaveBeenCalledTimes(3);
    });
    expect(screen.getByTestId<HTMLInputElement>("local-image-tarball").value).toBe("/srv/k3s.tar");
    ipc.pickArchive.mockRejectedValue({ kind: "io", message: "the chosen file has no local path", detail: null });
    fireEvent.click(screen.getByTestId("local-airgap-images-browse"));
    expect((await screen.findByTestId("local-airgap-images-pick-error")).textContent).toMatch(/no local path/);

    fireEvent.click(screen.getByTestId("local-create-submit"));
    expect(ipc.createLocalCluster.mock.calls[0]?.[0]).toMatchObject({
      imageTarball: "/srv/k3s.tar",
      airgapImages: "/srv/k3s-airgap-images-amd64.tar.zst",
    });
  });

  it("keeps a bad port row from being sent", async () => {
    ipc.engineStatus.mockResolvedValue({ endpoint, version: "20.10", os: "Debian", cpus: 2, memoryBytes: 1 });
    ipc.listLocalClusters.mockResolvedValue([]);
    render(<LocalClusters {...props} />);
    fireEvent.click(await screen.findByTestId("local-create"));
    fireEvent.click(screen.getByTestId("local-advanced-toggle"));
    fireEvent.click(screen.getByTestId("local-port-add"));
    fireEvent.change(screen.getByTestId("local-port-host"), { target: { value: "70000" } });
    fireEvent.click(screen.getByTestId("local-create-submit"));
    expect((await screen.findByTestId("local-port-error")).textContent).toMatch(/1 to 65535/);
    expect(ipc.createLocalCluster).not.toHaveBeenCalled();
  });

  it("cancels a create under way and says everything was removed", async () => {
    ipc.engineStatus.mockResolvedValue({ endpoint, version: "20.10", os: "Debian", cpus: 2, memoryBytes: 1 });
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

  it("adds a node and imports an image into a running cluster", async () => {
    ipc.engineStatus.mockResolvedValue({ endpoint, version: "20.10", os: "Debian", cpus: 2, memoryBytes: 2 ** 31 });
    const node = (n: string) => ({ container: `capstan-dev-${n}`, role: n.startsWith("agent") ? "agent" : "server", state: "running" });
    let nodes = [node("server-0"), node("agent-0")];
    ipc.listLocalClusters.mockImplementation(() => Promise.resolve([{ name: "dev", apiPort: 6550, ports: [], version: null, registry: null, volumes: [], services: [], nodes }]));
    let added: (name: string) => void = () => undefined;
    ipc.addLocalAgent.mockImplementation(
      () =>
        new Promise<string>((resolve) => {
          added = resolve;
        }),
    );
    render(<LocalClusters {...props} />);
    fireEvent.click(await screen.findByTestId("local-add-node"));
    // Busy until the node is Ready; the other actions wait.
    await waitFor(() => {
      expect(screen.getByTestId("local-cluster").textContent).toContain("adding a node");
    });
    expect(screen.getByTestId<HTMLButtonElement>("local-stop").disabled).toBe(true);
    expect(ipc.addLocalAgent).toHaveBeenCalledWith("dev");
    nodes = [...nodes, node("agent-1")];
    added("capstan-dev-agent-1");
    await waitFor(() => {
      expect(screen.getAllByTestId("local-node")).toHaveLength(3);
    });

    ipc.importLocalImage.mockResolvedValue(nodes.map((n) => n.container));
    fireEvent.click(screen.getByTestId("local-import"));
    const ok = screen.getByTestId<HTMLButtonElement>("local-import-ok");
    expect(ok.disabled).toBe(true);
    fireEvent.change(screen.getByTestId("local-import-image"), { target: { value: " myapp:dev " } });
    fireEvent.click(ok);
    expect((await screen.findByTestId("local-import-done")).textContent).toBe("myapp:dev is on server-0, agent-0, agent-1.");
    expect(ipc.importLocalImage).toHaveBeenCalledWith("dev", " myapp:dev ");
  });

  it("shows why an import failed", async () => {
    ipc.engineStatus.mockResolvedValue({ endpoint, version: "20.10", os: "Debian", cpus: 2, memoryBytes: 2 ** 31 });
    ipc.listLocalClusters.mockResolvedValue([
      { name: "dev", apiPort: 6550, ports: [], version: "v1.34.6+k3s1", registry: null, volumes: [], services: [], nodes: [{ container: "capstan-dev-server-0", role: "server", state: "running" }] },
    ]);
    ipc.importLocalImage.mockRejectedValue({ kind: "docker", message: "no image myapp:dev in the engine: build or pull it first", detail: null });
    render(<LocalClusters {...props} />);
    fireEvent.click(await screen.findByTestId("local-import"));
    fireEvent.change(screen.getByTestId("local-import-image"), { target: { value: "myapp:dev" } });
    fireEvent.click(screen.getByTestId("local-import-ok"));
    expect((await screen.findByTestId("local-import-error")).textContent).toContain("build or pull it first");
  });
  it("opens a shell in the node whose chip is clicked, and only in running nodes", async () => {
    ipc.engineStatus.mockResolvedValue({ endpoint, version: "20.10", os: "Debian", cpus: 2, memoryBytes: 2 ** 31 });
    ipc.listLocalClusters.mockResolvedValue([
      {
        name: "dev",
        apiPort: 6550,
        ports: [],
        version: "v1.34.6+k3s1",
        registry: { mode: "own", port: 5001, container: "capstan-dev-registry" },
        volumes: [{ host: "/srv/data", node: "/data", readOnly: true, nodes: "server:0" }],
        services: [],
        nodes: [
          { container: "capstan-dev-server-0", role: "server", state: "running" },
          { container: "capstan-dev-agent-0", role: "agent", state: "running" },
          { container: "capstan-dev-agent-1", role: "agent", state: "exited" },
        ],
      },
    ]);
    const openShell = vi.fn();
    render(
      <ShellOpenerContext.Provider value={openShell}>
        <LocalClusters {...props} />
      </ShellOpenerContext.Provider>,
    );
    await waitFor(() => {
      expect(screen.getAllByTestId("local-node")).toHaveLength(3);
    });
    const chip = (name: string) => screen.getByTitle(new RegExp(name));
    fireEvent.click(chip("capstan-dev-agent-0"));
    expect(openShell).toHaveBeenLastCalledWith({ cluster: "dev", node: "capstan-dev-agent-0" });
    expect(chip("capstan-dev-server-0").tagName).toBe("BUTTON");
    // A stopped node has nothing to exec into: its chip is not a button.
    expect(chip("capstan-dev-agent-1").tagName).toBe("SPAN");
    fireEvent.click(chip("capstan-dev-agent-1"));
    expect(openShell).toHaveBeenCalledTimes(1);
  });

  it("lists version, registry and folders, and resets or upgrades after confirming", async () => {
    ipc.engineStatus.mockResolvedValue({ endpoint, version: "20.10", os: "Debian", cpus: 2, memoryBytes: 2 ** 31 });
    ipc.listLocalClusters.mockResolvedValue([
      {
        name: "dev",
        apiPort: 6550,
        ports: [],
        version: "v1.34.6+k3s1",
        registry: { mode: "shared", port: 5000, container: "capstan-registry" },
        volumes: [{ host: "/srv/data", node: "/data", readOnly: true, nodes: "server:0" }],
        services: [],
        nodes: [{ container: "capstan-dev-server-0", role: "server", state: "running" }],
      },
    ]);
    ipc.resetLocalCluster.mockResolvedValue({ name: "dev", context: "capstan-dev", apiPort: 6550, kubeconfig: "/k", elapsedMs: 1 });
    ipc.upgradeLocalCluster.mockResolvedValue("v1.35.5+k3s1");
    render(<LocalClusters {...props} />);
    expect((await screen.findByTestId("local-version")).textContent).toBe("v1.34.6+k3s1");
    expect(screen.getByTestId("local-registry").textContent).toContain("localhost:5000 (shared)");
    expect(screen.getByTestId("local-volume").textContent).toContain("/srv/data → /data (read-only)");

    fireEvent.click(screen.getByTestId("local-reset"));
    expect(ipc.resetLocalCluster).not.toHaveBeenCalled();
    fireEvent.click(await screen.findByTestId("confirm-ok"));
    await waitFor(() => {
      expect(ipc.resetLocalCluster).toHaveBeenCalledWith("dev");
    });

    await waitFor(() => {
      expect(screen.getByTestId("local-upgrade").hasAttribute("disabled")).toBe(false);
    });
    fireEvent.click(screen.getByTestId("local-upgrade"));
    // Only the newer listed version is offered, with the warning.
    const select = await screen.findByTestId<HTMLSelectElement>("local-upgrade-version");
    expect([...select.options].map((o) => o.value)).toEqual(["v1.35.5+k3s1"]);
    expect(screen.getByTestId("local-upgrade-dialog").textContent).toMatch(/old ones are put back/);
    fireEvent.click(screen.getByTestId("local-upgrade-ok"));
    await waitFor(() => {
      expect(ipc.upgradeLocalCluster).toHaveBeenCalledWith("dev", "v1.35.5+k3s1");
    });
  });
});
