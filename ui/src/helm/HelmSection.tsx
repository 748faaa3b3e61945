import { useQuery } from "@tanstack/react-query";
import { useMemo, useState } from "react";

import type { KindInfo } from "../bindings/KindInfo";
import type { Row } from "../bindings/Row";
import { errorTitle } from "../ipc";
import { queryClient } from "../query/client";
import { ResourceTable } from "../resources/ResourceTable";
import { rowKey } from "../resources/rows";
import type { SortSpec } from "../resources/table";
import { filterRows, nextSort, sortRows, visibleColumns } from "../resources/table";
import { helmAvailability } from "./ipc";
import { ReleasePanel } from "./ReleasePanel";
import { useHelmReleases } from "./useHelmReleases";

type Props = {
  context: string;
  /** Discovered kinds by sidebar id (manifest links). */
  kinds: ReadonlyMap<string, KindInfo>;
  /** Opens a kind's view in the browser. */
  onOpenKind: (id: string) => void;
  /** [] = all namespaces. */
  namespaces: readonly string[];
};

/** The revision a release row shows (its REVISION cell). */
function revisionOf(row: Row): number {
  const cell = row.cells[2];
  return cell?.type === "number" ? cell.value : 0;
}

/** The status a release row shows (its STATUS cell). */
function statusOf(row: Row): string {
  const cell = row.cells[3];
  return cell?.type === "text" ? cell.text : "";
}

/** The Helm section: the live release table and the selected release's details. */
export function HelmSection({ context, namespaces, kinds, onOpenKind }: Props) {
  const state = useHelmReleases(context, namespaces);
  const helm = useQuery({ queryKey: ["helm-availability"], queryFn: helmAvailability }, queryClient);
  const [selected, setSelected] = useState<string | null>(null);
  const [sort, setSort] = useState<SortSpec | null>(null);
  const [filter, setFilter] = useState("");
  const columns = useMemo(() => visibleColumns(state.columns, false, false), [state.columns]);
  const rows = useMemo(() => filterRows(sortRows(state.rows.values(), sort), filter), [state.rows, sort, filter]);
  const row = selected !== null ? state.rows.get(selected) : undefined;
  const blocked = helm.data?.message ?? null;
  return (
    <div className="browser helm" data-testid="helm-section" data-view-state={state.status.state} data-loaded={state.loaded}>
      <div className="browser__toolbar">
        <input
          className="input input--compact browser__filter"
          type="search"
          placeholder="Filter releases"
          aria-label="Filter releases"
          value={filter}
          onChange={(e) => { setFilter(e.target.value); }}
        />
        <span className="browser__spacer" />
        <span className="browser__count" data-testid="helm-count">
          {rows.length} releases
        </span>
      </div>
      {blocked !== null && (
        <p className="banner" role="status" data-testid="helm-missing">
          Reading releases works without helm; rollback, upgrade and uninstall need it. {blocked}
        </p>
      )}
      {state.error !== null && (
        <div className="panel panel--error" role="alert" data-testid="helm-error">
          <p className="panel__title">{errorTitle(state.error.kind)}</p>
          <p>{state.error.message}</p>
        </div>
      )}
      <div className="browser__split">
        {state.loaded && rows.length === 0 ? (
          <p className="browser__empty" data-testid="helm-empty">No Helm releases here.</p>
        ) : (
          <ResourceTable
            columns={columns}
            rows={rows}
            sort={sort}
            onSort={(c) => { setSort(nextSort(sort, c.key)); }}
            selected={selected}
            onSelect={(r) => { setSelected(rowKey(r)); }}
          />
        )}
        {row !== undefined && (
          <ReleasePanel
            key={rowKey(row)}
            release={{ context, namespace: row.namespace ?? "", name: row.name }}
            revision={revisionOf(row)}
            status={statusOf(row)}
            actionsBlocked={blocked}
            kinds={kinds}
            onOpenKind={onOpenKind}
            onClose={() => { setSelected(null); }}
          />
        )}
      </div>
    </div>
  );
}
