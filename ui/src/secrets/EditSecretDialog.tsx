import { useRef, useState } from "react";

import type { SecretDetails } from "../bindings/SecretDetails";
import type { ValueInput } from "../bindings/ValueInput";
import { Dialog, DialogError } from "../components/Dialog";
import { DialogFooter } from "../components/DialogFooter";
import { useAsyncAction } from "../hooks/useAsyncAction";
import { errorTitle, toIpcError } from "../ipc";
import { revealSecretKey, updateSecret } from "../ipc/secrets";
import type { Draft, ExistingKey } from "./edits";
import { draftOf, editsOf } from "./edits";
import { fileValue, formatSize } from "./files";

type Props = {
  context: string;
  secret: SecretDetails;
  onSaved: (resourceVersion: string) => void;
  onClose: () => void;
};

/**
 * Change values, add or remove keys, and save on top of the version the
 * panel showed: if someone saved in between, the save fails and the draft
 * stays, so nothing is overwritten or lost.
 */
export function EditSecretDialog({ context, secret, onSaved, onClose }: Props) {
  const [draft, setDraft] = useState<Draft>(() => draftOf(secret.keys.map((k) => k.key)));
  const [problem, setProblem] = useState<string | null>(null);
  const saving = useAsyncAction(updateSecret);
  const { busy, error, setError } = saving;
  const nextId = useRef(0);

  const setExisting = (key: string, change: ExistingKey["change"]) => {
    setDraft((d) => ({ ...d, existing: d.existing.map((e) => (e.key === key ? { key, change } : e)) }));
  };
  const startChange = async (key: string) => {
    setError(null);
    try {
      // Start from the current value when it is text; binary is replaced by a file.
      const current = await revealSecretKey(context, secret.namespace, secret.name, key);
      setExisting(key, { kind: "set", value: current.kind === "text" ? { kind: "text", text: current.text } : { kind: "text", text: "" } });
    } catch (err) {
      setError(toIpcError(err));
    }
  };
  const addKey = () => {
    nextId.current += 1;
    const id = nextId.current;
    setDraft((d) => ({ ...d, added: [...d.added, { id, key: "", value: { kind: "text", text: "" } }] }));
  };
  const setAdded = (id: number, patch: { key?: string; value?: ValueInput }) => {
    setDraft((d) => ({ ...d, added: d.added.map((a) => (a.id === id ? { ...a, ...patch } : a)) }));
  };

  const save = () => {
    const result = editsOf(draft);
    if ("problem" in result) {
      setProblem(result.problem);
      return;
    }
    setProblem(null);
    void saving.run(context, secret.namespace, secret.name, secret.resourceVersion, result.edits).then((r) => {
      if (r.ok) onSaved(r.value);
    });
  };

  const sizes = new Map(secret.keys.map((k) => [k.key, k.size]));
  return (
    <Dialog
      title={`Edit secret ${secret.name}`}
      testId="secret-edit-dialog"
      size="wide"
      onClose={onClose}
      closable={!busy}
      footer={
        <DialogFooter
          busy={busy}
          busyText="Saving…"
          onCancel={onClose}
          cancelTestId="secret-edit-cancel"
          okLabel="Save"
          onOk={save}
          okTestId="secret-edit-save"
        />
      }
    >
      <div className="dialog__form">
        {draft.existing.map((e) => (
          <div key={e.key} className="field secret-edit__row" data-testid="secret-edit-key" data-key={e.key} data-change={e.change.kind}>
            <span className="field__label mono">
              {e.key} <span className="dialog__muted">({formatSize(sizes.get(e.key) ?? 0)})</span>
            </span>
            {e.change.kind === "keep" && (
              <span>
                <span className="dialog__muted">unchanged</span>{" "}
                <button type="button" className="link-button" data-testid="secret-edit-change" onClick={() => void startChange(e.key)}>
                  Change value
                </button>{" "}
                <button
                  type="button"
                  className="link-button"
                  data-testid="secret-edit-remove"
                  onClick={() => {
                    setExisting(e.key, { kind: "remove" });
                  }}
                >
                  Remove key
                </button>
              </span>
            )}
            {e.change.kind === "remove" && (
              <span>
                <span className="text--warn">will be removed</span>{" "}
                <button
                  type="button"
                  className="link-button"
                  onClick={() => {
                    setExisting(e.key, { kind: "keep" });
                  }}
                >
                  Keep it
                </button>
              </span>
            )}
            {e.change.kind === "set" && (
              <ValueField
                value={e.change.value}
                label={`New value of ${e.key}`}
                onChange={(value) => {
                  setExisting(e.key, { kind: "set", value });
                }}
                onUndo={() => {
                  setExisting(e.key, { kind: "keep" });
                }}
              />
            )}
          </div>
        ))}
        {draft.added.map((a) => (
          <div key={a.id} className="field secret-edit__row" data-testid="secret-edit-added">
            <input
              className="input input--compact mono"
              placeholder="new-key"
              aria-label="New key"
              data-testid="secret-edit-new-key"
              value={a.key}
              onChange={(ev) => {
                setAdded(a.id, { key: ev.target.value });
              }}
            />
            <ValueField
              value={a.value}
              label="Value of the new key"
              onChange={(value) => {
                setAdded(a.id, { value });
              }}
              onUndo={() => {
                setDraft((d) => ({ ...d, added: d.added.filter((x) => x.id !== a.id) }));
              }}
            />
          </div>
        ))}
        <button type="button" className="button button--small secret-edit__add" data-testid="secret-edit-add" onClick={addKey}>
          Add key
        </button>
        {problem !== null && (
          <p className="field__problem" role="alert" data-testid="secret-edit-problem">
            {problem}
          </p>
        )}
        {error !== null && (
          <DialogError
            title={error.kind === "conflict" ? "Changed on the server" : errorTitle(error.kind)}
            message={
              error.kind === "conflict"
                ? `${error.message} Your edits are kept here: cancel and reopen the secret to start from the saved version.`
                : error.message
            }
            detail={error.detail}
            testId="secret-edit-error"
          />
        )}
      </div>
    </Dialog>
  );
}

/** A value typed in, or taken from a file (shown by size only). */
export function ValueField({
  value,
  label,
  onChange,
  onUndo,
}: {
  value: ValueInput;
  label: string;
  onChange: (value: ValueInput) => void;
  onUndo: () => void;
}) {
  const [fileName, setFileName] = useState<string | null>(null);
  return (
    <span className="secret-edit__value">
      {value.kind === "text" ? (
        <textarea
          className="textarea mono"
          aria-label={label}
          data-testid="secret-edit-value"
          rows={2}
          spellCheck={false}
          autoComplete="off"
          value={value.text}
          onChange={(ev) => {
            onChange({ kind: "text", text: ev.target.value });
          }}
        />
      ) : (
        <span className="dialog__muted">from file {fileName ?? ""}</span>
      )}
      <label className="link-button">
        From file…
        <input
          type="file"
          className="visually-hidden"
          aria-label={`${label} from a file`}
          onChange={(ev) => {
            const file = ev.target.files?.[0];
            if (file === undefined) return;
            setFileName(file.name);
            void fileValue(file).then(onChange);
          }}
        />
      </label>{" "}
      <button type="button" className="link-button" onClick={onUndo}>
        Undo
      </button>
    </span>
  );
}
