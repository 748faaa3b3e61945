import { describe, expect, it } from "vitest";

import { DEFAULT_OPTIONS, parseSince, parseTail, toLogOptions } from "./options";

describe("parseSince", () => {
  it("reads durations", () => {
    expect(parseSince("5m")).toEqual({ kind: "seconds", seconds: 300 });
    expect(parseSince("1h30m")).toEqual({ kind: "seconds", seconds: 5400 });
    expect(parseSince(" 2d ")).toEqual({ kind: "seconds", seconds: 172800 });
    expect(parseSince("")).toEqual({ kind: "none" });
  });

  it("reads RFC 3339 times", () => {
    expect(parseSince("2024-05-01T10:00:00Z")).toEqual({ kind: "time", time: "2024-05-01T10:00:00Z" });
  });

  it("reports anything else", () => {
    expect(parseSince("5 minutes")).toHaveProperty("error");
    expect(parseSince("0s")).toHaveProperty("error");
    expect(parseSince("2024-13-45T99:00:00Z")).toHaveProperty("error");
  });
});

describe("parseTail", () => {
  it("reads a count or the whole log", () => {
    expect(parseTail("500")).toBe(500);
    expect(parseTail("")).toBeNull();
    expect(parseTail("-1")).toHaveProperty("error");
  });
});

describe("toLogOptions", () => {
  it("maps since to seconds or time", () => {
    const o = toLogOptions("ns", { ...DEFAULT_OPTIONS, since: { kind: "seconds", seconds: 60 } });
    expect(o).toMatchObject({ namespace: "ns", follow: true, tailLines: 500, sinceSeconds: 60, sinceTime: null });
    expect(toLogOptions("ns", { ...DEFAULT_OPTIONS, since: { kind: "time", time: "t" } }).sinceTime).toBe("t");
  });
});
