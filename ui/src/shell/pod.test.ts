import { describe, expect, it } from "vitest";

import type { ContainerInfo } from "../bindings/ContainerInfo";
import { isContextTerminal, isPodTerminal } from "./opener";
import type { PodTerminalRequest } from "./opener";
import { DEFAULT_CONTAINER_ANNOTATION, defaultContainer, noShellOffer, podShortcut, shellContainers } from "./pod";
import { terminalTitle } from "./terminal";

function container(name: string, role = "app"): ContainerInfo {
  return { name, image: "img", role, ports: [], state: "Running", ready: true, restarts: 0, requests: {}, limits: {} };
}

const shell: PodTerminalRequest = { mode: "exec", context: "kind", namespace: "ns", pod: "web-1", container: "app" };

describe("pod terminals", () => {
  it("defaults to the annotation's container, else the first", () => {
    const names = shellContainers([container("setup", "init"), container("app"), container("sidecar")]);
    expect(names).toEqual(["app", "sidecar"]);
    expect(defaultContainer(names, {})).toBe("app");
    expect(defaultContainer(names, { [DEFAULT_CONTAINER_ANNOTATION]: "sidecar" })).toBe("sidecar");
    // An annotation naming no container of the pod is ignored.
    expect(defaultContainer(names, { [DEFAULT_CONTAINER_ANNOTATION]: "gone" })).toBe("app");
    expect(defaultContainer([], {})).toBeNull();
  });

  it("titles a tab pod/container", () => {
    expect(terminalTitle(shell)).toBe("web-1/app");
    expect(terminalTitle({ ...shell, container: null })).toBe("web-1");
    expect(terminalTitle({ ...shell, mode: "attach" })).toBe("attach: web-1/app");
    expect(terminalTitle({ ...shell, mode: "debug" })).toBe("debug: web-1/app");
  });

  it("tells a pod target from a context terminal", () => {
    expect(isPodTerminal(shell)).toBe(true);
    expect(isContextTerminal(shell)).toBe(false);
    expect(isContextTerminal({ context: "kind", namespace: null })).toBe(true);
  });

  it("maps k9s's keys on a selected pod", () => {
    expect(podShortcut("s", false)).toBe("exec");
    expect(podShortcut("a", false)).toBe("attach");
    expect(podShortcut("s", true)).toBeNull();
    expect(podShortcut("x", false)).toBeNull();
  });

  it("offers a debug container only when the image has no shell", () => {
    expect(noShellOffer(shell, "noShell")).toEqual({ ...shell, mode: "debug", image: "busybox:1.36" });
    expect(noShellOffer(shell, "auth")).toBeNull();
    expect(noShellOffer(shell, null)).toBeNull();
    expect(noShellOffer({ ...shell, mode: "debug" }, "noShell")).toBeNull();
  });
});
