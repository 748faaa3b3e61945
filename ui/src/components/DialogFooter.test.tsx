import { fireEvent, render, screen } from "@testing-library/react";
import { describe, expect, it, vi } from "vitest";

import { DialogFooter } from "./DialogFooter";

describe("DialogFooter", () => {
  it("offers Cancel and OK, and calls each", () => {
    const onCancel = vi.fn();
    const onOk = vi.fn();
    render(<DialogFooter busy={false} busyText="Saving…" onCancel={onCancel} okLabel="Save" onOk={onOk} okTestId="ok" />);
    expect(screen.queryByRole("status")).toBeNull();
    fireEvent.click(screen.getByRole("button", { name: "Cancel" }));
    fireEvent.click(screen.getByTestId("ok"));
    expect(onCancel).toHaveBeenCalledTimes(1);
    expect(onOk).toHaveBeenCalledTimes(1);
    expect(screen.getByTestId("ok").className).toContain("button--primary");
  });

  it("shows progress and disables both buttons while busy", () => {
    render(<DialogFooter busy busyText="Saving…" onCancel={vi.fn()} okLabel="Save" onOk={vi.fn()} progressTestId="p" />);
    expect(screen.getByRole("status").textContent).toBe("Saving…");
    expect(screen.getByTestId("p")).toBeTruthy();
    for (const b of screen.getAllByRole<HTMLButtonElement>("button")) expect(b.disabled).toBe(true);
  });

  it("disables only OK when it cannot be used yet, and marks a destructive OK", () => {
    render(<DialogFooter busy={false} busyText="" onCancel={vi.fn()} okLabel="Delete" onOk={vi.fn()} okDisabled danger cancelLabel="Keep" />);
    expect(screen.getByRole<HTMLButtonElement>("button", { name: "Keep" }).disabled).toBe(false);
    const ok = screen.getByRole<HTMLButtonElement>("button", { name: "Delete" });
    expect(ok.disabled).toBe(true);
    expect(ok.className).toContain("button--danger");
  });

  it("submits a form when given no click handler", () => {
    const onSubmit = vi.fn((e: { preventDefault: () => void }) => {
      e.preventDefault();
    });
    render(
      <>
        <form id="f" onSubmit={onSubmit} />
        <DialogFooter busy={false} busyText="" onCancel={vi.fn()} okLabel="Rename" okForm="f" />
      </>,
    );
    const ok = screen.getByRole<HTMLButtonElement>("button", { name: "Rename" });
    expect(ok.type).toBe("submit");
    fireEvent.click(ok);
    expect(onSubmit).toHaveBeenCalledTimes(1);
  });
});
