import { describe, expect, it } from "vitest";

import { fuzzyMatch } from "./fuzzy";

describe("fuzzyMatch", () => {
  it("needs every query character, in order", () => {
    expect(fuzzyMatch("abc", "a-b-c")).not.toBeNull();
    expect(fuzzyMatch("acb", "a-b-c")).toBeNull();
    expect(fuzzyMatch("x", "pods")).toBeNull();
  });

  it("is case-insensitive and reports the matched positions", () => {
    expect(fuzzyMatch("API", "web-api-7d9")?.positions).toEqual([4, 5, 6]);
    expect(fuzzyMatch("wa", "web-api")?.positions).toEqual([0, 4]);
  });

  it("ranks exact over prefix over boundary over scattered", () => {
    const score = (q: string, t: string) => fuzzyMatch(q, t)?.score ?? -Infinity;
    expect(score("pods", "pods")).toBeGreaterThan(score("pods", "podsecuritypolicies"));
    expect(score("web", "web-1")).toBeGreaterThan(score("web", "my-web-1"));
    expect(score("web", "my-web-1")).toBeGreaterThan(score("web", "cobweb-1"));
    expect(score("web", "cobweb-1")).toBeGreaterThan(score("web", "wxexb"));
  });

  it("prefers word starts in a scattered match", () => {
    expect(fuzzyMatch("sfs", "statefulsets")).not.toBeNull();
    const boundary = fuzzyMatch("ds", "daemon-sets");
    const inner = fuzzyMatch("ds", "adsorb");
    expect(boundary?.score ?? 0).toBeGreaterThan(inner?.score ?? 0);
  });

  it("matches everything on an empty query", () => {
    expect(fuzzyMatch("", "anything")).toEqual({ score: 0, positions: [] });
  });
});
