import { fireEvent, render, screen, waitFor } from "@testing-library/react";
import { useRef } from "react";
import { describe, expect, it, vi } from "vitest";

import { Dialog } from "./Dialog";

function Harness({ closable = true, onClose }: { closable?: boolean; onClose: () => void }) {
  const second = useRef<HTMLInputElement>(null);
  return (
    <Dialog title="Rename" testId="dlg" onClose={onClose} closable={closable} initialFocus={second} footer={<button type="button">OK</button>}>
      <input aria-label="first" />
      <input aria-label="second" ref={second} />
      <div className="cm-panels">
        <input aria-label="search" />
      </div>
    </Dialog>
  );
}

describe("Dialog", () => {
  it("is a labelled modal dialog that focuses the initial element", () => {
    render(<Harness onClose={vi.fn()} />);
    const dialog = screen.getByTestId("dlg");
    expect(dialog.getAttribute("role")).toBe("dialog");
    expect(dialog.getAttribute("aria-modal")).toBe("true");
    expect(screen.getByRole("dialog", { name: "Rename" })).toBe(dialog);
    expect(document.activeElement).toBe(screen.getByLabelText("second"));
  });

  it("closes with Escape only while closable", () => {
    const onClose = vi.fn();
    const { rerender } = render(<Harness closable={false} onClose={onClose} />);
    fireEvent.keyDown(screen.getByLabelText("first"), { key: "Escape" });
    expect(onClose).not.toHaveBeenCalled();
    rerender(<Harness onClose={onClose} />);
    fireEvent.keyDown(screen.getByLabelText("first"), { key: "Escape" });
    expect(onClose).toHaveBeenCalledTimes(1);
  });

  it("leaves Escape in the editor's search panel to the editor", () => {
    const onClose = vi.fn();
    render(<Harness onClose={onClose} />);
    fireEvent.keyDown(screen.getByLabelText("search"), { key: "Escape" });
    expect(onClose).not.toHaveBeenCalled();
  });

  it("stays open on a click outside", () => {
    const onClose = vi.fn();
    render(
      <>
        <button type="button">outside</button>
        <Harness onClose={onClose} />
      </>,
    );
    fireEvent.pointerDown(document.body);
    fireEvent.mouseDown(document.body);
    expect(onClose).not.toHaveBeenCalled();
    expect(screen.getByTestId("dlg")).toBeTruthy();
  });

  it("gives the focus back to where it was when it closes", async () => {
    function Page({ open }: { open: boolean }) {
      return (
        <>
          <button type="button">opener</button>
          {open && <Harness onClose={vi.fn()} />}
        </>
      );
    }
    const { rerender } = render(<Page open={false} />);
    const opener = screen.getByRole("button", { name: "opener" });
    opener.focus();
    rerender(<Page open />);
    expect(document.activeElement).toBe(screen.getByLabelText("second"));
    rerender(<Page open={false} />);
    await waitFor(() => {
      expect(document.activeElement).toBe(opener);
    });
  });
});
