import type { KeyboardEvent } from "react";
import { useId, useRef, useState } from "react";

import type { Namespace } from "../hooks/useNamespace";
import {
  ALL_VALUE,
  named,
  namespaceNameProblem,
  namespaceOptions,
  selectionFromValue,
  selectionValue,
} from "../state/namespace";
import { RefreshIcon, WarnIcon } from "./icons";

/** `<option>` value that switches to typing a name (never a valid namespace name). */
const TYPE_VALUE = "__type__";

type Props = { namespace: Namespace };

/**
 * The namespace the selected context is viewed in: a native select with the
 * cluster's namespaces and "All namespaces", plus a text field to type a name
 * (always there when the cluster could not be listed).
 */
export function NamespaceSwitcher({ namespace }: Props) {
  const { selection, list, saveError, choose, retryList } = namespace;
  const [typing, setTyping] = useState(false);
  const [typed, setTyped] = useState("");
  const [problem, setProblem] = useState<string | null>(null);
  const input = useRef<HTMLInputElement>(null);
  const selectId = useId();
  if (selection === null) return null;

  const names = namespaceOptions(list.status === "ok" ? list.names : [], selection);
  const showInput = typing || list.status === "error";

  const apply = () => {
    const name = typed.trim();
    const why = namespaceNameProblem(name);
    setProblem(why);
    if (why !== null) return;
    choose(named(name));
    setTyped("");
    setTyping(false);
  };

  const onInputKey = (e: KeyboardEvent<HTMLInputElement>) => {
    if (e.key === "Enter") {
      e.preventDefault();
      apply();
    } else if (e.key === "Escape" && typing) {
      e.preventDefault();
      setTyping(false);
      setProblem(null);
    }
  };

  return (
    <div className="ns-switcher" data-list-status={list.status}>
      <label htmlFor={selectId} className="ns-switcher__label">
        Namespace
      </label>
      <select
        id={selectId}
        className="select"
        data-testid="namespace-select"
        value={selectionValue(selection)}
        onChange={(e) => {
          const value = e.target.value;
          if (value === TYPE_VALUE) {
            setTyping(true);
            setProblem(null);
            requestAnimationFrame(() => input.current?.focus());
            return;
          }
          setTyping(false);
          choose(selectionFromValue(value));
        }}
      >
        <option value={ALL_VALUE}>All namespaces</option>
        {names.map((n) => (
          <option key={n} value={n}>
            {n}
          </option>
        ))}
        <option value={TYPE_VALUE}>Type a name…</option>
      </select>
      {showInput && (
        <input
          ref={input}
          className="input input--compact"
          data-testid="namespace-input"
          aria-label="Namespace name"
          placeholder="namespace…"
          value={typed}
          spellCheck={false}
          autoComplete="off"
          aria-invalid={problem !== null}
          title={problem ?? "Type a namespace name and press Enter"}
          onChange={(e) => {
            setTyped(e.target.value);
            setProblem(null);
          }}
          onKeyDown={onInputKey}
        />
      )}
      {list.status === "loading" && (
        <span className="ns-switcher__note" role="status">
          listing…
        </span>
      )}
      {problem !== null && (
        <span className="ns-switcher__error" role="alert">
          {problem}
        </span>
      )}
      {problem === null && list.status === "error" && (
        <span
          className="ns-switcher__error"
          role="alert"
          data-testid="namespace-error"
          title={[list.error.message, list.error.detail].filter((s) => s !== null && s !== "").join("\n")}
        >
          <WarnIcon />
          <span className="ns-switcher__error-text">Namespaces not listed: {list.error.message}</span>
          <button
            type="button"
            className="icon-button icon-button--small"
            onClick={retryList}
            title="List namespaces again"
            aria-label="List namespaces again"
          >
            <RefreshIcon />
          </button>
        </span>
      )}
      {problem === null && list.status !== "error" && saveError !== null && (
        <span className="ns-switcher__error" role="alert" title={saveError.detail ?? ""}>
          <WarnIcon />
          <span className="ns-switcher__error-text">Not remembered: {saveError.message}</span>
        </span>
      )}
    </div>
  );
}
