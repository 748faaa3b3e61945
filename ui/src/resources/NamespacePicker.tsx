import { useState } from "react";

type Props = {
  /** [] = all namespaces. */
  value: readonly string[];
  names: readonly string[];
  onChange: (namespaces: string[]) => void;
};

export function namespacesLabel(value: readonly string[]): string {
  if (value.length === 0) return "All namespaces";
  if (value.length <= 2) return value.join(", ");
  return `${String(value.length)} namespaces`;
}

/** One, several or all namespaces for the table (the switcher's choice is the default). */
export function NamespacePicker({ value, names, onChange }: Props) {
  const [open, setOpen] = useState(false);
  const all = value.length === 0;
  // Chosen names the list does not (yet) have still show, so they can be unticked.
  const options = [...new Set([...names, ...value])].sort();
  const toggle = (name: string) => {
    const next = value.includes(name) ? value.filter((n) => n !== name) : [...value, name];
    onChange(next);
  };
  return (
    <div className="ns-picker">
      <button
        type="button"
        className="button button--small"
        aria-haspopup="listbox"
        aria-expanded={open}
        data-testid="namespace-multi"
        onClick={() => {
          setOpen((o) => !o);
        }}
      >
        {namespacesLabel(value)} ▾
      </button>
      {open && (
        <div className="ns-picker__pop" role="listbox" aria-multiselectable="true" aria-label="Namespaces">
          <label className="ns-picker__item">
            <input
              type="checkbox"
              checked={all}
              data-testid="namespace-all"
              onChange={() => {
                onChange([]);
              }}
            />
            All namespaces
          </label>
          {options.map((name) => (
            <label key={name} className="ns-picker__item">
              <input
                type="checkbox"
                checked={!all && value.includes(name)}
                data-testid="namespace-option"
                data-namespace={name}
                onChange={() => {
                  toggle(name);
                }}
              />
              {name}
            </label>
          ))}
          <button
            type="button"
            className="button button--small"
            onClick={() => {
              setOpen(false);
            }}
          >
            Done
          </button>
        </div>
      )}
    </div>
  );
}
