import { describe, expect, it } from "vitest";

import type { ContextSummary } from "../bindings/ContextSummary";
import { contextActions, makeCurrentResult, makeCurrentWarning, renameProblem } from "./dialogs";

const base: ContextSummary = {
  name: "c",
  cluster: "c",
  user: "u",
  namespace: null,
  server: null,
  source: "/k",
  isCurrent: false,
  managed: false,
  problem: null,
};

describe("contextActions", () => {
  it("offers only make-current for the user's own contexts", () => {
    expect(contextActions(base)).toEqual(["makeCurrent"]);
  });

  it("offers rename and remove for managed contexts", () => {
    expect(contextActions({ ...base, managed: true })).toEqual(["makeCurrent", "rename", "remove"]);
  });
});

describe("makeCurrentWarning", () => {
  const preview = { file: "/k", hasComments: false, formattingMayChange: false };

  it("is silent for a clean rewrite", () => {
    expect(makeCurrentWarning(preview)).toBeNull();
  });

  it("warns about comments and the backup", () => {
    const w = makeCurrentWarning({ ...preview, hasComments: true });
    expect(w).toContain("Comments");
    expect(w).toContain("backup");
  });

  it("warns about formatting alone", () => {
    const w = makeCurrentWarning({ ...preview, formattingMayChange: true });
    expect(w).toMatch(/^Formatting/);
    expect(w).toContain("timestamped backup");
  });
});

describe("makeCurrentResult", () => {
  it("names the file", () => {
    expect(makeCurrentResult("c", { file: "/k", backup: "/k.bak" })).toBe(
      '"c" is now the current context in /k.',
    );
  });

  it("says when nothing was written", () => {
    expect(makeCurrentResult("c", { file: "/k", backup: null })).toContain("nothing was written");
  });
});

describe("renameProblem", () => {
  it("accepts a new unique name", () => {
    expect(renameProblem("a", "b", ["a", "c"])).toBeNull();
    expect(renameProblem("a", "a", ["a"])).toBeNull();
  });

  it("rejects empty and duplicate names", () => {
    expect(renameProblem("a", "  ", ["a"])).toBe("Enter a name.");
    expect(renameProblem("a", "c", ["a", "c"])).toContain("already exists");
  });
});
