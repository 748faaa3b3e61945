import { describe, expect, it } from "vitest";

import type { KeyChord } from "./shortcuts";
import { globalActionFor, isCommandPalette } from "./shortcuts";

const chord = (key: string, mods: Partial<KeyChord> = {}): KeyChord => ({
  key,
  ctrlKey: false,
  metaKey: false,
  altKey: false,
  shiftKey: false,
  ...mods,
});

describe("shortcuts", () => {
  it("opens the palette with Ctrl+K and Cmd+K", () => {
    expect(isCommandPalette(chord("k", { ctrlKey: true }))).toBe(true);
    expect(isCommandPalette(chord("K", { metaKey: true }))).toBe(true);
  });

  it("ignores K alone or with other modifiers", () => {
    expect(isCommandPalette(chord("k"))).toBe(false);
    expect(isCommandPalette(chord("k", { ctrlKey: true, shiftKey: true }))).toBe(false);
    expect(isCommandPalette(chord("k", { ctrlKey: true, altKey: true }))).toBe(false);
  });

  it("maps chords to actions", () => {
    expect(globalActionFor(chord("k", { ctrlKey: true }))).toBe("commandPalette");
    expect(globalActionFor(chord("j", { metaKey: true }))).toBe("toggleDock");
    expect(globalActionFor(chord("x", { ctrlKey: true }))).toBeNull();
  });
});
