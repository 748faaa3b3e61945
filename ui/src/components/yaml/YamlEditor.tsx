import type { RefObject } from "react";
import { lazy, Suspense } from "react";

import type { LineMark } from "./locate";

export type EditorHandle = { focus: () => void };

export type YamlEditorProps = {
  value: string;
  onChange: (text: string) => void;
  /** The accessible name of the text area. */
  label: string;
  /**
   * data-testid of the editable text (CodeMirror's `.cm-content`), where
   * tests type; the editor's frame gets `<testId>-editor`.
   */
  testId: string;
  placeholder?: string;
  /**
   * Lint marks: lines an error points at (see locate.ts), for the text as it
   * was sent; set again only when this array changes, so keep it in state.
   */
  marks?: readonly LineMark[];
  autoFocus?: boolean;
  /** The text cannot be changed (e.g. while it is being sent). */
  readOnly?: boolean;
  /** Ctrl/Cmd+Enter calls this. */
  onSubmit?: () => void;
  /** Filled once the editor exists, to move the focus into it. */
  handleRef?: RefObject<EditorHandle | null>;
};

const View = lazy(() => import("./YamlEditorView"));

/** A YAML editor (CodeMirror 6, loaded on first use). */
export function YamlEditor(props: YamlEditorProps) {
  return (
    <Suspense
      fallback={
        <p className="yaml-editor yaml-editor--loading" role="status">
          Loading editor…
        </p>
      }
    >
      <View {...props} />
    </Suspense>
  );
}
