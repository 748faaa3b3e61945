import type { KeyboardEvent, ReactNode, RefObject } from "react";
import { useEffect, useId, useRef, useState } from "react";

const FOCUSABLE =
  'button:not(:disabled), [href], input:not(:disabled), select:not(:disabled), textarea:not(:disabled), [contenteditable="true"], [tabindex]:not([tabindex="-1"])';

function focusables(root: HTMLElement): HTMLElement[] {
  return Array.from(root.querySelectorAll<HTMLElement>(FOCUSABLE)).filter(
    (el) => !el.hidden && el.tabIndex >= 0 && el.getAttribute("aria-hidden") !== "true",
  );
}

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
 * A modal dialog: role="dialog" with aria-modal, labelled by its title; focus
 * moves in on open, Tab cycles inside, Escape closes, and the focus returns to
 * where it was on close.
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
  const ref = useRef<HTMLDivElement>(null);
  const titleId = useId();

  // Where the focus was before the dialog, read on the first render: a child's
  // effect (an editor focusing itself) runs before this component's effects.
  const [previous] = useState(() =>
    document.activeElement instanceof HTMLElement ? document.activeElement : null,
  );
  // Focus moves in once, when the dialog opens (later prop changes do not move it),
  // unless a child already took it.
  const initial = useRef(initialFocus);
  useEffect(() => {
    const root = ref.current;
    if (!root?.contains(document.activeElement)) {
      const target =
        initial.current?.current ?? (root !== null ? focusables(root)[0] : undefined) ?? root;
      target?.focus();
    }
    return () => {
      if (previous?.isConnected) previous.focus();
    };
  }, [previous]);

  const onKeyDown = (e: KeyboardEvent<HTMLDivElement>) => {
    if (e.key === "Escape") {
      // Something inside used it (the YAML editor's search panel closing).
      if (e.defaultPrevented) return;
      e.preventDefault();
      e.stopPropagation();
      if (closable) onClose();
      return;
    }
    if (e.key !== "Tab" || ref.current === null) return;
    const items = focusables(ref.current);
    const first = items[0];
    const last = items[items.length - 1];
    if (first === undefined || last === undefined) {
      e.preventDefault();
      return;
    }
    const active = document.activeElement;
    if (e.shiftKey && (active === first || active === ref.current)) {
      e.preventDefault();
      last.focus();
    } else if (!e.shiftKey && active === last) {
      e.preventDefault();
      first.focus();
    }
  };

  return (
    <div className="dialog-backdrop">
      <div
        ref={ref}
        className={`dialog dialog--${size}`}
        role="dialog"
        aria-modal="true"
        aria-labelledby={titleId}
        tabIndex={-1}
        data-testid={testId}
        onKeyDown={onKeyDown}
        {...data}
      >
        <h2 id={titleId} className="dialog__title">
          {title}
        </h2>
        <div className="dialog__body">{children}</div>
        <div className="dialog__footer">{footer}</div>
      </div>
    </div>
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
