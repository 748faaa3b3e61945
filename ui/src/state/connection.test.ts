import { describe, expect, it } from "vitest";

import type { ConnectionState } from "../bindings/ConnectionState";
import {
  CHECKING,
  checkFromError,
  connectionLabel,
  connectionText,
  connectionTone,
  connectionTooltip,
  failureTitle,
  isFailure,
} from "./connection";

const ALL_STATES: ConnectionState[] = [
  "reachable",
  "authFailed",
  "tlsError",
  "dnsError",
  "timeout",
  "unreachable",
  "error",
];

describe("connection labels", () => {
  it("names every state", () => {
    expect(ALL_STATES.map(connectionLabel)).toEqual([
      "reachable",
      "auth failed",
      "TLS error",
      "DNS error",
      "timeout",
      "unreachable",
      "error",
    ]);
    expect(connectionLabel("checking")).toBe("checking…");
  });

  it("gives each state a tone", () => {
    expect(connectionTone("checking")).toBe("busy");
    expect(connectionTone("reachable")).toBe("ok");
    expect(connectionTone("timeout")).toBe("warn");
    for (const s of ["authFailed", "tlsError", "dnsError", "unreachable", "error"] as const) {
      expect(connectionTone(s)).toBe("error");
    }
  });

  it("has a heading for every failure", () => {
    for (const s of ALL_STATES) expect(failureTitle(s)).not.toBe("");
  });
});

describe("connection text", () => {
  it("adds the server version when reachable", () => {
    const ok = { context: "a", state: "reachable", message: null, serverVersion: "v1.20.2" } as const;
    expect(connectionText(ok)).toBe("reachable · v1.20.2");
    expect(connectionText({ ...ok, serverVersion: null })).toBe("reachable");
    expect(connectionText(CHECKING)).toBe("checking…");
  });

  it("puts the version and the server's message in the tooltip", () => {
    expect(
      connectionTooltip({ context: "a", state: "reachable", message: null, serverVersion: "v1.20.2" }),
    ).toBe("Connection: reachable\nServer version: v1.20.2");
    expect(
      connectionTooltip({
        context: "a",
        state: "authFailed",
        message: "Unauthorized (401)",
        serverVersion: null,
      }),
    ).toBe("Connection: auth failed\nUnauthorized (401)");
    expect(connectionTooltip(CHECKING)).toBe("Checking the connection…");
  });

  it("tells failures from the rest", () => {
    expect(isFailure(CHECKING)).toBe(false);
    expect(isFailure({ context: "a", state: "reachable", message: null, serverVersion: null })).toBe(false);
    expect(isFailure({ context: "a", state: "timeout", message: null, serverVersion: null })).toBe(true);
  });

  it("turns a rejected check into an error result", () => {
    expect(checkFromError("a", { kind: "notFound", message: "no context a", detail: "x" })).toEqual({
      context: "a",
      state: "error",
      message: "no context a: x",
      serverVersion: null,
    });
    expect(checkFromError("a", { kind: "internal", message: "boom", detail: null }).message).toBe("boom");
  });
});
