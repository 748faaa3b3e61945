import { useState } from "react";

import type { CreateResult } from "../bindings/CreateResult";
import { Dialog, DialogError, Spinner } from "../components/Dialog";
import type { IpcError } from "../ipc";
import { errorTitle, toIpcError } from "../ipc";
import { createYaml } from "../ipc/resources";

type Props = { context: string; namespace: string; onClose: () => void };

/** Create objects from pasted YAML (several documents allowed) in `namespace`. */
export function CreateYamlDialog({ context, namespace, onClose }: Props) {
  const [text, setText] = useState("");
  const [busy, setBusy] = useState(false);
  const [results, setResults] = useState<CreateResult[] | null>(null);
  const [error, setError] = useState<IpcError | null>(null);
  const submit = () => {
    setBusy(true);
    setError(null);
    setResults(null);
    createYaml(context, namespace, text).then(
      (r) => {
        setBusy(false);
        setResults(r);
      },
      (err: unknown) => {
        setBusy(false);
        setError(toIpcError(err));
      },
    );
  };
  return (
    <Dialog
      title={`Create from YAML in ${namespace}`}
      testId="create-yaml"
      size="wide"
      onClose={onClose}
      closable={!busy}
      footer={
        <>
          {busy && (
            <span className="dialog__progress" role="status">
              <Spinner />
              Creating…
            </span>
          )}
          <span className="dialog__spacer" />
          <button type="button" className="button" onClick={onClose} disabled={busy}>
            Close
          </button>
          <button
            type="button"
            className="button button--primary"
            data-testid="create-yaml-submit"
            disabled={busy || text.trim() === ""}
            onClick={submit}
          >
            Create
          </button>
        </>
      }
    >
      <textarea
        className="input textarea"
        data-testid="create-yaml-input"
        aria-label="YAML to create"
        spellCheck={false}
        placeholder={"apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: example\n---\n…"}
        value={text}
        onChange={(e) => {
          setText(e.target.value);
        }}
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
