import { describe, expect, it } from "vitest";

import type { ClusterInfo } from "../bindings/ClusterInfo";
import type { IpcError } from "../bindings/IpcError";
import type { PreflightFinding } from "../bindings/PreflightFinding";
import type { Step } from "../bindings/Step";
import { argsProblem, findingPlace, findingsAt, hasBlocking, parseArgs, portRowsToMappings } from "./advanced";
import type { Progress } from "./state";
import {
  clusterState,
  defaultForm,
  engineSummary,
  engineView,
  engineWhere,
  CUSTOM_VERSION,
  imageLabel,
  formToRequest,
  registryLabel,
  upgradeChoices,
  volumeProblem,
  nameProblem,
  progressReducer,
  shortNode,
  startProgress,
} from "./state";

describe("nameProblem", () => {
  it("accepts DNS-1123 labels up to 40 characters", () => {
    expect(nameProblem("dev")).toBeNull();
    expect(nameProblem("a1-b2")).toBeNull();
    expect(nameProblem("a".repeat(40))).toBeNull();
  });

  it("says what is wrong otherwise", () => {
    expect(nameProblem("")).toMatch(/Enter a name/);
    expect(nameProblem("a".repeat(41))).toMatch(/At most 40/);
    expect(nameProblem("Dev")).toMatch(/lowercase/);
    expect(nameProblem("my_cluster")).toMatch(/Only lowercase letters, digits/);
    expect(nameProblem("a.b")).toMatch(/Only lowercase letters, digits/);
    expect(nameProblem("-dev")).toMatch(/Start and end/);
    expect(nameProblem("dev-")).toMatch(/Start and end/);
    expect(nameProblem("dev", ["dev"])).toMatch(/exists/);
  });
});

describe("create form", () => {
  it("defaults to a request that works as it is", () => {
    const form = defaultForm([], true);
    expect(formToRequest(form)).toEqual({
      request: { name: "capstan", servers: 1, agents: 1, apiPort: null, makeCurrent: false, image: null, ports: [], serverArgs: [], agentArgs: [], imageTarball: null, airgapImages: null, k3sVersion: null, registry: null, volumes: [] },
    });
  });

  it("picks a free default name and makes current only without a current context", () => {
    const form = defaultForm(["capstan", "capstan-2"], false);
    expect(form.name).toBe("capstan-3");
    expect(form.makeCurrent).toBe(true);
  });

  it("passes a chosen API port and shape, trimmed", () => {
    const form = { ...defaultForm([], true), name: " ha ", servers: 3 as const, agents: 0, apiPort: " 16500 ", image: "rancher/k3s:v1.30.8-k3s1" };
    expect(formToRequest(form)).toEqual({
      request: {
        name: "ha",
        servers: 3,
        agents: 0,
        apiPort: 16500,
        makeCurrent: false,
        image: "rancher/k3s:v1.30.8-k3s1",
        ports: [], serverArgs: [], agentArgs: [], imageTarball: null, airgapImages: null, k3sVersion: null, registry: null, volumes: [],
      },
    });
  });

  it("reports every bad field at once", () => {
    const form = { ...defaultForm([], true), name: "Bad_Name", agents: 10, apiPort: "80" };
    const out = formToRequest(form);
    expect("errors" in out && Object.keys(out.errors).sort()).toEqual(["agents", "apiPort", "name"]);
    const word = formToRequest({ ...defaultForm([], true), apiPort: "http" });
    expect("errors" in word && word.errors.apiPort).toMatch(/blank for a free one/);
  });
});

function run(progress: Progress, steps: Step[]): Progress {
  return steps.reduce((p, step) => progressReducer(p, { type: "step", step }), progress);
}

const states = (p: Progress) => p.rows.map((r) => `${r.id}:${r.state}`);

describe("progressReducer", () => {
  const request = { name: "dev", servers: 1, agents: 2, apiPort: null, makeCurrent: false, image: null, ports: [], serverArgs: [], agentArgs: [], imageTarball: null, airgapImages: null, k3sVersion: null, registry: null, volumes: [] };

  it("lists every step up front, the first running", () => {
    const p = startProgress(request);
    expect(states(p)).toEqual([
      "image:running",
      "network:pending",
      "servers:pending",
      "agents:pending",
      "api:pending",
      "nodes:pending",
      "kubeconfig:pending",
    ]);
    expect(p.rows.find((r) => r.id === "nodes")?.label).toBe("3 nodes Ready");
    expect(states(startProgress({ ...request, agents: 0 }))).not.toContain("agents:pending");
  });

  it("marks steps done as they are reported and the next one running", () => {
    const p = run(startProgress(request), [
      { step: "pull", image: "k3s", skipped: true },
      { step: "network", name: "capstan-dev" },
      { step: "server", index: 1, of: 1 },
      { step: "agents", count: 2 },
      { step: "apiReady", port: 40000 },
      { step: "nodesReady", ready: 1, of: 3 },
    ]);
    expect(states(p)).toEqual([
      "image:done",
      "network:done",
      "servers:done",
      "agents:done",
      "api:done",
      "nodes:running",
      "kubeconfig:pending",
    ]);
    expect(p.rows.find((r) => r.id === "nodes")?.label).toBe("Nodes Ready: 1/3");
    expect(p.rows.find((r) => r.id === "api")?.label).toBe("API ready at https://127.0.0.1:40000");
  });

  it("keeps pre-flight warnings, once each, without moving a row", () => {
    const low = "inotify limits are low";
    const p = run(startProgress(request), [
      { step: "warning", message: "the engine uses cgroup v1" },
      { step: "warning", message: low },
      { step: "warning", message: low },
    ]);
    expect(p.warnings).toEqual(["the engine uses cgroup v1", low]);
    expect(states(p)).toEqual(states(startProgress(request)));
  });

  it("keeps HA servers running until the last one is up", () => {
    const p = run(startProgress({ ...request, servers: 3 }), [
      { step: "pull", image: "k3s", skipped: false },
      { step: "network", name: "n" },
      { step: "server", index: 2, of: 3 },
    ]);
    expect(p.rows.find((r) => r.id === "servers")).toMatchObject({ state: "running", label: "Server 2/3 up" });
  });

  it("shows the pull's bytes and layers on the image row, then what it did", () => {
    const image = "rancher/k3s:v1.31.4-k3s1";
    const MiB = 1024 * 1024;
    let p = run(startProgress(request), [
      {
        step: "pullProgress",
        image,
        layers: [
          { id: "aaaaaaaaaaaa", phase: "exists", current: 0, total: null },
          { id: "bbbbbbbbbbbb", phase: "downloading", current: 1 * MiB, total: 4 * MiB },
          { id: "cccccccccccc", phase: "waiting", current: 0, total: null },
        ],
        downloaded: MiB,
        total: null,
      },
    ]);
    expect(states(p).slice(0, 2)).toEqual(["image:running", "network:pending"]);
    expect(p.rows[0]?.label).toBe(`Pulling ${image}: 1.0 MiB, 1/3 layers`);
    expect(p.pull?.layers.map((l) => l.phase)).toEqual(["exists", "downloading", "waiting"]);

    p = run(p, [
      {
        step: "pullProgress",
        image,
        layers: [
          { id: "aaaaaaaaaaaa", phase: "exists", current: 0, total: null },
          { id: "bbbbbbbbbbbb", phase: "extracting", current: 2 * MiB, total: 4 * MiB },
          { id: "cccccccccccc", phase: "downloading", current: 2 * MiB, total: 4 * MiB },
        ],
        downloaded: 6 * MiB,
        total: 8 * MiB,
      },
    ]);
    expect(p.rows[0]).toMatchObject({ state: "running", label: `Pulling ${image}: 75% of 8.0 MiB, 1/3 layers` });

    const done = [
      { id: "aaaaaaaaaaaa", phase: "exists" as const, current: 0, total: null },
      { id: "bbbbbbbbbbbb", phase: "complete" as const, current: 4 * MiB, total: 4 * MiB },
      { id: "cccccccccccc", phase: "complete" as const, current: 4 * MiB, total: 4 * MiB },
    ];
    p = run(p, [
      { step: "pullProgress", image, layers: done, downloaded: 8 * MiB, total: 8 * MiB },
      { step: "pull", image, skipped: false },
    ]);
    expect(states(p).slice(0, 2)).toEqual(["image:done", "network:running"]);
    expect(p.rows[0]?.label).toBe(`Pulled ${image} (8.0 MiB, 3 layers, 1 already present)`);
    expect(p.pull?.layers).toEqual(done);
  });

  it("says only what was pulled when no progress came", () => {
    const p = run(startProgress(request), [{ step: "pull", image: "k3s", skipped: false }]);
    expect(p.rows[0]).toMatchObject({ state: "done", label: "Pulled k3s" });
    expect(p.pull).toBeNull();
  });

  it("fails the image row when the pull fails", () => {
    const p = progressReducer(
      run(startProgress(request), [
        { step: "pullProgress", image: "k3s", layers: [{ id: "b", phase: "downloading", current: 1, total: 2 }], downloaded: 1, total: 2 },
      ]),
      { type: "failed", error: { kind: "docker", message: "cannot pull the node image k3s (manifest unknown)", detail: null } },
    );
    expect(p.phase).toBe("failed");
    expect(p.rows[0]?.state).toBe("failed");
  });

  it("ends done with the result", () => {
    const created = { name: "dev", context: "capstan-dev", apiPort: 40000, kubeconfig: "/k", elapsedMs: 20000 };
    const p = progressReducer(run(startProgress(request), [{ step: "kubeconfig", context: "capstan-dev" }, { step: "done" }]), {
      type: "succeeded",
      created,
    });
    expect(p.phase).toBe("done");
    expect(p.created).toEqual(created);
    expect(p.rows.every((r) => r.state === "done")).toBe(true);
  });

  it("fails the running step on rollback and keeps the error", () => {
    const error: IpcError = { kind: "connection", message: "did not become ready", detail: "log" };
    let p = run(startProgress(request), [{ step: "pull", image: "k3s", skipped: true }, { step: "rollingBack" }]);
    expect(p.phase).toBe("rollingBack");
    expect(p.rows.find((r) => r.id === "network")?.state).toBe("failed");
    p = progressReducer(p, { type: "failed", error });
    expect(p.phase).toBe("failed");
    expect(p.error).toEqual(error);
  });

  it("ends cancelled, without an error, after Cancel", () => {
    let p = progressReducer(startProgress(request), { type: "cancel" });
    expect(p.phase).toBe("cancelling");
    p = progressReducer(p, { type: "failed", error: { kind: "docker", message: "cluster creation was cancelled", detail: null } });
    expect(p.phase).toBe("cancelled");
    expect(p.error).toBeNull();
  });
});

describe("engine and clusters", () => {
  it("treats a docker error as no engine, anything else as an error", () => {
    const noEngine: IpcError = { kind: "docker", message: "Docker is not running: start it or set DOCKER_HOST", detail: null };
    expect(engineView({ err: noEngine })).toEqual({ state: "absent", message: noEngine.message, detail: null });
    const other: IpcError = { kind: "internal", message: "x", detail: null };
    expect(engineView({ err: other }).state).toBe("error");
    const ok = { endpoint: { host: "unix:///var/run/docker.sock", source: "Docker" }, version: "27", os: "Linux", cpus: BigInt(2), memoryBytes: BigInt(1) };
    expect(engineView({ ok }).state).toBe("ready");
  });

  it("names the engine and where it was found", () => {
    const status = { endpoint: { host: "unix:///run/user/1000/podman/podman.sock", source: "Podman" }, version: "5.4", os: "Fedora", cpus: BigInt(4), memoryBytes: BigInt(8 * 1024 ** 3) };
    expect(engineSummary(status)).toBe("Podman 5.4 · Fedora · 4 CPUs · 8.0 GiB");
    expect(engineWhere(status)).toBe("unix:///run/user/1000/podman/podman.sock (Podman)");
    const docker = { ...status, endpoint: { host: "unix:///home/u/.docker/desktop/docker.sock", source: "docker context desktop-linux" } };
    expect(engineSummary(docker)).toMatch(/^Docker 5.4/);
  });

  it("derives a cluster state from its nodes", () => {
    const c = (...s: string[]): ClusterInfo => ({
      name: "dev",
      apiPort: 1,
      ports: [],
      version: null,
      registry: null,
      volumes: [],
      services: [],
      nodes: s.map((state, i) => ({ container: `capstan-dev-server-${i.toString()}`, role: "server", state })),
    });
    expect(clusterState(c("running", "running"))).toBe("running");
    expect(clusterState(c("exited", "created"))).toBe("stopped");
    expect(clusterState(c("running", "exited"))).toBe("degraded");
    expect(shortNode("dev", "capstan-dev-agent-0")).toBe("agent-0");
  });

  it("labels node images, the default and an override", () => {
    const listed = { image: "rancher/k3s:v1.34.6-k3s1", kubernetes: "1.34", version: "v1.34.6+k3s1", stable: true, latest: false };
    expect(imageLabel(listed, "rancher/k3s:v1.34.6-k3s1")).toBe("v1.34.6+k3s1 · Kubernetes 1.34 (stable, default)");
    expect(imageLabel({ ...listed, stable: false, latest: true }, "x")).toBe("v1.34.6+k3s1 · Kubernetes 1.34 (latest)");
    expect(imageLabel({ image: "local/k3s:1", kubernetes: "custom", version: "1", stable: false, latest: false }, "x")).toBe("custom: local/k3s:1");
  });
});

describe("advanced create options", () => {
  const base = () => defaultForm([], true);

  it("turns port rows into loopback mappings, blank rows ignored", () => {
    const form = {
      ...base(),
      ports: [
        { host: "8080", container: "80", protocol: "tcp" as const },
        { host: " 8443 ", container: "", protocol: "tcp" as const },
        { host: "", container: "", protocol: "tcp" as const },
        { host: "5353", container: "53", protocol: "udp" as const },
      ],
    };
    const out = formToRequest(form);
    expect("request" in out && out.request.ports).toEqual([
      { hostIp: "127.0.0.1", hostPort: 8080, containerPort: 80, protocol: "tcp" },
      { hostIp: "127.0.0.1", hostPort: 8443, containerPort: 8443, protocol: "tcp" },
      { hostIp: "127.0.0.1", hostPort: 5353, containerPort: 53, protocol: "udp" },
    ]);
  });

  it("reports bad, duplicate and API-port rows by index", () => {
    const rows = [
      { host: "8080", container: "80", protocol: "tcp" as const },
      { host: "0", container: "80", protocol: "tcp" as const },
      { host: "8081", container: "x", protocol: "tcp" as const },
      { host: "8080", container: "81", protocol: "tcp" as const },
      { host: "8080", container: "80", protocol: "udp" as const },
      { host: "16500", container: "80", protocol: "tcp" as const },
    ];
    const out = portRowsToMappings(rows, 16500);
    expect("problems" in out && out.problems).toEqual({
      1: "Host port: a number from 1 to 65535.",
      2: "Container port: a number from 1 to 65535, or blank for the same.",
      3: "Host port 8080/tcp is already mapped in row 1.",
      5: "Port 16500 is the API port: choose another.",
    });
    const form = formToRequest({ ...base(), apiPort: "16500", ports: rows });
    expect("errors" in form && Object.keys(form.errors.ports ?? {})).toEqual(["1", "2", "3", "5"]);
  });

  it("takes one k3s argument per line and refuses flags Capstan sets", () => {
    expect(parseArgs(" --disable=traefik \n\n--disable\nservicelb\n")).toEqual(["--disable=traefik", "--disable", "servicelb"]);
    const ok = formToRequest({ ...base(), serverArgs: "--disable=traefik", agentArgs: "--node-label=pool=a", imageTarball: " /tmp/k3s.tar ", airgapImages: "  " });
    expect("request" in ok && ok.request).toMatchObject({
      serverArgs: ["--disable=traefik"],
      agentArgs: ["--node-label=pool=a"],
      imageTarball: "/tmp/k3s.tar",
      // A blank path is no archive.
      airgapImages: null,
      k3sVersion: null,
      registry: null,
      volumes: [],
    });
    const airgap = formToRequest({ ...base(), airgapImages: " /srv/k3s-airgap-images-amd64.tar.zst " });
    expect("request" in airgap && airgap.request.airgapImages).toBe("/srv/k3s-airgap-images-amd64.tar.zst");
    expect(argsProblem(["--token=abc"])).toMatch(/--token is set by Capstan/);
    expect(argsProblem(["--tls-san=my.host"])).toBeNull();
    const bad = formToRequest({ ...base(), serverArgs: "--cluster-init", agentArgs: "--server\nhttps://x:6443" });
    expect("errors" in bad && bad.errors).toMatchObject({
      serverArgs: expect.stringMatching(/--cluster-init/) as unknown,
      agentArgs: expect.stringMatching(/--server/) as unknown,
    });
  });

  it("places pre-flight findings next to their fields, blocking first", () => {
    const findings: PreflightFinding[] = [
      { check: "inotify", severity: "warning", message: "low" },
      { check: "apiPort", severity: "blocking", message: "port 6443 in use" },
      { check: "ports", severity: "blocking", message: "port 8080 in use" },
      { check: "memory", severity: "blocking", message: "too little" },
      { check: "imageTarball", severity: "blocking", message: "cannot be read" },
    ];
    expect(findingsAt(findings, "imageTarball").map((f) => f.message)).toEqual(["cannot be read"]);
    expect(findingsAt(findings, "apiPort").map((f) => f.message)).toEqual(["port 6443 in use"]);
    expect(findingsAt(findings, "ports").map((f) => f.message)).toEqual(["port 8080 in use"]);
    expect(findingsAt(findings, "general").map((f) => f.message)).toEqual(["too little", "low"]);
    expect(findingPlace({ check: "inotify", severity: "warning", message: "low" })).toBe("general");
    expect(hasBlocking(findings.slice(0, 1))).toBe(false);
    expect(hasBlocking(findings)).toBe(true);
  });
});

describe("version, registry and host folders", () => {
  const base = () => defaultForm([], true);

  it("sends a typed k3s tag instead of the listed image", () => {
    const r = formToRequest({ ...base(), image: CUSTOM_VERSION, k3sVersion: " v1.33.5+k3s1 " });
    expect("request" in r && r.request.image === null && r.request.k3sVersion === "v1.33.5+k3s1").toBe(true);
    const bad = formToRequest({ ...base(), image: CUSTOM_VERSION, k3sVersion: "v1 33" });
    expect("errors" in bad && bad.errors.k3sVersion).toBeTruthy();
    const listed = formToRequest({ ...base(), image: "rancher/k3s:v1.34.6-k3s1", k3sVersion: "ignored" });
    expect("request" in listed && listed.request.k3sVersion === null && listed.request.image === "rancher/k3s:v1.34.6-k3s1").toBe(true);
  });

  it("asks for a registry with a port or a free one", () => {
    const none = formToRequest(base());
    expect("request" in none && none.request.registry === null).toBe(true);
    const own = formToRequest({ ...base(), registry: "own", registryPort: "5001" });
    expect("request" in own && own.request.registry).toEqual({ mode: "own", port: 5001, image: null });
    const shared = formToRequest({ ...base(), registry: "shared" });
    expect("request" in shared && shared.request.registry).toEqual({ mode: "shared", port: null, image: null });
    const low = formToRequest({ ...base(), registry: "own", registryPort: "80" });
    expect("errors" in low && low.errors.registryPort).toBeTruthy();
    const api = formToRequest({ ...base(), apiPort: "6550", registry: "own", registryPort: "6550" });
    expect("errors" in api && api.errors.registryPort).toContain("API port");
  });

  it("checks host folder lines before the round trip", () => {
    expect(volumeProblem("/srv/data:/data")).toBeNull();
    expect(volumeProblem("/srv/data:/data:ro@agent:*")).toBeNull();
    expect(volumeProblem("/a:/b@server:0;agent:1,2")).toBeNull();
    expect(volumeProblem("/srv/data")).toContain("HOST:NODE");
    expect(volumeProblem("data:/data")).toContain("absolute");
    expect(volumeProblem("/a:/b@pool")).toContain("nodes are");
    const r = formToRequest({ ...base(), volumes: "/srv/a:/a\n\n /srv/b:/b@server:0 " });
    expect("request" in r && r.request.volumes).toEqual(["/srv/a:/a", "/srv/b:/b@server:0"]);
    const bad = formToRequest({ ...base(), volumes: "/srv/a" });
    expect("errors" in bad && bad.errors.volumes).toBeTruthy();
  });

  it("offers newer listed versions for an upgrade and labels a registry", () => {
    const v = (version: string, kubernetes: string) => ({ image: `k3s:${version}`, kubernetes, version, stable: false, latest: false });
    const images = [v("v1.35.5+k3s1", "1.35"), v("v1.34.6+k3s1", "1.34"), v("v1.34.2+k3s1", "1.34"), v("v1.33.5+k3s1", "1.33")];
    expect(upgradeChoices(images, "v1.34.2+k3s1").map((i) => i.version)).toEqual(["v1.35.5+k3s1", "v1.34.6+k3s1"]);
    expect(upgradeChoices(images, "v1.35.5+k3s1")).toEqual([]);
    const c = { name: "dev", apiPort: 1, ports: [], nodes: [], version: null, registry: { mode: "shared", port: 5000, container: "capstan-registry" }, volumes: [], services: [] } as ClusterInfo;
    expect(registryLabel(c)).toBe("localhost:5000 (shared)");
    expect(registryLabel({ ...c, registry: null })).toBeNull();
  });
});
