import type { RefObject } from "react";

import { Spinner } from "./Dialog";

type Props = {
  /** While true: the progress text shows and both buttons are disabled. */
  busy: boolean;
  busyText: string;
  progressTestId?: string;
  cancelLabel?: string;
  onCancel: () => void;
  cancelTestId?: string;
  cancelRef?: RefObject<HTMLButtonElement | null>;
  okLabel: string;
  /** Without it the OK button submits the form `okForm`. */
  onOk?: () => void;
  okForm?: string;
  okTestId?: string;
  okRef?: RefObject<HTMLButtonElement | null>;
  /** OK cannot be used yet (empty or invalid input). */
  okDisabled?: boolean;
  /** A destructive OK: red instead of primary. */
  danger?: boolean;
};

/** The one footer of every dialog: progress on the left, Cancel and OK on the right. */
export function DialogFooter({
  busy,
  busyText,
  progressTestId,
  cancelLabel = "Cancel",
  onCancel,
  cancelTestId,
  cancelRef,
  okLabel,
  onOk,
  okForm,
  okTestId,
  okRef,
  okDisabled = false,
  danger = false,
}: Props) {
  return (
    <>
      {busy && (
        <span className="dialog__progress" role="status" data-testid={progressTestId}>
          <Spinner />
          {busyText}
        </span>
      )}
      <span className="dialog__spacer" />
      <button ref={cancelRef} type="button" className="button" data-testid={cancelTestId} onClick={onCancel} disabled={busy}>
        {cancelLabel}
      </button>
      <button
        ref={okRef}
        type={onOk === undefined ? "submit" : "button"}
        form={onOk === undefined ? okForm : undefined}
        className={`button ${danger ? "button--danger" : "button--primary"}`}
        data-testid={okTestId}
        onClick={onOk}
        disabled={busy || okDisabled}
      >
        {okLabel}
      </button>
    </>
  );
}
