import { describe, expect, it } from "vitest";

import { checkLabelSelector } from "./labelSelector";

describe("checkLabelSelector", () => {
  it.each([
    "app=web",
    "app==web",
    "app=web,tier!=db,env in (a,b),!x,x",
    "env notin (prod, staging)",
    "app.kubernetes.io/name=nginx",
    "!example.com/legacy",
    "app=",
    "replicas>2",
    " app = web ",
  ])("accepts %s", (text) => {
    expect(checkLabelSelector(text)).toEqual({ ok: true, selector: text.trim() });
  });

  it("takes blank input as no selector", () => {
    expect(checkLabelSelector("  ")).toEqual({ ok: true, selector: null });
  });

  it.each([
    ["app=web,", "empty requirement"],
    ["env in (a,b", "parentheses"],
    ["env in ()", "empty"],
    ["env in a,b", "key in (a,b)"],
    ["-app=web", "not a valid label key"],
    ["app=we b", "not a valid label value"],
    ["Example.com/app=x", "DNS subdomain"],
    ["app=web!", "not a valid label value"],
    ["a b", "not a requirement"],
    ["replicas>two", "whole number"],
    [`k=${"v".repeat(64)}`, "not a valid label value"],
  ])("rejects %s", (text, message) => {
    const check = checkLabelSelector(text);
    expect(check.ok).toBe(false);
    if (!check.ok) expect(check.error).toContain(message);
  });
});
