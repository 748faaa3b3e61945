import * as RadixDialog from "@radix-ui/react-dialog";
import type { ReactNode, RefObject } from "react";
import { useRef, useState } from "react";

type Props = {
  title: string;
  testId: string;
  /** Escape and the close controls call this; ignored while `closable` is false. */
  onClose: () => void;
  closable?: boolean;
  /** Element focused when the dialog opens (else the first focusable one). */
  initialFocus?: RefObject<HTMLElement | null>;
  children: ReactNode;
  footer: ReactNode;
  size?: "small" | "wide";
  /** Extra data-* attributes. */
  data?: Record<`data-${string}`, string>;
};

/**
 * A modal dialog (Radix Dialog): role="dialog" with aria-modal, labelled by
 * its title, the rest of the page inert; focus moves in on open and stays
 * inside, Escape closes, and the focus returns to where it was on close. A
 * click outside does nothing, so a half-filled form is never lost.
 */
export function Dialog({
  title,
  testId,
  onClose,
  closable = true,
  initialFocus,
  children,
  footer,
  size = "small",
  data,
}: Props) {
  // Where the focus was before the dialog, read on the first render: a child's
  // effect (an editor focusing itself) runs before Radix's focus scope mounts.
  const [previous] = useState(() =>
    document.activeElement instanceof HTMLElement ? document.activeElement : null,
  );
  const initial = useRef(initialFocus);
  return (
    <RadixDialog.Root
      open
      onOpenChange={(open) => {
        if (!open && closable) onClose();
      }}
    >
      <RadixDialog.Portal>
        <RadixDialog.Overlay className="dialog-backdrop">
          <RadixDialog.Content
            className={`dialog dialog--${size}`}
            aria-modal="true"
            aria-describedby={undefined}
            data-testid={testId}
            {...data}
            onOpenAutoFocus={(e) => {
              const target = initial.current?.current;
              const root = e.currentTarget instanceof HTMLElement ? e.currentTarget : null;
              // A child that took the focus (the YAML editor) keeps it.
              if (target != null || root?.contains(document.activeElement) === true) e.preventDefault();
              target?.focus();
            }}
            onCloseAutoFocus={(e) => {
              e.preventDefault();
              if (previous?.isConnected === true) previous.focus();
            }}
            onEscapeKeyDown={(e) => {
              // Escape in the editor's search panel closes the panel, not the dialog.
              const target = e.target instanceof Element ? e.target : null;
              if (!closable || target?.closest(".cm-panels") != null) e.preventDefault();
            }}
            onPointerDownOutside={(e) => {
              e.preventDefault();
            }}
            onInteractOutside={(e) => {
              e.preventDefault();
            }}
          >
            <RadixDialog.Title className="dialog__title">{title}</RadixDialog.Title>
            <div className="dialog__body">{children}</div>
            <div className="dialog__footer">{footer}</div>
          </RadixDialog.Content>
        </RadixDialog.Overlay>
      </RadixDialog.Portal>
    </RadixDialog.Root>
  );
}

/** An IpcError inside a dialog, as text. */
export function DialogError({
  title,
  message,
  detail,
  testId,
}: {
  title: string;
  message: string;
  detail: string | null;
  testId?: string;
}) {
  return (
    <div className="dialog__error" role="alert" data-testid={testId}>
      <p className="dialog__error-title">{title}</p>
      <p className="dialog__error-message">{message}</p>
      {detail !== null && detail !== "" && <pre className="dialog__error-detail">{detail}</pre>}
    </div>
  );
}

export function Spinner() {
  return <span className="spinner" aria-hidden="true" />;
}
