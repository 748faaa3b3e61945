import { describe, expect, it } from "vitest";

import { columnTrack, DETAILS_BOUNDS, dragged, keyed } from "./resize";

describe("resize", () => {
  it("drags within bounds, in the direction that grows the panel", () => {
    // The details panel is on the right: dragging its left edge left (negative delta) widens it.
    expect(dragged(500, -100, -1, DETAILS_BOUNDS)).toBe(600);
    expect(dragged(500, 100, -1, DETAILS_BOUNDS)).toBe(400);
    expect(dragged(500, 10_000, -1, DETAILS_BOUNDS)).toBe(DETAILS_BOUNDS.min);
    expect(dragged(500, -10_000, -1, DETAILS_BOUNDS)).toBe(DETAILS_BOUNDS.max);
  });

  it("moves with the arrow keys, Shift for bigger steps, Home/End to the bounds", () => {
    expect(keyed(500, "ArrowLeft", false, -1, false, DETAILS_BOUNDS)).toBe(516);
    expect(keyed(500, "ArrowRight", true, -1, false, DETAILS_BOUNDS)).toBe(436);
    expect(keyed(300, "ArrowUp", false, -1, true, DETAILS_BOUNDS)).toBe(316);
    expect(keyed(500, "Home", false, -1, false, DETAILS_BOUNDS)).toBe(DETAILS_BOUNDS.min);
    expect(keyed(500, "x", false, -1, false, DETAILS_BOUNDS)).toBeNull();
  });

  it("uses a dragged column width, else the default track", () => {
    expect(columnTrack(120, false)).toBe("120px");
    expect(columnTrack(undefined, true)).toBe("minmax(180px, 2.5fr)");
    expect(columnTrack(undefined, false)).toBe("minmax(70px, 1fr)");
  });
});
