import { describe, expect, it } from "vitest";

import { formatAge, formatRestarts, humanDuration } from "./age";

const s = 1000;
const m = 60 * s;
const h = 60 * m;
const d = 24 * h;

describe("humanDuration", () => {
  it.each([
    [0, "0s"],
    [45 * s, "45s"],
    [119 * s, "119s"],
    [2 * m, "2m"],
    [2 * m + 30 * s, "2m30s"],
    [9 * m + 59 * s, "9m59s"],
    [15 * m + 10 * s, "15m"],
    [179 * m, "179m"],
    [3 * h, "3h"],
    [3 * h + 20 * m, "3h20m"],
    [10 * h + 5 * m, "10h"],
    [47 * h, "47h"],
    [5 * d + 4 * h, "5d4h"],
    [5 * d, "5d"],
    [30 * d + 3 * h, "30d"],
    [2 * 365 * d + 5 * d, "2y5d"],
    [3 * 365 * d, "3y"],
    [9 * 365 * d + 40 * d, "9y"],
    [-500, "0s"],
    [-5 * s, "<invalid>"],
  ])("%d ms is %s", (ms, text) => {
    expect(humanDuration(ms)).toBe(text);
  });
});

describe("formatAge and formatRestarts", () => {
  it("prints <unknown> without a time", () => {
    expect(formatAge(null, 1000)).toBe("<unknown>");
    expect(formatAge(1000, 1000 + 90 * s)).toBe("90s");
  });
  it("adds the time since the last restart", () => {
    expect(formatRestarts(4, 0, 2 * m)).toBe("4 (2m ago)");
    expect(formatRestarts(0, null, 2 * m)).toBe("0");
    expect(formatRestarts(3, null, 2 * m)).toBe("3");
  });
});
