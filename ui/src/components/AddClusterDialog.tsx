import type { ChangeEvent } from "react";
import { useRef, useState } from "react";

import type { AddedClusters, IpcError } from "../ipc";
import { addCluster, errorTitle, toIpcError } from "../ipc";
import { Dialog, DialogError, Spinner } from "./Dialog";

/** Larger than any sensible kubeconfig; refuse before reading it into the textarea. */
const MAX_FILE_BYTES = 1024 * 1024;

type Props = {
  onAdded: (added: AddedClusters) => void;
  onCancel: () => void;
};

/**
 * "Add cluster": paste a kubeconfig or read one from a file. The backend
 * checks it (parse, reach the server, list namespaces) before saving; on
 * failure the error is shown and the text stays as it was.
 */
export function AddClusterDialog({ onAdded, onCancel }: Props) {
  const [text, setText] = useState("");
  const [fileName, setFileName] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<IpcError | null>(null);
  const textarea = useRef<HTMLTextAreaElement>(null);
  const fileInput = useRef<HTMLInputElement>(null);

  const onFile = (e: ChangeEvent<HTMLInputElement>) => {
    const input = e.currentTarget;
    const file = input.files?.[0];
    // Let the same file be chosen again after an edit.
    input.value = "";
    if (file === undefined) return;
    if (file.size > MAX_FILE_BYTES) {
      setError({
        kind: "invalidInput",
        message: `${file.name} is too large to be a kubeconfig`,
        detail: `${file.size} bytes; the limit is ${MAX_FILE_BYTES}.`,
      });
      return;
    }
    const reader = new FileReader();
    reader.onload = () => {
      if (typeof reader.result === "string") {
        setText(reader.result);
        setFileName(file.name);
        setError(null);
      }
    };
    reader.onerror = () => {
      setError({
        kind: "io",
        message: `${file.name} could not be read`,
        detail: reader.error?.message ?? null,
      });
    };
    reader.readAsText(file);
  };

  const submit = () => {
    if (busy || text.trim() === "") return;
    setBusy(true);
    setError(null);
    addCluster(text).then(onAdded, (err: unknown) => {
      setBusy(false);
      setError(toIpcError(err));
      textarea.current?.focus();
    });
  };

  return (
    <Dialog
      title="Add cluster"
      testId="add-cluster-dialog"
      size="wide"
      onClose={onCancel}
      closable={!busy}
      initialFocus={textarea}
      footer={
        <>
          {busy && (
            <span className="dialog__progress" role="status" data-testid="add-cluster-progress">
              <Spinner />
              Checking the server…
            </span>
          )}
          <span className="dialog__spacer" />
          <button type="button" className="button" onClick={onCancel} disabled={busy}>
            Cancel
          </button>
          <button
            type="button"
            className="button button--primary"
            data-testid="add-cluster-submit"
            onClick={submit}
            disabled={busy || text.trim() === ""}
          >
            Add
          </button>
        </>
      }
    >
      <p className="dialog__text dialog__muted">
        Paste a kubeconfig or choose a file. Capstan reaches the server and lists its namespaces
        before saving it to its own kubeconfig; tokens and keys go to the system keyring.
      </p>
      <label className="field">
        <span className="field__label visually-hidden">Kubeconfig</span>
        <textarea
          ref={textarea}
          className="input textarea"
          data-testid="add-cluster-input"
          aria-label="Kubeconfig"
          placeholder={"apiVersion: v1\nkind: Config\nclusters: …"}
          value={text}
          readOnly={busy}
          spellCheck={false}
          autoComplete="off"
          autoCapitalize="off"
          rows={12}
          onChange={(e) => {
            setText(e.target.value);
            setFileName(null);
          }}
          onKeyDown={(e) => {
            if (e.key === "Enter" && (e.ctrlKey || e.metaKey)) {
              e.preventDefault();
              submit();
            }
          }}
        />
      </label>
      <div className="dialog__row">
        <button
          type="button"
          className="button"
          disabled={busy}
          onClick={() => {
            fileInput.current?.click();
          }}
        >
          Choose file…
        </button>
        <input
          ref={fileInput}
          type="file"
          className="visually-hidden"
          tabIndex={-1}
          aria-hidden="true"
          data-testid="add-cluster-file"
          onChange={onFile}
        />
        <span className="dialog__muted dialog__filename">
          {fileName !== null ? `Loaded ${fileName}` : "Ctrl+Enter adds"}
        </span>
      </div>
      {error !== null && (
        <DialogError
          testId="add-cluster-error"
          title={errorTitle(error.kind)}
          message={error.message}
          detail={error.detail}
        />
      )}
    </Dialog>
  );
}
