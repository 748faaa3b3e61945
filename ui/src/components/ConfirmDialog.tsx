import type { ReactNode } from "react";
import { useRef } from "react";

import type { IpcError } from "../ipc";
import { errorTitle } from "../ipc";
import { Dialog, DialogError } from "./Dialog";
import { DialogFooter } from "./DialogFooter";

type Props = {
  title: string;
  children: ReactNode;
  okLabel: string;
  /** A destructive action: the OK button is red and Cancel has the initial focus. */
  danger?: boolean;
  /** The OK button cannot be used yet (e.g. a preview is loading or failed). */
  okDisabled?: boolean;
  busy?: boolean;
  busyText?: string;
  error?: IpcError | null;
  onOk: () => void;
  onCancel: () => void;
  action: string;
};

/** A yes/no question before something is written or deleted. */
export function ConfirmDialog({
  title,
  children,
  okLabel,
  danger = false,
  okDisabled = false,
  busy = false,
  busyText = "Working…",
  error = null,
  onOk,
  onCancel,
  action,
}: Props) {
  const ok = useRef<HTMLButtonElement>(null);
  const cancel = useRef<HTMLButtonElement>(null);
  return (
    <Dialog
      title={title}
      testId="confirm-dialog"
      onClose={onCancel}
      closable={!busy}
      initialFocus={danger || okDisabled ? cancel : ok}
      data={{ "data-action": action }}
      footer={
        <DialogFooter
          busy={busy}
          busyText={busyText}
          onCancel={onCancel}
          cancelTestId="confirm-cancel"
          cancelRef={cancel}
          okLabel={okLabel}
          onOk={onOk}
          okTestId="confirm-ok"
          okRef={ok}
          okDisabled={okDisabled}
          danger={danger}
        />
      }
    >
      {children}
      {error !== null && (
        <DialogError title={errorTitle(error.kind)} message={error.message} detail={error.detail} />
      )}
    </Dialog>
  );
}
