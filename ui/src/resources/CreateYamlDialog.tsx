import { useState } from "react";

import type { CreateResult } from "../bindings/CreateResult";
import { Dialog, DialogError } from "../components/Dialog";
import { DialogFooter } from "../components/DialogFooter";
import type { LineMark } from "../components/yaml/locate";
import { locateError, marksForError } from "../components/yaml/locate";
import { YamlEditor } from "../components/yaml/YamlEditor";
import { useAsyncAction } from "../hooks/useAsyncAction";
import { errorTitle } from "../ipc";
import { createYaml } from "../ipc/resources";

type Props = { context: string; namespace: string; onClose: () => void };

/** Lint marks for the documents that failed. */
function marksFor(text: string, results: readonly CreateResult[]): LineMark[] {
  return results.flatMap((r) => {
    if (r.error === null) return [];
    const line = locateError(r.error, text, r.index);
    return line !== null ? [{ line, message: `#${String(r.index + 1)} ${r.label}: ${r.error}` }] : [];
  });
}

/** Create objects from pasted YAML (several documents allowed) in `namespace`. */
export function CreateYamlDialog({ context, namespace, onClose }: Props) {
  const [text, setText] = useState("");
  const [results, setResults] = useState<CreateResult[] | null>(null);
  const [marks, setMarks] = useState<LineMark[]>([]);
  const creating = useAsyncAction(createYaml);
  const { busy, error } = creating;
  const submit = () => {
    setResults(null);
    setMarks([]);
    const sent = text;
    void creating.run(context, namespace, sent).then((r) => {
      if (r.ok) {
        setResults(r.value);
        setMarks(marksFor(sent, r.value));
      } else {
        setMarks(marksForError(r.error, sent));
      }
    });
  };
  return (
    <Dialog
      title={`Create from YAML in ${namespace}`}
      testId="create-yaml"
      size="wide"
      onClose={onClose}
      closable={!busy}
      footer={
        <DialogFooter
          busy={busy}
          busyText="Creating…"
          cancelLabel="Close"
          onCancel={onClose}
          okLabel="Create"
          onOk={submit}
          okTestId="create-yaml-submit"
          okDisabled={text.trim() === ""}
        />
      }
    >
      <YamlEditor
        testId="create-yaml-input"
        label="YAML to create"
        placeholder={"apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: example\n---\n…"}
        value={text}
        readOnly={busy}
        autoFocus
        onChange={setText}
        onSubmit={submit}
        marks={marks}
      />
      {error !== null && <DialogError title={errorTitle(error.kind)} message={error.message} detail={error.detail} />}
      {results !== null && (
        <ul className="create-results">
          {results.map((r) => (
            <li
              key={r.index}
              data-testid="create-result"
              data-ok={String(r.error === null)}
              className={r.error === null ? "text--ok" : "text--error"}
            >
              #{r.index + 1} {r.label}: {r.error ?? "created"}
            </li>
          ))}
        </ul>
      )}
    </Dialog>
  );
}
