import { describe, expect, it } from "vitest";

import type { ChartInput } from "../bindings/ChartInput";
import { chartButton, coalesce, FrameLoop, pointerButton, wheel } from "./input";

const at = { left: 10, top: 20 };

describe("mapping", () => {
  it("left pans, right or Shift+left draws a zoom box, side buttons are left alone", () => {
    expect(chartButton(0, false)).toBe("primary");
    expect(chartButton(0, true)).toBe("secondary");
    expect(chartButton(2, false)).toBe("secondary");
    expect(chartButton(1, false)).toBe("middle");
    expect(chartButton(3, false)).toBeNull();
    expect(pointerButton("pointerDown", { clientX: 3, clientY: 4, button: 4, shiftKey: false }, at)).toBeNull();
  });

  it("positions are relative to the chart", () => {
    expect(pointerButton("pointerUp", { clientX: 110, clientY: 70, button: 0, shiftKey: false }, at)).toEqual({
      type: "pointerUp",
      x: 100,
      y: 50,
      button: "primary",
    });
  });

  it("wheel turns in lines or pages become pixels", () => {
    expect(wheel({ clientX: 10, clientY: 20, deltaY: 3, deltaMode: 1 }, at, 800)).toEqual({
      type: "wheel",
      x: 0,
      y: 0,
      deltaY: 48,
    });
    expect(wheel({ clientX: 10, clientY: 20, deltaY: 1, deltaMode: 2 }, at, 800)).toMatchObject({ deltaY: 800 });
    expect(wheel({ clientX: 10, clientY: 20, deltaY: -120, deltaMode: 0 }, at, 800)).toMatchObject({ deltaY: -120 });
  });
});

describe("coalesce", () => {
  it("keeps the last of consecutive moves and sums consecutive wheels, in order otherwise", () => {
    const queue: ChartInput[] = [];
    coalesce(queue, { type: "pointerMove", x: 1, y: 1 });
    coalesce(queue, { type: "pointerMove", x: 2, y: 2 });
    coalesce(queue, { type: "pointerDown", x: 2, y: 2, button: "primary" });
    coalesce(queue, { type: "pointerMove", x: 3, y: 3 });
    coalesce(queue, { type: "pointerMove", x: 4, y: 4 });
    coalesce(queue, { type: "wheel", x: 4, y: 4, deltaY: 10 });
    coalesce(queue, { type: "wheel", x: 5, y: 5, deltaY: 15 });
    coalesce(queue, { type: "pointerLeave" });
    expect(queue).toEqual([
      { type: "pointerMove", x: 2, y: 2 },
      { type: "pointerDown", x: 2, y: 2, button: "primary" },
      { type: "pointerMove", x: 4, y: 4 },
      { type: "wheel", x: 5, y: 5, deltaY: 25 },
      { type: "pointerLeave" },
    ]);
  });
});

/** Animation frames run only when the test says so. */
function fakeFrames() {
  const pending = new Map<number, () => void>();
  let next = 0;
  return {
    requestFrame: (run: () => void) => {
      next += 1;
      pending.set(next, run);
      return next;
    },
    cancelFrame: (handle: number) => {
      pending.delete(handle);
    },
    pending: () => pending.size,
    flush: () => {
      const runs = [...pending.values()];
      pending.clear();
      runs.forEach((run) => {
        run();
      });
    },
  };
}

describe("FrameLoop", () => {
  it("draws at most once per animation frame and never two frames at once", async () => {
    const frames = fakeFrames();
    const drawn: ChartInput[][] = [];
    let finish: () => void = () => undefined;
    const loop = new FrameLoop({
      ...frames,
      render: (input) => {
        drawn.push(input);
        return new Promise<void>((resolve) => {
          finish = resolve;
        });
      },
    });
    loop.redraw();
    loop.push({ type: "pointerMove", x: 1, y: 1 });
    loop.push({ type: "pointerMove", x: 2, y: 2 });
    expect(frames.pending()).toBe(1);
    frames.flush();
    expect(drawn).toEqual([[{ type: "pointerMove", x: 2, y: 2 }]]);

    // While that frame is drawn, input waits and no frame is asked for.
    loop.push({ type: "pointerLeave" });
    expect(frames.pending()).toBe(0);
    finish();
    await Promise.resolve();
    await Promise.resolve();
    expect(frames.pending()).toBe(1);
    frames.flush();
    expect(drawn).toEqual([[{ type: "pointerMove", x: 2, y: 2 }], [{ type: "pointerLeave" }]]);
    finish();
    await Promise.resolve();
    await Promise.resolve();
    expect(frames.pending()).toBe(0);
  });

  it("a redraw without input still draws, and stop cancels what is pending", () => {
    const frames = fakeFrames();
    const drawn: ChartInput[][] = [];
    const loop = new FrameLoop({
      ...frames,
      render: (input) => {
        drawn.push(input);
        return Promise.resolve();
      },
    });
    loop.redraw();
    frames.flush();
    expect(drawn).toEqual([[]]);
    loop.push({ type: "pointerLeave" });
    loop.stop();
    expect(frames.pending()).toBe(0);
    loop.push({ type: "pointerLeave" });
    expect(frames.pending()).toBe(0);
  });
});
