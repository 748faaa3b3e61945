// The CodeMirror 6 editor behind YamlEditor (loaded lazily, so the first
// paint does not carry it): YAML highlighting, folding, search (Ctrl/Cmd+F),
// history, and lint marks for the lines an error points at.
import { defaultKeymap, history, historyKeymap } from "@codemirror/commands";
import { yaml } from "@codemirror/lang-yaml";
import {
  foldGutter,
  HighlightStyle,
  foldKeymap,
  indentOnInput,
  syntaxHighlighting,
} from "@codemirror/language";
import type { Diagnostic } from "@codemirror/lint";
import { lintGutter, setDiagnostics } from "@codemirror/lint";
import { highlightSelectionMatches, search, searchKeymap } from "@codemirror/search";
import { Compartment, EditorState } from "@codemirror/state";
import {
  drawSelection,
  EditorView,
  highlightActiveLine,
  highlightActiveLineGutter,
  keymap,
  lineNumbers,
  placeholder,
} from "@codemirror/view";
import { tags } from "@lezer/highlight";
import { useEffect, useRef } from "react";

import { styleNonce } from "../../csp";
import type { YamlEditorProps } from "./YamlEditor";

// Colours from the app's palette (styles.css), so light and dark both read well.
const highlight = HighlightStyle.define([
  { tag: [tags.propertyName, tags.definition(tags.propertyName)], color: "var(--accent-text)" },
  { tag: [tags.string, tags.special(tags.string), tags.content], color: "var(--ok)" },
  { tag: [tags.number, tags.bool, tags.null, tags.atom], color: "var(--warn)" },
  { tag: [tags.comment, tags.lineComment], color: "var(--fg-faint)", fontStyle: "italic" },
  { tag: [tags.meta, tags.labelName, tags.typeName, tags.attributeValue], color: "var(--avatar-2)" },
  { tag: tags.invalid, color: "var(--error)" },
]);

function diagnosticsFor(state: EditorState, marks: YamlEditorProps["marks"]): Diagnostic[] {
  return (marks ?? []).flatMap((m) => {
    if (m.line < 1 || m.line > state.doc.lines) return [];
    const line = state.doc.line(m.line);
    return [{ from: line.from, to: line.to, severity: "error", message: m.message, source: "server" }];
  });
}

export default function YamlEditorView({
  value,
  onChange,
  label,
  testId,
  placeholder: hint,
  marks,
  autoFocus = false,
  readOnly = false,
  onSubmit,
  handleRef,
}: YamlEditorProps) {
  const host = useRef<HTMLDivElement>(null);
  const view = useRef<EditorView | null>(null);
  const changed = useRef(onChange);
  const submitted = useRef(onSubmit);
  useEffect(() => {
    changed.current = onChange;
    submitted.current = onSubmit;
  });
  const editable = useRef(new Compartment());

  // One view per mount; later value/marks changes are dispatched into it.
  const initial = useRef({ value, label, testId, hint, autoFocus, readOnly });
  useEffect(() => {
    const parent = host.current;
    if (parent === null) return;
    const { value: doc, label: name, testId: id, hint: text, autoFocus: focus, readOnly: locked } = initial.current;
    const nonce = styleNonce();
    const v = new EditorView({
      parent,
      state: EditorState.create({
        doc,
        extensions: [
          lineNumbers(),
          highlightActiveLineGutter(),
          foldGutter(),
          lintGutter(),
          history(),
          drawSelection(),
          indentOnInput(),
          syntaxHighlighting(highlight),
          highlightActiveLine(),
          highlightSelectionMatches(),
          search({ top: true }),
          yaml(),
          EditorState.tabSize.of(2),
          // Tab stays focus navigation (no indentWithTab), so the editor is no keyboard trap.
          editable.current.of(EditorState.readOnly.of(locked)),
          keymap.of([
            {
              key: "Mod-Enter",
              run: () => {
                const submit = submitted.current;
                if (submit === undefined) return false;
                submit();
                return true;
              },
            },
          ]),
          keymap.of([...defaultKeymap, ...historyKeymap, ...foldKeymap, ...searchKeymap]),
          EditorView.contentAttributes.of({ "aria-label": name, "data-testid": id, spellcheck: "false" }),
          ...(text !== undefined ? [placeholder(text)] : []),
          ...(nonce !== null ? [EditorView.cspNonce.of(nonce)] : []),
          EditorView.updateListener.of((u) => {
            if (u.docChanged) changed.current(u.state.doc.toString());
          }),
        ],
      }),
    });
    view.current = v;
    if (handleRef !== undefined) handleRef.current = { focus: () => { v.focus(); } };
    if (focus) v.focus();
    return () => {
      if (handleRef !== undefined) handleRef.current = null;
      view.current = null;
      v.destroy();
    };
  }, [handleRef]);

  useEffect(() => {
    view.current?.dispatch({ effects: editable.current.reconfigure(EditorState.readOnly.of(readOnly)) });
  }, [readOnly]);

  // A value set from outside (a file read, "use theirs") replaces the text.
  useEffect(() => {
    const v = view.current;
    if (v === null) return;
    const current = v.state.doc.toString();
    if (current !== value) v.dispatch({ changes: { from: 0, to: current.length, insert: value } });
  }, [value]);

  // Set when the marks change; CodeMirror then keeps them on their text while the user edits.
  useEffect(() => {
    const v = view.current;
    if (v === null) return;
    v.dispatch(setDiagnostics(v.state, diagnosticsFor(v.state, marks)));
  }, [marks]);

  return <div ref={host} className="yaml-editor" data-testid={`${testId}-editor`} />;
}
