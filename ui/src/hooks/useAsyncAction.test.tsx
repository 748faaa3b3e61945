import { act, renderHook } from "@testing-library/react";
import { describe, expect, it } from "vitest";

import { useAsyncAction } from "./useAsyncAction";

function deferred<T>() {
  let resolve!: (v: T) => void;
  let reject!: (e: unknown) => void;
  const promise = new Promise<T>((res, rej) => {
    resolve = res;
    reject = rej;
  });
  return { promise, resolve, reject };
}

describe("useAsyncAction", () => {
  it("is busy while the action runs and hands back its value", async () => {
    const d = deferred<number>();
    const { result } = renderHook(() => useAsyncAction((n: number) => d.promise.then((v) => v + n)));
    let outcome: Promise<unknown> = Promise.resolve();
    act(() => {
      outcome = result.current.run(1);
    });
    expect(result.current.busy).toBe(true);
    await act(async () => {
      d.resolve(41);
      await outcome;
    });
    expect(await outcome).toEqual({ ok: true, value: 42 });
    expect(result.current.busy).toBe(false);
    expect(result.current.error).toBeNull();
  });

  it("keeps a failure as an IpcError and clears it on the next run", async () => {
    let fail = true;
    const { result } = renderHook(() =>
      useAsyncAction(() =>
        fail
          ? // eslint-disable-next-line @typescript-eslint/prefer-promise-reject-errors -- the backend rejects with plain IpcError objects
            Promise.reject({ kind: "conflict", message: "changed meanwhile", detail: null }) : Promise.resolve("ok"),
      ),
    );
    let outcome: unknown;
    await act(async () => {
      outcome = await result.current.run();
    });
    expect(outcome).toMatchObject({ ok: false, error: { kind: "conflict" } });
    expect(result.current.error).toEqual({ kind: "conflict", message: "changed meanwhile", detail: null });
    expect(result.current.busy).toBe(false);

    fail = false;
    await act(async () => {
      outcome = await result.current.run();
    });
    expect(outcome).toEqual({ ok: true, value: "ok" });
    expect(result.current.error).toBeNull();
  });

  it("refuses a second run while one is under way", async () => {
    const d = deferred<string>();
    let calls = 0;
    const { result } = renderHook(() =>
      useAsyncAction(() => {
        calls++;
        return d.promise;
      }),
    );
    let first: Promise<unknown> = Promise.resolve();
    let second: unknown;
    await act(async () => {
      first = result.current.run();
      second = await result.current.run();
    });
    expect(second).toMatchObject({ ok: false });
    expect(calls).toBe(1);
    await act(async () => {
      d.resolve("done");
      await first;
    });
    expect(await first).toEqual({ ok: true, value: "done" });
  });

  it("drops an answer that comes after unmount", async () => {
    const d = deferred<string>();
    const { result, unmount } = renderHook(() => useAsyncAction(() => d.promise));
    let outcome: Promise<unknown> = Promise.resolve();
    act(() => {
      outcome = result.current.run();
    });
    unmount();
    d.reject(new Error("late"));
    // No state update on an unmounted component; the caller still learns the outcome.
    expect(await outcome).toMatchObject({ ok: false });
  });
});
