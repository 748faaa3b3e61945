import { useCallback, useDeferredValue, useEffect, useMemo, useRef, useState } from "react";

import type { KindInfo } from "../bindings/KindInfo";
import type { KindLayout } from "../bindings/KindLayout";
import { sizeOf, Splitter } from "../components/Splitter";
import { DETAILS_BOUNDS } from "../state/resize";
import type { ObjectRef } from "../bindings/ObjectRef";
import type { Row } from "../bindings/Row";
import type { ViewStatus } from "../bindings/ViewStatus";
import { Menu } from "../components/Menu";
import { useForwardPanelOpener } from "../forward/opener";
import { logRequestFor, useLogOpener } from "../logs/opener";
import { CreateSecretDialog } from "../secrets/CreateSecretDialog";
import { filterByType, secretTypes } from "../secrets/typeFilter";
import { CreateYamlDialog } from "./CreateYamlDialog";
import { DetailsPanel, refKey } from "./DetailsPanel";
import { checkLabelSelector } from "./labelSelector";
import { NamespacePicker } from "./NamespacePicker";
import type { RowMenuHandler } from "./ResourceTable";
import { ResourceTable } from "./ResourceTable";
import type { PanelIntent, RowAction } from "./rowMenu";
import { chooseRowAction, rowMenuActions, rowMenuItem } from "./rowMenu";
import { useShellOpener } from "../shell/opener";
import { podTerminalFor } from "../shell/pod";
import { objectIndex } from "../palette/objectIndex";
import type { Pin } from "../state/pins";
import { isPinned, objectPin } from "../state/pins";
import { rowKey } from "./rows";
import type { PanelRequest } from "./rowKeys";
import { rowKeyAction } from "./rowKeys";
import type { ShownColumn, SortSpec } from "./table";
import { filterRows, isMetricColumn, nextSort, sortRows, spansNamespaces, visibleColumns } from "./table";
import type { MetricKey } from "../metrics/cells";
import { metricColumns, metricsKey, metricSortValue } from "../metrics/cells";
import { MetricsBadge } from "../metrics/MetricsBadge";
import { useMetricsSnapshot, useMetricsStatus, useViewMetrics } from "../metrics/useViewMetrics";
import { useResourceView } from "./useResourceView";
import { ViewStatusBadge } from "./ViewStatusBadge";
import { ErrorBox } from "./YamlTab";
import { describeDenial, queryFor } from "../access/model";
import { useGate } from "../access/useAccess";

/** The object in the details panel; `row` is its table key when opened from the table. */
export type Selection = { ref: ObjectRef; row: string | null };

/** What the app keeps for the browser across views (history, requests, pins). */
export type BrowserPlace = {
  /** The open object, kept by the app's history; `push` when it is a new place rather than a move in the table. */
  selection: Selection | null;
  onSelection: (selection: Selection | null, push: boolean) => void;
  /** A dialog or tab asked of the details panel (palette, row keys). */
  request: PanelRequest | null;
  onRequest: (action: PanelIntent, target: ObjectRef) => void;
  pins: readonly Pin[];
  onTogglePin: (pin: Pin) => void;
  /** Sizes dragged per kind id (details width, column widths), and where to keep new ones. */
  layouts: Partial<Record<string, KindLayout>>;
  onLayout: (kindId: string, layout: KindLayout) => void;
};

type Props = BrowserPlace & {
  context: string;
  /** The sidebar id of the kind (what the palette's object index files rows under). */
  kindId: string;
  kind: KindInfo;
  /** The namespace switcher's choice: [name], or [] for all. */
  defaultNamespaces: readonly string[];
  /** The cluster's namespaces, for the multi-select. */
  namespaceNames: readonly string[];
  /** Reports the view's status (null when closed) for the status bar. */
  onStatus?: (status: ViewStatus | null) => void;
};

/** The toolbar, live table and details panel of one kind. */
export function ResourceBrowser({
  context,
  kindId,
  kind,
  defaultNamespaces,
  namespaceNames,
  onStatus,
  selection,
  onSelection,
  request,
  onRequest,
  pins,
  onTogglePin,
  layouts,
  onLayout,
}: Props) {
  const layout: KindLayout = layouts[kindId] ?? { detailsWidth: null, columns: {} };
  const [draggedWidth, setDraggedWidth] = useState<number | null>(null);
  const detailsWidth = draggedWidth ?? layout.detailsWidth;
  const details = useRef<HTMLElement>(null);
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
  const setSelection = (next: Selection | null, push = true) => {
    onSelection(next, push);
  };
  const selected = selection?.ref ?? null;
  // The row whose context menu is open.
  const [menu, setMenu] = useState<{ row: Row; at: { x: number; y: number }; returnFocus: HTMLElement } | null>(null);
  const [creating, setCreating] = useState(false);
  const isSecrets = kind.group === "" && kind.kind === "Secret";
  const [secretType, setSecretType] = useState<string | null>(null);
  const [creatingSecret, setCreatingSecret] = useState(false);

  const view = useResourceView(context, kind, namespaces, selector);
  // CPU/MEM cells come on a channel of their own, into a store of their own.
  const metrics = useViewMetrics(context, kind, namespaces);
  const metricsStatus = useMetricsStatus(metrics);
  const sortsByMetric = sort !== null && isMetricColumn(sort.key);
  const metricsNow = useMetricsSnapshot(metrics, sortsByMetric);
  const openTerminal = useShellOpener();
  const openLogs = useLogOpener();
  const openForwards = useForwardPanelOpener();
  const openers = { logs: openLogs !== null, terminal: openTerminal !== null, forwards: openForwards !== null };
  const onRowMenu: RowMenuHandler = useCallback((row, at, returnFocus) => {
    setMenu({ row, at, returnFocus });
  }, []);
  const filterInput = useRef<HTMLInputElement>(null);
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

  // The palette searches the rows of open and recent views by name.
  useEffect(() => {
    objectIndex.publish({ context, kindId, info: kind, rows: view.rows });
  }, [context, kindId, kind, view.rows]);

  // Deferred: a burst of deltas or a long sort never blocks typing in the filter.
  const rows = useDeferredValue(view.rows);
  const sorted = useMemo(() => {
    // Sorting by a metric re-sorts on each metrics update (a new snapshot).
    const metricOf = (row: Row, key: MetricKey) => metricSortValue(metricsNow.get(metricsKey(row)), key);
    return sortRows(rows.values(), sort, metricOf);
  }, [rows, sort, metricsNow]);
  const typed = useMemo(
    () => (isSecrets ? filterByType(view.columns, sorted, secretType) : sorted),
    [isSecrets, view.columns, sorted, secretType],
  );
  const types = useMemo(() => (isSecrets ? secretTypes(view.columns, rows.values()) : []), [isSecrets, view.columns, rows]);
  const shown = useMemo(() => filterRows(typed, filter), [typed, filter]);
  const multi = spansNamespaces(kind.namespaced, namespaces);
  const metricsShown = metricsStatus.state === "live";
  const columns = useMemo(
    () => visibleColumns(view.columns, wide, multi, metricsShown ? metricColumns(kind) : []),
    [view.columns, wide, multi, metricsShown, kind],
  );
  const hasWide = view.columns.some((c) => c.priority > 0);

  const refOf = (row: Row): ObjectRef => ({
    group: kind.group,
    version: kind.version,
    kind: kind.kind,
    plural: kind.plural,
    namespace: row.namespace,
    name: row.name,
  });
  // An object opened from elsewhere (palette, pin, history) has no row key yet: find its row.
  const selectedKey = useMemo(() => {
    if (selection === null) return null;
    if (selection.row !== null) return selection.row;
    const { ref } = selection;
    if (ref.kind !== kind.kind || ref.group !== kind.group) return null;
    for (const [key, row] of view.rows) if (row.name === ref.name && row.namespace === ref.namespace) return key;
    return null;
  }, [selection, kind, view.rows]);
  // ...and the keyboard goes to the table, so the row keys work at once.
  const root = useRef<HTMLDivElement>(null);
  const openedFromElsewhere = selection !== null && selection.row === null && selectedKey !== null;
  useEffect(() => {
    if (!openedFromElsewhere) return;
    root.current?.querySelector<HTMLElement>('[data-testid="resource-rows"]')?.focus();
  }, [openedFromElsewhere, selectedKey]);
  // A row menu's or row key's action for the details panel, kept by the app
  // with a `seq`: the panel's key carries it, so asking again starts it
  // again; any other selection clears it, so a panel opened later starts
  // nothing by itself.
  const intent = request !== null && selected !== null && request.target === refKey(selected) ? request : null;

  const chooseFromMenu = (row: Row, action: RowAction) => {
    const ref = refOf(row);
    const choice = chooseRowAction(action);
    switch (choice.open) {
      case "details":
        setSelection({ ref, row: rowKey(row) });
        return;
      case "logs": {
        const request = logRequestFor(context, ref);
        if (request !== null) openLogs?.(request);
        return;
      }
      case "terminal": {
        const request = podTerminalFor(context, ref, choice.mode);
        if (request !== null) openTerminal?.(request);
        return;
      }
      case "panel":
        setSelection({ ref, row: rowKey(row) }, false);
        onRequest(choice.intent, ref);
        return;
    }
  };
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
    <div className="browser" data-kind={kind.kind} ref={root}>
      <div className="browser__toolbar">
        <input
          className="input input--compact browser__filter"
          type="search"
          placeholder="Filter"
          aria-label="Filter rows"
          ref={filterInput}
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
        <MetricsBadge status={metricsStatus} />
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
          metrics={metrics}
          sort={sort}
          onSort={(c: ShownColumn) => {
            setSort((s) => nextSort(s, c.key));
          }}
          selected={selectedKey}
          widths={layout.columns}
          onWidth={(column, width) => {
            onLayout(kindId, { ...layout, columns: { ...layout.columns, [column]: width } });
          }}
          onSelect={(row) => {
            // Moving through the table replaces the history's place rather than adding one per row.
            setSelection({ ref: refOf(row), row: rowKey(row) }, false);
          }}
          onRowKey={(key, modified) => {
            if (selected === null) return false;
            // k9s's keys on the selected row (state/shortcuts.ts lists them for the cheat sheet).
            const action = rowKeyAction(key, modified, selected, selected.kind === kind.kind ? kind.verbs : null);
            switch (action?.type) {
              case undefined:
                return false;
              case "filter":
                filterInput.current?.focus();
                return true;
              case "terminal": {
                // Rust picks the container (default-container annotation, else the first).
                const request = podTerminalFor(context, selected, action.mode);
                if (openTerminal === null || request === null) return false;
                openTerminal(request);
                return true;
              }
              case "logs": {
                const request = logRequestFor(context, selected);
                if (openLogs === null || request === null) return false;
                openLogs(request);
                return true;
              }
              case "panel":
                onRequest(action.action, selected);
                return true;
              case "pin":
                onTogglePin(objectPin(context, selected));
                return true;
            }
          }}
          onRowMenu={onRowMenu}
          menuFor={menu !== null ? rowKey(menu.row) : null}
        />
        {selected !== null && (
          <Splitter
            label="Details panel width"
            orientation="horizontal"
            size={detailsWidth ?? 480}
            bounds={DETAILS_BOUNDS}
            grows={-1}
            testId="details-splitter"
            measure={() => sizeOf(details.current)}
            onResize={setDraggedWidth}
            onCommit={(width) => {
              setDraggedWidth(null);
              onLayout(kindId, { ...layout, detailsWidth: width });
            }}
          />
        )}
        {selected !== null && (
          <DetailsPanel
            width={detailsWidth}
            panelRef={details}
            key={`${refKey(selected)}#${String(intent?.seq ?? 0)}`}
            intent={intent?.action ?? null}
            context={context}
            reference={selected}
            verbs={selected.kind === kind.kind && selected.group === kind.group ? kind.verbs : null}
            revision={selectedRow ?? null}
            pinned={isPinned(pins, objectPin(context, selected))}
            onTogglePin={() => {
              onTogglePin(objectPin(context, selected));
            }}
            onOpen={(ref) => {
              setSelection({ ref, row: null });
            }}
            onClose={() => {
              setSelection(null);
            }}
          />
        )}
      </div>
      {menu !== null && (
        <Menu
          // A new request (another row, or a right click elsewhere while open) is a new menu with the focus on its first entry.
          key={`${rowKey(menu.row)}@${String(menu.at.x)},${String(menu.at.y)}`}
          label={`Actions for ${menu.row.name}`}
          items={rowMenuActions(refOf(menu.row), kind.verbs, openers).map(rowMenuItem)}
          at={menu.at}
          returnFocus={menu.returnFocus}
          onSelect={(id) => {
            setMenu(null);
            chooseFromMenu(menu.row, id as RowAction);
          }}
          onClose={() => {
            setMenu(null);
          }}
        />
      )}
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
