import { describe, expect, it } from "vitest";

import { LogRing } from "./ring";
import { compileQuery, highlight, MatchIndex, matchingIndices, step } from "./search";

const plain = { regex: false, caseSensitive: false };
const regex = { regex: true, caseSensitive: false };

function matcher(query: string, mode = plain) {
  const c = compileQuery(query, mode);
  if (!c.ok || c.matcher === null) throw new Error("expected a matcher");
  return c.matcher;
}

describe("compileQuery", () => {
  it("matches plain text literally and ignores case by default", () => {
    const m = matcher("a.b");
    expect(m.test("xA.Bx")).toBe(true);
    expect(m.test("axb")).toBe(false);
    expect(m.ranges("a.b a.b")).toEqual([
      [0, 3],
      [4, 7],
    ]);
  });

  it("respects case sensitivity", () => {
    expect(matcher("Error", { regex: false, caseSensitive: true }).test("error")).toBe(false);
  });

  it("supports regular expressions", () => {
    const m = matcher("err(or)?\\s+\\d+", regex);
    expect(m.test("ERROR 42")).toBe(true);
    expect(m.ranges("err 1 and error 22")).toEqual([
      [0, 5],
      [10, 18],
    ]);
  });

  it("reports an invalid regex instead of throwing", () => {
    const c = compileQuery("(unclosed", regex);
    expect(c.ok).toBe(false);
    if (!c.ok) expect(c.error).toMatch(/unterminated|invalid/i);
  });

  it("treats an empty query as no search", () => {
    expect(compileQuery("", plain)).toEqual({ ok: true, matcher: null });
  });

  it("does not loop on empty matches", () => {
    expect(matcher("x*", regex).ranges("abxxc")).toEqual([[2, 4]]);
  });

  it("test() is stable across calls (no lastIndex state)", () => {
    const m = matcher("a");
    expect([m.test("a"), m.test("a"), m.test("a")]).toEqual([true, true, true]);
  });
});

describe("matchingIndices and step", () => {
  it("finds matching lines", () => {
    expect(matchingIndices(["one", "two", "tone"], matcher("one"))).toEqual([0, 2]);
  });

  it("steps forward and back with wrap", () => {
    expect(step(3, -1, 1)).toBe(0);
    expect(step(3, -1, -1)).toBe(2);
    expect(step(3, 2, 1)).toBe(0);
    expect(step(3, 0, -1)).toBe(2);
    expect(step(0, 0, 1)).toBe(-1);
  });
});

describe("highlight", () => {
  it("splits spans at match boundaries keeping styles", () => {
    const red = { fg: "#f00" };
    const out = highlight(
      [
        { text: "hello ", style: {} },
        { text: "world", style: red },
      ],
      [[4, 8]],
    );
    expect(out).toEqual([
      { text: "hell", style: {}, match: false },
      { text: "o ", style: {}, match: true },
      { text: "wo", style: red, match: true },
      { text: "rld", style: red, match: false },
    ]);
  });

  it("marks nothing without ranges", () => {
    expect(highlight([{ text: "a", style: {} }], [])).toEqual([{ text: "a", style: {}, match: false }]);
  });
});

describe("MatchIndex", () => {
  const push = (ring: LogRing, text: string) => {
    ring.push({ kind: "line", source: 0, time: null, text });
  };

  it("tests new lines only and follows the ring as it drops old ones", () => {
    const ring = new LogRing(3);
    const index = new MatchIndex(matcher("hit"));
    push(ring, "hit 1");
    push(ring, "miss");
    expect(index.update(ring)).toEqual([0]);
    push(ring, "hit 2");
    push(ring, "hit 3");
    // Ring holds: miss, hit 2, hit 3 (hit 1 dropped).
    expect(index.update(ring)).toEqual([1, 2]);
    ring.clear();
    push(ring, "\u001b[31mhit\u001b[0m 4");
    expect(index.update(ring)).toEqual([0]);
  });

  it("agrees with a full scan", () => {
    const ring = new LogRing(50);
    const index = new MatchIndex(matcher("7"));
    for (let i = 0; i < 200; i++) {
      push(ring, `line ${i.toString()}`);
      if (i % 13 === 0) {
        const texts = [...ring].map((e) => (e.kind === "line" ? e.text : ""));
        expect(index.update(ring)).toEqual(matchingIndices(texts, matcher("7")));
      }
    }
  });
});
