import { describe, expect, it } from "vitest";

import type { KeyChord } from "./shortcuts";
import { globalActionFor, isCommandPalette, isTypingTarget, mouseNavigation } from "./shortcuts";

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

  it("goes back and forward with Alt+arrows and opens the cheat sheet with ?, unless typing", () => {
    expect(globalActionFor(chord("ArrowLeft", { altKey: true }))).toBe("back");
    expect(globalActionFor(chord("ArrowRight", { altKey: true }))).toBe("forward");
    expect(globalActionFor(chord("ArrowLeft", { altKey: true, ctrlKey: true }))).toBeNull();
    expect(globalActionFor(chord("?", { shiftKey: true }))).toBe("cheatSheet");
    expect(globalActionFor(chord("?", { shiftKey: true }), true)).toBeNull();
    expect(globalActionFor(chord("ArrowLeft", { altKey: true }), true)).toBeNull();
    // The palette opens from a text field too.
    expect(globalActionFor(chord("k", { ctrlKey: true }), true)).toBe("commandPalette");
  });

  it("knows text fields, editors and terminals", () => {
    const input = document.createElement("input");
    const box = document.createElement("input");
    box.type = "checkbox";
    const term = document.createElement("div");
    term.className = "xterm";
    const inner = document.createElement("textarea");
    term.appendChild(inner);
    const plain = document.createElement("div");
    expect(isTypingTarget(input)).toBe(true);
    expect(isTypingTarget(box)).toBe(false);
    expect(isTypingTarget(inner)).toBe(true);
    expect(isTypingTarget(term)).toBe(true);
    expect(isTypingTarget(plain)).toBe(false);
    expect(isTypingTarget(null)).toBe(false);
  });

  it("maps the mouse's side buttons", () => {
    expect(mouseNavigation(3)).toBe("back");
    expect(mouseNavigation(4)).toBe("forward");
    expect(mouseNavigation(0)).toBeNull();
  });
});
