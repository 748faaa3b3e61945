import type { ButtonHTMLAttributes } from "react";

import type { AccessQuery } from "../bindings/AccessQuery";
import { useGate } from "./useAccess";

type Props = ButtonHTMLAttributes<HTMLButtonElement> & {
  /** What the action needs; null: no check. */
  query: AccessQuery | null;
  /** The action in words, for the reason ("delete pods in namespace "web""). */
  what: string;
};

/** A button that is disabled, with the reason on hover, when the user may not do its action. */
export function GatedButton({ query, what, disabled, title, type = "button", ...rest }: Props) {
  const gate = useGate(query, what);
  return (
    <button
      {...rest}
      type={type}
      disabled={disabled === true || !gate.allowed}
      title={gate.reason ?? title}
      data-denied={gate.allowed ? undefined : "true"}
    />
  );
}
