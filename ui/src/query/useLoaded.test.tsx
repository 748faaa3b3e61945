import { act, renderHook, waitFor } from "@testing-library/react";
import { describe, expect, it, vi } from "vitest";

import { invalidateObject, useLoaded } from "./useLoaded";

describe("useLoaded", () => {
  it("is loading, then holds the value", async () => {
    const load = vi.fn(() => Promise.resolve("yaml"));
    const { result } = renderHook(() => useLoaded(["object", "ctx", "a", "yaml"], load));
    expect(result.current.status).toBe("loading");
    await waitFor(() => {
      expect(result.current).toMatchObject({ status: "ok", value: "yaml" });
    });
    expect(load).toHaveBeenCalledTimes(1);
  });

  it("gives a rejection as an IpcError", async () => {
    const { result } = renderHook(() =>
      useLoaded(["object", "ctx", "a", "details"], () =>
        // eslint-disable-next-line @typescript-eslint/prefer-promise-reject-errors -- the backend rejects with plain IpcError objects
        Promise.reject({ kind: "notFound", message: "pods \"a\" not found", detail: null }),
      ),
    );
    await waitFor(() => {
      expect(result.current).toMatchObject({ status: "error", error: { kind: "notFound" } });
    });
  });

  it("fetches again when the revision changes, keeping the value shown meanwhile", async () => {
    let n = 0;
    let release: () => void = () => undefined;
    const load = vi.fn(() => {
      n++;
      if (n === 1) return Promise.resolve("v1");
      return new Promise<string>((resolve) => {
        release = () => {
          resolve(`v${String(n)}`);
        };
      });
    });
    const { result, rerender } = renderHook(({ revision }) => useLoaded(["object", "ctx", "a", "summary"], load, revision), {
      initialProps: { revision: 1 },
    });
    await waitFor(() => {
      expect(result.current).toMatchObject({ status: "ok", value: "v1" });
    });
    rerender({ revision: 1 });
    expect(load).toHaveBeenCalledTimes(1);
    rerender({ revision: 2 });
    await waitFor(() => {
      expect(load).toHaveBeenCalledTimes(2);
    });
    expect(result.current).toMatchObject({ status: "ok", value: "v1" });
    act(() => {
      release();
    });
    await waitFor(() => {
      expect(result.current).toMatchObject({ status: "ok", value: "v2" });
    });
  });

  it("shows loading for a new key, and the cached value when a key comes back", async () => {
    const load = vi.fn((name: string) => Promise.resolve(`yaml of ${name}`));
    const { result, rerender } = renderHook(({ name }) => useLoaded(["object", "ctx", name, "yaml"], () => load(name)), {
      initialProps: { name: "a" },
    });
    await waitFor(() => {
      expect(result.current).toMatchObject({ value: "yaml of a" });
    });
    rerender({ name: "b" });
    expect(result.current.status).toBe("loading");
    await waitFor(() => {
      expect(result.current).toMatchObject({ value: "yaml of b" });
    });
    rerender({ name: "a" });
    expect(result.current).toMatchObject({ status: "ok", value: "yaml of a" });
  });

  it("reloads every part of an object when it is invalidated, and nothing of other objects", async () => {
    const yaml = vi.fn(() => Promise.resolve("y"));
    const events = vi.fn(() => Promise.resolve("e"));
    const other = vi.fn(() => Promise.resolve("o"));
    renderHook(() => {
      useLoaded(["object", "ctx", "a", "yaml"], yaml);
      useLoaded(["object", "ctx", "a", "events"], events);
      useLoaded(["object", "ctx", "b", "yaml"], other);
    });
    await waitFor(() => {
      expect(other).toHaveBeenCalledTimes(1);
    });
    act(() => {
      invalidateObject("ctx", "a");
    });
    await waitFor(() => {
      expect(events).toHaveBeenCalledTimes(2);
    });
    expect(yaml).toHaveBeenCalledTimes(2);
    expect(other).toHaveBeenCalledTimes(1);
  });
});
