import type { ChangeEvent } from "react";
import { useRef, useState } from "react";

import { useAsyncAction } from "../hooks/useAsyncAction";
import type { AddedClusters } from "../ipc";
import { addCluster, errorTitle } from "../ipc";
import { Dialog, DialogError } from "./Dialog";
import { DialogFooter } from "./DialogFooter";
import type { LineMark } from "./yaml/locate";
import { marksForError } from "./yaml/locate";
import type { EditorHandle } from "./yaml/YamlEditor";
import { YamlEditor } from "./yaml/YamlEditor";

/** Larger than any sensible kubeconfig; refuse before reading it into the editor. */
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
  const adding = useAsyncAction(addCluster);
  const { busy, error, setError } = adding;
  const editor = useRef<EditorHandle>(null);
  const [marks, setMarks] = useState<LineMark[]>([]);
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
    setMarks([]);
    void adding.run(text).then((r) => {
      if (r.ok) {
        onAdded(r.value);
        return;
      }
      setMarks(marksForError(r.error, text));
      editor.current?.focus();
    });
  };

  return (
    <Dialog
      title="Add cluster"
      testId="add-cluster-dialog"
      size="wide"
      onClose={onCancel}
      closable={!busy}
      footer={
        <DialogFooter
          busy={busy}
          busyText="Checking the server…"
          progressTestId="add-cluster-progress"
          onCancel={onCancel}
          okLabel="Add"
          onOk={submit}
          okTestId="add-cluster-submit"
          okDisabled={text.trim() === ""}
        />
      }
    >
      <p className="dialog__text dialog__muted">
        Paste a kubeconfig or choose a file. Capstan reaches the server and lists its namespaces
        before saving it to its own kubeconfig; tokens and keys go to the system keyring.
      </p>
      <YamlEditor
        testId="add-cluster-input"
        label="Kubeconfig"
        placeholder={"apiVersion: v1\nkind: Config\nclusters: …"}
        value={text}
        readOnly={busy}
        autoFocus
        handleRef={editor}
        onChange={(value) => {
          setText(value);
          setFileName(null);
        }}
        onSubmit={submit}
        marks={marks}
      />
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
