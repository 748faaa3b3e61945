import { fireEvent, render, screen, waitFor } from "@testing-library/react";
import { useState } from "react";
import { describe, expect, it, vi } from "vitest";

import { editorText, findEditor, setEditorText } from "../../test/editor";
import type { LineMark } from "./locate";
import { YamlEditor } from "./YamlEditor";

function Harness({ marks = [], onSubmit }: { marks?: LineMark[]; onSubmit?: () => void }) {
  const [text, setText] = useState("a: 1\nb: [\nc: 3\n");
  return (
    <>
      <YamlEditor value={text} onChange={setText} label="YAML" testId="ed" marks={marks} onSubmit={onSubmit} autoFocus />
      <output data-testid="mirror">{text}</output>
      <button
        type="button"
        onClick={() => {
          setText("replaced: true\n");
        }}
      >
        replace
      </button>
    </>
  );
}

describe("YamlEditor", () => {
  it("is a labelled, focused text area whose edits reach the owner", async () => {
    render(<Harness />);
    const content = await findEditor("ed");
    expect(content.getAttribute("aria-label")).toBe("YAML");
    expect(content.getAttribute("contenteditable")).toBe("true");
    await waitFor(() => {
      expect(document.activeElement).toBe(content);
    });
    setEditorText(content, "x: 2\n");
    expect(screen.getByTestId("mirror").textContent).toBe("x: 2\n");
  });

  it("takes a value set from outside", async () => {
    render(<Harness />);
    const content = await findEditor("ed");
    fireEvent.click(screen.getByRole("button", { name: "replace" }));
    expect(editorText(content)).toBe("replaced: true\n");
  });

  it("marks the line an error points at", async () => {
    render(<Harness marks={[{ line: 2, message: "did not find expected node" }]} />);
    const content = await findEditor("ed");
    await waitFor(() => {
      expect(content.querySelector(".cm-lintRange-error")?.textContent).toBe("b: [");
    });
    expect(screen.getByTestId("ed-editor").querySelector(".cm-lint-marker-error")).not.toBeNull();
  });

  it("leaves out a mark past the end of the text", async () => {
    render(<Harness marks={[{ line: 99, message: "nowhere" }]} />);
    const content = await findEditor("ed");
    expect(content.querySelector(".cm-lintRange-error")).toBeNull();
  });

  it("submits with Ctrl+Enter", async () => {
    const onSubmit = vi.fn();
    render(<Harness onSubmit={onSubmit} />);
    const content = await findEditor("ed");
    fireEvent.keyDown(content, { key: "Enter", ctrlKey: true });
    expect(onSubmit).toHaveBeenCalledTimes(1);
  });
});
