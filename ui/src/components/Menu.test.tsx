import { fireEvent, render, screen, waitFor } from "@testing-library/react";
import { useState } from "react";
import { describe, expect, it, vi } from "vitest";

import { Menu } from "./Menu";

const ITEMS = [
  { id: "open", label: "Open", testId: "m-open" },
  { id: "remove", label: "Remove…", testId: "m-remove", danger: true },
];

function Harness({ onSelect, onClose }: { onSelect: (id: string) => void; onClose: () => void }) {
  const [open, setOpen] = useState(true);
  const [opener, setOpener] = useState<HTMLButtonElement | null>(null);
  return (
    <>
      <button type="button" ref={setOpener}>
        opener
      </button>
      <button type="button">elsewhere</button>
      {open && opener !== null && (
        <Menu
          label="Actions for a"
          items={ITEMS}
          at={{ x: 10, y: 20 }}
          returnFocus={opener}
          onSelect={(id) => {
            setOpen(false);
            onSelect(id);
          }}
          onClose={() => {
            setOpen(false);
            onClose();
          }}
        />
      )}
    </>
  );
}

function setup() {
  const onSelect = vi.fn();
  const onClose = vi.fn();
  render(<Harness onSelect={onSelect} onClose={onClose} />);
  return { opener: screen.getByRole("button", { name: "opener" }), onSelect, onClose };
}

describe("Menu", () => {
  it("is a labelled menu whose first entry has the focus", () => {
    setup();
    const menu = screen.getByRole("menu", { name: "Actions for a" });
    expect(screen.getAllByRole("menuitem").map((m) => m.textContent)).toEqual(["Open", "Remove…"]);
    expect(menu.contains(document.activeElement)).toBe(true);
    expect(document.activeElement).toBe(screen.getByTestId("m-open"));
    expect(screen.getByTestId("m-remove").className).toContain("menu__item--danger");
  });

  it("chooses an entry with Enter and gives the focus back", () => {
    const { opener, onSelect } = setup();
    fireEvent.keyDown(screen.getByTestId("m-open"), { key: "Enter" });
    expect(onSelect).toHaveBeenCalledWith("open");
    expect(document.activeElement).toBe(opener);
  });

  it("closes with Escape and gives the focus back", async () => {
    const { opener, onClose } = setup();
    fireEvent.keyDown(screen.getByTestId("m-open"), { key: "Escape" });
    expect(onClose).toHaveBeenCalledTimes(1);
    await waitFor(() => {
      expect(document.activeElement).toBe(opener);
    });
  });

  it("closes on a click elsewhere without taking the focus back", async () => {
    const { opener, onClose } = setup();
    const elsewhere = screen.getByRole("button", { name: "elsewhere" });
    fireEvent.pointerDown(elsewhere);
    elsewhere.focus();
    await waitFor(() => {
      expect(onClose).toHaveBeenCalledTimes(1);
    });
    await waitFor(() => {
      expect(screen.queryByRole("menu")).toBeNull();
    });
    expect(document.activeElement).toBe(elsewhere);
    expect(document.activeElement).not.toBe(opener);
  });

  it("wraps around with the arrow keys", async () => {
    setup();
    fireEvent.keyDown(screen.getByTestId("m-open"), { key: "ArrowUp" });
    await waitFor(() => {
      expect(document.activeElement).toBe(screen.getByTestId("m-remove"));
    });
  });
});
