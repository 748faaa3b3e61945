import { describe, expect, it } from "vitest";

import css from "./styles.css?raw";

/**
 * Rules that open inside another rule's declarations. The stylesheet uses
 * no CSS nesting, so each is a rule left without its `}`, which silently
 * swallows the rules after it (a merge once lost one this way).
 */
export function rulesOpenedInsideRules(text: string): string[] {
  const stack: ("at" | "rule")[] = [];
  const found: string[] = [];
  let prelude = "";
  const source = text.replace(/\/\*[\s\S]*?\*\//g, "");
  for (const ch of source) {
    if (ch === "{") {
      const head = prelude.trim();
      if (stack[stack.length - 1] === "rule") found.push(head);
      stack.push(head.startsWith("@") ? "at" : "rule");
      prelude = "";
    } else if (ch === "}") {
      stack.pop();
      prelude = "";
    } else if (ch === ";") {
      prelude = "";
    } else {
      prelude += ch;
    }
  }
  if (stack.length > 0) found.push(`(${stack.length} block(s) never closed)`);
  return found;
}

describe("styles.css", () => {
  it("has every rule closed before the next one starts", () => {
    expect(css.length).toBeGreaterThan(10_000);
    expect(rulesOpenedInsideRules(css)).toEqual([]);
  });

  it("the check finds a rule that lost its brace", () => {
    expect(rulesOpenedInsideRules(".a {\n  color: red;\n.b {\n  color: blue;\n}\n}")).toEqual([".b"]);
    expect(rulesOpenedInsideRules("@media (x) {\n  .a { color: red; }\n}")).toEqual([]);
  });
});
