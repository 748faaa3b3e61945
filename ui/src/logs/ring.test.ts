import { describe, expect, it } from "vitest";

import { LogRing } from "./ring";

const line = (text: string) => ({ kind: "line" as const, source: 0, time: null, text });

describe("LogRing", () => {
  it("keeps entries in order below capacity", () => {
    const ring = new LogRing(3);
    ring.push(line("a"));
    ring.push(line("b"));
    expect(ring.length).toBe(2);
    expect([...ring].map((e) => (e.kind === "line" ? e.text : ""))).toEqual(["a", "b"]);
    expect(ring.at(2)).toBeUndefined();
  });

  it("drops the oldest beyond capacity and numbers entries", () => {
    const ring = new LogRing(3);
    for (const t of ["a", "b", "c", "d", "e"]) ring.push(line(t));
    expect(ring.length).toBe(3);
    expect(ring.dropped).toBe(2);
    expect([...ring].map((e) => (e.kind === "line" ? e.text : ""))).toEqual(["c", "d", "e"]);
    expect(ring.at(0)?.seq).toBe(2);
    expect(ring.at(2)?.seq).toBe(4);
  });

  it("clears but keeps numbering so keys stay unique", () => {
    const ring = new LogRing(2);
    ring.push(line("a"));
    ring.clear();
    expect(ring.length).toBe(0);
    ring.push(line("b"));
    expect(ring.at(0)?.seq).toBe(1);
  });

  it("refuses a capacity below one", () => {
    expect(() => new LogRing(0)).toThrow(RangeError);
  });
});
