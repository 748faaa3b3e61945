// The YAML editor (CodeMirror) in component tests: its text is read and set
// through the view, as a user's typing would change it.
import { EditorView } from "@codemirror/view";
import { act, screen } from "@testing-library/react";

function viewOf(content: HTMLElement): EditorView {
  const view = EditorView.findFromDOM(content);
  if (view === null) throw new Error("not a CodeMirror editor");
  return view;
}

/** The editable text of the editor with this data-testid, once the lazy editor has loaded. */
export function findEditor(testId: string): Promise<HTMLElement> {
  return screen.findByTestId(testId);
}

export function editorText(content: HTMLElement): string {
  return viewOf(content).state.doc.toString();
}

/** Replaces the whole text, as typing or pasting would. */
export function setEditorText(content: HTMLElement, text: string): void {
  const view = viewOf(content);
  act(() => {
    view.dispatch({ changes: { from: 0, to: view.state.doc.length, insert: text } });
  });
}
