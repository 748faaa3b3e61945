import { renderHook, waitFor } from "@testing-library/react";
import { beforeEach, describe, expect, it, vi } from "vitest";

import { useRestoreSavedForwards } from "./restore";

const ipc = vi.hoisted(() => ({ restoreSavedForwards: vi.fn() }));
vi.mock("../ipc/forward", () => ipc);

describe("useRestoreSavedForwards", () => {
  beforeEach(() => {
    ipc.restoreSavedForwards.mockReset();
  });

  it("waits for a reachable context, restores once, and opens the panel when something came back", async () => {
    ipc.restoreSavedForwards.mockResolvedValue({ restored: 1, failed: 1 });
    const open = vi.fn();
    const { rerender } = renderHook(({ ctx, ok }) => {
      useRestoreSavedForwards(ctx, ok, open);
    }, { initialProps: { ctx: "kind", ok: false } });
    expect(ipc.restoreSavedForwards).not.toHaveBeenCalled();
    rerender({ ctx: "kind", ok: true });
    await waitFor(() => {
      expect(open).toHaveBeenCalledTimes(1);
    });
    rerender({ ctx: "other", ok: true });
    rerender({ ctx: "kind", ok: true });
    await waitFor(() => {
      expect(ipc.restoreSavedForwards).toHaveBeenCalledTimes(2);
    });
    expect(ipc.restoreSavedForwards.mock.calls).toEqual([["kind"], ["other"]]);
  });

  it("leaves the panel closed when nothing was saved", async () => {
    const answer = Promise.resolve({ restored: 0, failed: 0 });
    ipc.restoreSavedForwards.mockReturnValue(answer);
    const open = vi.fn();
    renderHook(() => {
      useRestoreSavedForwards("kind", true, open);
    });
    await waitFor(() => {
      expect(ipc.restoreSavedForwards).toHaveBeenCalledTimes(1);
    });
    // The hook's handler was attached first, so it has run once this resumes.
    await answer;
    expect(open).not.toHaveBeenCalled();
  });
});
