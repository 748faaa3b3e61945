import { describe, expect, it } from "vitest";

import type { ForwardStatus } from "../bindings/ForwardStatus";
import { exposed, formatBytes, forwardsReducer, localUrl, parseLocalPort } from "./state";

function status(id: number, over: Partial<ForwardStatus> = {}): ForwardStatus {
  return {
    id,
    namespace: "ns",
    target: "svc/web",
    pod: "web-1",
    listeners: [{ local: "127.0.0.1:8080", remote: 8080, remoteName: null }],
    state: "active",
    reason: null,
    activeConnections: 0,
    totalConnections: 0,
    bytesSent: 0,
    bytesReceived: 0,
    ...over,
  };
}

describe("forwardsReducer", () => {
  it("adds, updates in place and drops stopped forwards", () => {
    let s = forwardsReducer([], { type: "status", status: status(2) });
    s = forwardsReducer(s, { type: "status", status: status(1) });
    expect(s.map((f) => f.id)).toEqual([1, 2]);
    s = forwardsReducer(s, { type: "status", status: status(2, { state: "reconnecting", reason: "pod gone" }) });
    expect(s[1]?.state).toBe("reconnecting");
    expect(s[1]?.reason).toBe("pod gone");
    s = forwardsReducer(s, { type: "status", status: status(1, { state: "stopped" }) });
    expect(s.map((f) => f.id)).toEqual([2]);
    expect(forwardsReducer(s, { type: "removed", id: 2 })).toEqual([]);
  });
});

describe("formatBytes", () => {
  it("uses binary units", () => {
    expect(formatBytes(0)).toBe("0 B");
    expect(formatBytes(1023)).toBe("1023 B");
    expect(formatBytes(1536)).toBe("1.5 KiB");
    expect(formatBytes(50 * 1024 * 1024)).toBe("50 MiB");
    expect(formatBytes(-1)).toBe("–");
  });
});

describe("parseLocalPort", () => {
  it("accepts empty, 0 and 1..65535 only", () => {
    expect(parseLocalPort("")).toEqual({ ok: true, port: null });
    expect(parseLocalPort("0")).toEqual({ ok: true, port: 0 });
    expect(parseLocalPort(" 8080 ")).toEqual({ ok: true, port: 8080 });
    expect(parseLocalPort("65536").ok).toBe(false);
    expect(parseLocalPort("80a").ok).toBe(false);
    expect(parseLocalPort("-1").ok).toBe(false);
  });
});

describe("addresses", () => {
  it("prefers the IPv4 loopback URL and flags non-loopback listeners", () => {
    const s = status(1, { listeners: [{ local: "[::1]:9000", remote: 80, remoteName: null }, { local: "127.0.0.1:9000", remote: 80, remoteName: null }] });
    expect(localUrl(s)).toBe("http://127.0.0.1:9000/");
    expect(exposed(s)).toBe(false);
    expect(exposed(status(2, { listeners: [{ local: "0.0.0.0:9000", remote: 80, remoteName: null }] }))).toBe(true);
  });
});
