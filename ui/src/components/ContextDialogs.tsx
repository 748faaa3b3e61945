import type { SyntheticEvent } from "react";
import { useEffect, useRef, useState } from "react";

import type { ContextSummary, IpcError, MakeCurrentOutcome, MakeCurrentPreview } from "../ipc";
import {
  errorTitle,
  makeCurrent,
  makeCurrentPreview,
  removeContext,
  renameContext,
  toIpcError,
} from "../ipc";
import { makeCurrentWarning, renameProblem } from "../state/dialogs";
import { ConfirmDialog } from "./ConfirmDialog";
import { Dialog, DialogError, Spinner } from "./Dialog";
import { DialogFooter } from "./DialogFooter";
import { useAsyncAction } from "../hooks/useAsyncAction";
import { WarnIcon } from "./icons";

type Preview =
  | { status: "loading" }
  | { status: "ok"; preview: MakeCurrentPreview }
  | { status: "error"; error: IpcError };

type MakeCurrentProps = {
  context: string;
  onDone: (outcome: MakeCurrentOutcome) => void;
  onCancel: () => void;
};

/**
 * "Make current": names the file that will be rewritten and, when the rewrite
 * can lose comments or formatting, says so before anything is written.
 */
export function MakeCurrentDialog({ context, onDone, onCancel }: MakeCurrentProps) {
  const [preview, setPreview] = useState<Preview>({ status: "loading" });
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<IpcError | null>(null);

  useEffect(() => {
    let live = true;
    makeCurrentPreview(context).then(
      (p) => {
        if (live) setPreview({ status: "ok", preview: p });
      },
      (err: unknown) => {
        if (live) setPreview({ status: "error", error: toIpcError(err) });
      },
    );
    return () => {
      live = false;
    };
  }, [context]);

  const onOk = () => {
    setBusy(true);
    setError(null);
    makeCurrent(context).then(onDone, (err: unknown) => {
      setBusy(false);
      setError(toIpcError(err));
    });
  };

  const warning = preview.status === "ok" ? makeCurrentWarning(preview.preview) : null;
  return (
    <ConfirmDialog
      title="Make current context"
      action="make-current"
      okLabel="Make current"
      okDisabled={preview.status !== "ok"}
      busy={busy}
      busyText="Writing…"
      error={preview.status === "error" ? preview.error : error}
      onOk={onOk}
      onCancel={onCancel}
    >
      {preview.status === "loading" ? (
        <p className="dialog__text dialog__progress" role="status">
          <Spinner />
          Looking up the file that defines “{context}”…
        </p>
      ) : preview.status === "ok" ? (
        <>
          <p className="dialog__text">
            Set <code>current-context: {context}</code> in
          </p>
          <p className="dialog__path" data-testid="confirm-file">
            {preview.preview.file}
          </p>
          <p className="dialog__text dialog__muted">
            kubectl and other tools will then use this context by default. Selecting a context in
            Capstan alone never writes any file.
          </p>
          {warning !== null && (
            <p className="dialog__warning" data-testid="confirm-warning">
              <WarnIcon />
              <span>{warning}</span>
            </p>
          )}
        </>
      ) : null}
    </ConfirmDialog>
  );
}

type RemoveProps = {
  context: ContextSummary;
  onDone: () => void;
  onCancel: () => void;
};

/** "Remove…" for a context Capstan manages; its stored credentials go too. */
export function RemoveDialog({ context, onDone, onCancel }: RemoveProps) {
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<IpcError | null>(null);
  const onOk = () => {
    setBusy(true);
    setError(null);
    removeContext(context.name).then(onDone, (err: unknown) => {
      setBusy(false);
      setError(toIpcError(err));
    });
  };
  return (
    <ConfirmDialog
      title={`Remove “${context.name}”?`}
      action="remove"
      okLabel="Remove"
      danger
      busy={busy}
      busyText="Removing…"
      error={error}
      onOk={onOk}
      onCancel={onCancel}
    >
      <p className="dialog__text">
        The context <strong>{context.name}</strong> is removed from Capstan’s kubeconfig:
      </p>
      <p className="dialog__path">{context.source}</p>
      <p className="dialog__text dialog__muted">
        Its stored credentials (token, client key or password) are deleted too. Your own kubeconfig
        files are not touched.
      </p>
    </ConfirmDialog>
  );
}

type RenameProps = {
  context: ContextSummary;
  existing: readonly string[];
  onDone: (to: string) => void;
  onCancel: () => void;
};

/** "Rename…" for a context Capstan manages. */
export function RenameDialog({ context, existing, onDone, onCancel }: RenameProps) {
  const [value, setValue] = useState(context.name);
  const renaming = useAsyncAction(renameContext);
  const { busy, error } = renaming;
  const input = useRef<HTMLInputElement>(null);
  const problem = renameProblem(context.name, value, existing);
  const to = value.trim();

  useEffect(() => {
    input.current?.select();
  }, []);

  const onSubmit = (e: SyntheticEvent) => {
    e.preventDefault();
    if (problem !== null || busy) return;
    if (to === context.name) {
      onCancel();
      return;
    }
    void renaming.run(context.name, to).then((r) => {
      if (r.ok) onDone(to);
    });
  };

  const formId = "rename-form";
  return (
    <Dialog
      title={`Rename “${context.name}”`}
      testId="rename-dialog"
      onClose={onCancel}
      closable={!busy}
      initialFocus={input}
      footer={
        <DialogFooter
          busy={busy}
          busyText="Renaming…"
          onCancel={onCancel}
          okLabel="Rename"
          okForm={formId}
          okTestId="rename-submit"
          okDisabled={problem !== null}
        />
      }
    >
      <form id={formId} onSubmit={onSubmit} className="dialog__form">
        <label className="field">
          <span className="field__label">New name</span>
          <input
            ref={input}
            className="input"
            data-testid="rename-input"
            value={value}
            spellCheck={false}
            autoComplete="off"
            readOnly={busy}
            aria-invalid={problem !== null}
            aria-describedby="rename-problem"
            onChange={(e) => {
              setValue(e.target.value);
            }}
          />
        </label>
        <p id="rename-problem" className="field__problem" aria-live="polite">
          {problem ?? ""}
        </p>
      </form>
      {error !== null && (
        <DialogError title={errorTitle(error.kind)} message={error.message} detail={error.detail} />
      )}
    </Dialog>
  );
}
