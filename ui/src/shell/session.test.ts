import { describe, expect, it } from "vitest";

import { canReconnect, INITIAL_SESSION, sessionReducer, statusText } from "./session";

describe("terminal session state", () => {
  it("runs once opened, then shows the exit code and offers a reconnect", () => {
    let s = INITIAL_SESSION;
    expect(statusText(s)).toBe("Connecting…");
    expect(canReconnect(s)).toBe(false);
    s = sessionReducer(s, { type: "opened", generation: 0, id: 4 });
    expect(s.status).toEqual({ kind: "running", id: 4 });
    expect(statusText(s)).toBeNull();
    s = sessionReducer(s, { type: "exited", generation: 0, code: 3 });
    expect(statusText(s)).toBe("Exited with code 3");
    expect(canReconnect(s)).toBe(true);
  });

  it("keeps an exit that came before the opener resolved", () => {
    let s = sessionReducer(INITIAL_SESSION, { type: "exited", generation: 0, code: 0 });
    s = sessionReducer(s, { type: "opened", generation: 0, id: 1 });
    expect(s.status).toEqual({ kind: "exited", code: 0 });
  });

  it("a reconnect starts a fresh generation and ignores the old one's messages", () => {
    let s = sessionReducer(INITIAL_SESSION, { type: "opened", generation: 0, id: 1 });
    s = sessionReducer(s, { type: "streamError", generation: 0, message: "connection lost" });
    s = sessionReducer(s, { type: "exited", generation: 0, code: null });
    expect(statusText(s)).toBe("Exited (connection lost)");
    s = sessionReducer(s, { type: "reconnect" });
    expect(s).toEqual({ generation: 1, status: { kind: "connecting" }, streamError: null });
    s = sessionReducer(s, { type: "exited", generation: 0, code: 9 });
    expect(s.status.kind).toBe("connecting");
    s = sessionReducer(s, { type: "opened", generation: 1, id: 2 });
    expect(s.status).toEqual({ kind: "running", id: 2 });
  });

  it("a failed open says why and can be retried", () => {
    const s = sessionReducer(INITIAL_SESSION, { type: "failed", generation: 0, message: "Not found: no context x" });
    expect(statusText(s)).toBe("Not found: no context x");
    expect(canReconnect(s)).toBe(true);
  });
});
