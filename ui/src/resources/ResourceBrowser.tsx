import { useDeferredValue, useEffect, useMemo, useState } from "react";

import type { KindInfo } from "../bindings/KindInfo";
import type { ObjectRef } from "../bindings/ObjectRef";
import type { Row } from "../bindings/Row";
import type { ViewStatus } from "../bindings/ViewStatus";
import { CreateSecretDialog } from "../secrets/CreateSecretDialog";
import { filterByType, secretTypes } from "../secrets/typeFilter";
import { CreateYamlDialog } from "./CreateYamlDialog";
import { DetailsPanel, refKey } from "./DetailsPanel";
import { checkLabelSelector } from "./labelSelector";
import { NamespacePicker } from "./NamespacePicker";
import { ResourceTable } from "./ResourceTable";
import { useShellOpener } from "../shell/opener";
import { podShortcut } from "../shell/pod";
import { rowKey } from "./rows";
import type { ShownColumn, SortSpec } from "./table";
import { filterRows, nextSort, sortRows, spansNamespaces, visibleColumns } from "./table";
import { useResourceView } from "./useResourceView";
import { ViewStatusBadge } from "./ViewStatusBadge";
import { ErrorBox } from "./YamlTab";
import { describeDenial, queryFor } from "../access/model";
import { useGate } from "../access/useAccess";

type Props = {
  context: string;
  kind: KindInfo;
  /** The namespace switcher's choice: [name], or [] for all. */
  defaultNamespaces: readonly string[];
  /** The cluster's namespaces, for the multi-select. */
  namespaceNames: readonly string[];
  /** Reports the view's status (null when closed) for the status bar. */
  onStatus?: (status: ViewStatus | null) => void;
};

/** The toolbar, live table and details panel of one kind. */
export function ResourceBrowser({ context, kind, defaultNamespaces, namespaceNames, onStatus }: Props) {
  // A choice in the toolbar holds until the namespace switcher changes.
  const [chosen, setChosen] = useState<{ base: string; namespaces: string[] } | null>(null);
  const base = defaultNamespaces.join(",");
  const chosenNamespaces = chosen?.base === base ? chosen.namespaces : null;
  const namespaces = kind.namespaced ? (chosenNamespaces ?? defaultNamespaces) : [];
  const [selectorText, setSelectorText] = useState("");
  const [selector, setSelector] = useState<string | null>(null);
  const [filter, setFilter] = useState("");
  const [wide, setWide] = useState(false);
  const [sort, setSort] = useState<SortSpec | null>(null);
  // The object in the details panel; `row` is its table key when opened from the table.
  const [selection, setSelection] = useState<{ ref: ObjectRef; row: string | null } | null>(null);
  const selected = selection?.ref ?? null;
  const [creating, setCreating] = useState(false);
  const isSecrets = kind.group === "" && kind.kind === "Secret";
  const [secretType, setSecretType] = useState<string | null>(null);
  const [creatingSecret, setCreatingSecret] = useState(false);

  const view = useResourceView(context, kind, namespaces, selector);
  const openTerminal = useShellOpener();
  const check = checkLabelSelector(selectorText);

  useEffect(() => {
    onStatus?.(view.status);
  }, [onStatus, view.status]);
  useEffect(
    () => () => {
      onStatus?.(null);
    },
    [onStatus],
  );

  // Deferred: a burst of deltas or a long sort never blocks typing in the filter.
  const rows = useDeferredValue(view.rows);
  const sorted = useMemo(() => sortRows(rows.values(), sort), [rows, sort]);
  const typed = useMemo(
    () => (isSecrets ? filterByType(view.columns, sorted, secretType) : sorted),
    [isSecrets, view.columns, sorted, secretType],
  );
  const types = useMemo(() => (isSecrets ? secretTypes(view.columns, rows.values()) : []), [isSecrets, view.columns, rows]);
  const shown = useMemo(() => filterRows(typed, filter), [typed, filter]);
  const multi = spansNamespaces(kind.namespaced, namespaces);
  const columns = useMemo(() => visibleColumns(view.columns, wide, multi), [view.columns, wide, multi]);
  const hasWide = view.columns.some((c) => c.priority > 0);

  const refOf = (row: Row): ObjectRef => ({
    group: kind.group,
    version: kind.version,
    kind: kind.kind,
    plural: kind.plural,
    namespace: row.namespace,
    name: row.name,
  });
  const selectedKey = selection?.row ?? null;
  const selectedRow = selectedKey !== null ? view.rows.get(selectedKey) : undefined;

  const applySelector = () => {
    if (check.ok && check.selector !== selector) setSelector(check.selector);
  };
  const createNamespace = namespaces.length > 0 ? (namespaces[0] ?? "default") : (defaultNamespaces[0] ?? "default");
  const newSecret = useGate(
    isSecrets ? queryFor("", "secrets", "create", createNamespace) : null,
    `create secrets in namespace "${createNamespace}"`,
  );
  // A watch refused after it started has no error of its own: say it the same way.
  const shownError =
    view.error ??
    (view.status.state === "notAllowed"
      ? {
          kind: "forbidden" as const,
          message: `Not allowed: you may not ${describeDenial(view.status.denial)}`,
          detail: view.status.denial.reason,
          denial: view.status.denial,
        }
      : null);

  return (
    <div className="browser" data-kind={kind.kind}>
      <div className="browser__toolbar">
        <input
          className="input input--compact browser__filter"
          type="search"
          placeholder="Filter"
          aria-label="Filter rows"
          data-testid="table-filter"
          value={filter}
          onChange={(e) => {
            setFilter(e.target.value);
          }}
        />
        <div className="browser__selector">
          <input
            className="input input--compact"
            placeholder="Label selector, e.g. app=web,tier!=db"
            aria-label="Label selector"
            aria-invalid={!check.ok}
            data-testid="label-selector"
            value={selectorText}
            onChange={(e) => {
              setSelectorText(e.target.value);
            }}
            onKeyDown={(e) => {
              if (e.key === "Enter") applySelector();
            }}
            onBlur={applySelector}
          />
          {!check.ok && (
            <span className="field__problem" role="alert" data-testid="label-selector-error">
              {check.error}
            </span>
          )}
        </div>
        {kind.namespaced && (
          <NamespacePicker
            value={namespaces}
            names={namespaceNames}
            onChange={(list) => {
              setChosen({ base, namespaces: list });
            }}
          />
        )}
        {isSecrets && (
          <select
            className="select input--compact secret-type-filter"
            aria-label="Secret type"
            data-testid="secret-type-filter"
            value={secretType ?? ""}
            onChange={(e) => {
              setSecretType(e.target.value === "" ? null : e.target.value);
            }}
          >
            <option value="">All types</option>
            {types.map((t) => (
              <option key={t} value={t}>
                {t}
              </option>
            ))}
          </select>
        )}
        {hasWide && (
          <label className="browser__toggle">
            <input
              type="checkbox"
              checked={wide}
              data-testid="wide-toggle"
              onChange={(e) => {
                setWide(e.target.checked);
              }}
            />{" "}
            Wide
          </label>
        )}
        <span className="browser__spacer" />
        <span className="browser__count" data-testid="row-count" data-shown={shown.length} data-total={view.rows.size}>
          {shown.length === view.rows.size
            ? `${String(view.rows.size)} items`
            : `${String(shown.length)} of ${String(view.rows.size)}`}
        </span>
        <ViewStatusBadge status={view.status} error={view.error} />
        {isSecrets && (
          <button
            type="button"
            className="button button--small"
            data-testid="secret-create-open"
            disabled={!newSecret.allowed}
            title={newSecret.reason ?? undefined}
            data-denied={newSecret.allowed ? undefined : "true"}
            onClick={() => {
              setCreatingSecret(true);
            }}
          >
            New secret…
          </button>
        )}
        <button
          type="button"
          className="button button--small"
          data-testid="create-yaml-open"
          onClick={() => {
            setCreating(true);
          }}
        >
          Create…
        </button>
      </div>
      {shownError !== null && <ErrorBox error={shownError} testId="view-error" />}
      <div className="browser__split">
        <ResourceTable
          columns={columns}
          rows={shown}
          sort={sort}
          onSort={(c: ShownColumn) => {
            setSort((s) => nextSort(s, c.key));
          }}
          selected={selectedKey}
          onSelect={(row) => {
            setSelection({ ref: refOf(row), row: rowKey(row) });
          }}
          onRowKey={(key, modified) => {
            // k9s's keys on a selected pod: `s` a shell, `a` attach (Rust picks the container).
            const mode = podShortcut(key, modified);
            if (mode === null || openTerminal === null || selected === null) return false;
            if (selected.group !== "" || selected.kind !== "Pod" || selected.namespace === null) return false;
            openTerminal({ mode, context, namespace: selected.namespace, pod: selected.name, container: null });
            return true;
          }}
        />
        {selected !== null && (
          <DetailsPanel
            key={refKey(selected)}
            context={context}
            reference={selected}
            verbs={selected.kind === kind.kind && selected.group === kind.group ? kind.verbs : null}
            revision={selectedRow ?? null}
            onOpen={(ref) => {
              setSelection({ ref, row: null });
            }}
            onClose={() => {
              setSelection(null);
            }}
          />
        )}
      </div>
      {view.loaded && view.rows.size === 0 && view.error === null && (
        <p className="browser__empty" data-testid="table-empty">
          No {kind.plural} {selector !== null ? `matching ${selector}` : ""}
        </p>
      )}
      {creatingSecret && (
        <CreateSecretDialog
          context={context}
          namespace={createNamespace}
          onClose={() => {
            setCreatingSecret(false);
          }}
          onCreated={(name) => {
            setCreatingSecret(false);
            setSelection({
              ref: { group: "", version: kind.version, kind: "Secret", plural: "secrets", namespace: createNamespace, name },
              row: null,
            });
          }}
        />
      )}
      {creating && (
        <CreateYamlDialog
          context={context}
          namespace={createNamespace}
          onClose={() => {
            setCreating(false);
          }}
        />
      )}
    </div>
  );
}
