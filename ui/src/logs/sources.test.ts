import { describe, expect, it } from "vitest";

import { markerText, sourceColor, sourceTag } from "./sources";

describe("sourceColor", () => {
  it("is stable per index and distinct for the first sources", () => {
    expect(sourceColor(1)).toBe(sourceColor(1));
    const first = Array.from({ length: 8 }, (_, i) => sourceColor(i));
    expect(new Set(first).size).toBe(8);
    expect(sourceColor(20)).toMatch(/^hsl\(/);
    expect(sourceColor(20)).not.toBe(sourceColor(21));
  });
});

describe("sourceTag", () => {
  const s = { index: 0, namespace: "ns", pod: "web-1", container: "app" };
  it("names the container only when asked", () => {
    expect(sourceTag(s, false)).toBe("web-1");
    expect(sourceTag(s, true)).toBe("web-1/app");
  });
});

describe("markerText", () => {
  it("describes gaps and restarts", () => {
    expect(markerText({ kind: "resumed", gap_ms: 3000 })).toBe("resumed after a gap of 3 s");
    expect(markerText({ kind: "resumed", gap_ms: 0 })).toBe("resumed");
    expect(markerText({ kind: "containerRestarted", restart_count: 2 })).toContain("2");
    expect(markerText({ kind: "reconnecting", reason: "EOF" })).toContain("EOF");
  });
});
