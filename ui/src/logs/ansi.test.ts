import { describe, expect, it } from "vitest";

import { color256, parseAnsi, stripAnsi } from "./ansi";

describe("parseAnsi", () => {
  it("returns plain text as one unstyled span", () => {
    expect(parseAnsi("hello")).toEqual([{ text: "hello", style: {} }]);
    expect(parseAnsi("")).toEqual([]);
  });

  it("applies 16-colour foreground, bold and reset", () => {
    expect(parseAnsi("a\u001b[1;31mred\u001b[0mb")).toEqual([
      { text: "a", style: {} },
      { text: "red", style: { bold: true, fg: "#cd0000" } },
      { text: "b", style: {} },
    ]);
  });

  it("handles bright, background, 256 and truecolor", () => {
    expect(parseAnsi("\u001b[92mx")[0]?.style.fg).toBe("#00ff00");
    expect(parseAnsi("\u001b[44mx")[0]?.style.bg).toBe("#0000ee");
    expect(parseAnsi("\u001b[38;5;196mx")[0]?.style.fg).toBe("#ff0000");
    expect(parseAnsi("\u001b[48;2;1;2;255mx")[0]?.style.bg).toBe("#0102ff");
    expect(parseAnsi("\u001b[38;5;244mx")[0]?.style.fg).toBe("#808080");
  });

  it("treats an empty SGR as reset and 39 as default foreground", () => {
    expect(parseAnsi("\u001b[31ma\u001b[mb")[1]?.style).toEqual({});
    expect(parseAnsi("\u001b[1;31ma\u001b[39mb")[1]?.style).toEqual({ bold: true });
  });

  it("escapes other control characters and non-SGR sequences", () => {
    expect(parseAnsi("a\u0007b\rc")[0]?.text).toBe("a\u2407b\u240dc");
    expect(parseAnsi("\u001b[2Kx")[0]?.text).toBe("\u241b[2Kx");
    expect(parseAnsi("tab\tkept")[0]?.text).toBe("tab\tkept");
  });

  it("ignores a malformed extended colour without throwing", () => {
    expect(parseAnsi("\u001b[38;9mx")).toEqual([{ text: "x", style: {} }]);
  });
});

describe("color256", () => {
  it("maps the cube and the grey ramp", () => {
    expect(color256(16)).toBe("#000000");
    expect(color256(231)).toBe("#ffffff");
    expect(color256(232)).toBe("#080808");
  });
});

describe("stripAnsi", () => {
  it("removes colour codes only", () => {
    expect(stripAnsi("\u001b[31merror\u001b[0m: x")).toBe("error: x");
  });
});
