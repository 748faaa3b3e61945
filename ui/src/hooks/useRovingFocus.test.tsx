import { fireEvent, render, screen } from "@testing-library/react";
import { describe, expect, it } from "vitest";

import { useRovingFocus } from "./useRovingFocus";

function List({ keys, preferred }: { keys: string[]; preferred: string | null }) {
  const roving = useRovingFocus(keys, preferred);
  return (
    <div role="listbox" onKeyDown={roving.onKeyDown}>
      {keys.map((k) => (
        <div
          key={k}
          role="option"
          aria-selected={false}
          data-nav-key={k}
          ref={roving.refFor(k)}
          tabIndex={roving.stop === k ? 0 : -1}
          onFocus={() => {
            roving.onFocusItem(k);
          }}
        >
          {k}
          <button type="button">menu of {k}</button>
        </div>
      ))}
    </div>
  );
}

const row = (name: string) => screen.getByText(name, { selector: "[role=option]", exact: false });

describe("useRovingFocus", () => {
  it("has one tab stop: the preferred row, else the first", () => {
    const { rerender } = render(<List keys={["a", "b", "c"]} preferred="b" />);
    expect(["a", "b", "c"].map((k) => row(k).tabIndex)).toEqual([-1, 0, -1]);
    rerender(<List keys={["a", "b", "c"]} preferred={null} />);
    expect(["a", "b", "c"].map((k) => row(k).tabIndex)).toEqual([0, -1, -1]);
  });

  it("moves the focus with the arrows, Home and End, and the tab stop follows", () => {
    render(<List keys={["a", "b", "c"]} preferred="a" />);
    row("a").focus();
    fireEvent.keyDown(row("a"), { key: "ArrowDown" });
    expect(document.activeElement).toBe(row("b"));
    fireEvent.keyDown(row("b"), { key: "End" });
    expect(document.activeElement).toBe(row("c"));
    fireEvent.keyDown(row("c"), { key: "ArrowDown" });
    expect(document.activeElement).toBe(row("c"));
    fireEvent.keyDown(row("c"), { key: "Home" });
    expect(document.activeElement).toBe(row("a"));
    fireEvent.keyDown(row("a"), { key: "ArrowDown" });
    expect(row("b").tabIndex).toBe(0);
    expect(row("a").tabIndex).toBe(-1);
  });

  it("leaves keys on other elements and with modifiers alone", () => {
    render(<List keys={["a", "b"]} preferred="a" />);
    const button = screen.getByRole("button", { name: "menu of a" });
    button.focus();
    fireEvent.keyDown(button, { key: "ArrowDown" });
    expect(document.activeElement).toBe(button);
    row("a").focus();
    fireEvent.keyDown(row("a"), { key: "ArrowDown", ctrlKey: true });
    expect(document.activeElement).toBe(row("a"));
  });
});
