import { describe, expect, it } from "vitest";

import { errorTitle, isIpcError, toIpcError } from "./errors";

describe("toIpcError", () => {
  it("passes a structured backend error through", () => {
    const err = { kind: "kubeconfig", message: "bad yaml", detail: "line 3" };
    expect(toIpcError(err)).toEqual(err);
  });

  it("keeps a null detail", () => {
    expect(toIpcError({ kind: "io", message: "denied", detail: null })).toEqual({
      kind: "io",
      message: "denied",
      detail: null,
    });
  });

  it("treats a missing detail as null", () => {
    expect(toIpcError({ kind: "auth", message: "expired token" })).toEqual({
      kind: "auth",
      message: "expired token",
      detail: null,
    });
  });

  it("drops extra fields", () => {
    expect(toIpcError({ kind: "tls", message: "m", detail: "d", extra: 1 })).toEqual({
      kind: "tls",
      message: "m",
      detail: "d",
    });
  });

  it("wraps a plain string (what Tauri rejects with for unknown commands)", () => {
    expect(toIpcError("command list_contexts not allowed by ACL")).toEqual({
      kind: "internal",
      message: "command list_contexts not allowed by ACL",
      detail: null,
    });
  });

  it("wraps an Error with its message", () => {
    expect(toIpcError(new TypeError("x is undefined"))).toEqual({
      kind: "internal",
      message: "x is undefined",
      detail: null,
    });
  });

  it("wraps an unknown kind as internal", () => {
    const err = toIpcError({ kind: "weird", message: "m", detail: null });
    expect(err.kind).toBe("internal");
    expect(err.message).toContain("weird");
  });

  it("wraps values that are not objects", () => {
    expect(toIpcError(undefined)).toEqual({ kind: "internal", message: "undefined", detail: null });
    expect(toIpcError(null)).toEqual({ kind: "internal", message: "null", detail: null });
    expect(toIpcError(42).message).toBe("42");
  });

  it("never yields [object Object]", () => {
    expect(toIpcError({}).message).toBe("{}");
    expect(toIpcError({ code: 7 }).message).toBe('{"code":7}');
  });

  it("rejects a non-string detail", () => {
    expect(isIpcError({ kind: "io", message: "m", detail: 5 })).toBe(false);
  });
});

describe("errorTitle", () => {
  it("names the kubeconfig failure", () => {
    expect(errorTitle("kubeconfig")).toBe("Kubeconfig could not be read");
    expect(errorTitle("internal")).toBe("Something went wrong");
  });
});
