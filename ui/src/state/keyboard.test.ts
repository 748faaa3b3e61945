import { describe, expect, it } from "vitest";

import { isActivateKey, isMoveKey, nextIndex, nextKey, tabStop } from "./keyboard";

describe("nextIndex", () => {
  it("moves down and up", () => {
    expect(nextIndex(0, 3, "ArrowDown")).toBe(1);
    expect(nextIndex(2, 3, "ArrowUp")).toBe(1);
  });

  it("stops at the ends", () => {
    expect(nextIndex(2, 3, "ArrowDown")).toBe(2);
    expect(nextIndex(0, 3, "ArrowUp")).toBe(0);
  });

  it("jumps with Home and End", () => {
    expect(nextIndex(1, 5, "Home")).toBe(0);
    expect(nextIndex(1, 5, "End")).toBe(4);
  });

  it("enters the list from nowhere", () => {
    expect(nextIndex(-1, 3, "ArrowDown")).toBe(0);
    expect(nextIndex(-1, 3, "ArrowUp")).toBe(2);
    expect(nextIndex(9, 3, "ArrowUp")).toBe(2);
  });

  it("has nowhere to go in an empty list", () => {
    expect(nextIndex(-1, 0, "ArrowDown")).toBeNull();
    expect(nextIndex(0, 0, "Home")).toBeNull();
  });
});

describe("nextKey", () => {
  const keys = ["context:a", "context:b", "kind:pods"];

  it("crosses from contexts into resource kinds", () => {
    expect(nextKey(keys, "context:b", "ArrowDown")).toBe("kind:pods");
    expect(nextKey(keys, "kind:pods", "ArrowUp")).toBe("context:b");
  });

  it("starts at the top when nothing is focused", () => {
    expect(nextKey(keys, null, "ArrowDown")).toBe("context:a");
    expect(nextKey(keys, "gone", "ArrowDown")).toBe("context:a");
  });
});

describe("tabStop", () => {
  const keys = ["a", "b", "c"];
  it("prefers the last focused item, then the selected one, then the first", () => {
    expect(tabStop(keys, "c", "b")).toBe("c");
    expect(tabStop(keys, "gone", "b")).toBe("b");
    expect(tabStop(keys, null, "gone")).toBe("a");
    expect(tabStop([], null, null)).toBeNull();
  });
});

describe("key classes", () => {
  it("knows move and activate keys", () => {
    expect(isMoveKey("ArrowDown")).toBe(true);
    expect(isMoveKey("ArrowLeft")).toBe(false);
    expect(isActivateKey("Enter")).toBe(true);
    expect(isActivateKey(" ")).toBe(true);
    expect(isActivateKey("Tab")).toBe(false);
  });
});
