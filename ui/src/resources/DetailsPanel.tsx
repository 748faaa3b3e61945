import type { RefObject } from "react";
import { useState } from "react";

import type { ObjectRef } from "../bindings/ObjectRef";
import { CloseIcon } from "../components/icons";
import { objectDetails } from "../ipc/resources";
import { metricsTargetOf } from "../metrics/feed";
import { MetricsCharts } from "../metrics/MetricsCharts";
import { SecretDataTab } from "../secrets/SecretDataTab";
import { ActionsBar } from "./ActionsBar";
import type { PanelIntent } from "./rowMenu";
import { EventsTab } from "./EventsTab";
import { SummaryTab } from "./SummaryTab";
import { useLoaded } from "../query/useLoaded";
import { ErrorBox, YamlTab } from "./YamlTab";

type Tab = "summary" | "data" | "metrics" | "events" | "yaml";

type Props = {
  context: string;
  reference: ObjectRef;
  /** The verbs of the object's kind, when known (delete is offered only if allowed). */
  verbs: readonly string[] | null;
  /** Changes whenever the table's row for the object changes, so the summary follows it. */
  revision: unknown;
  onOpen: (reference: ObjectRef) => void;
  onClose: () => void;
  /** A row menu's choice, started when the panel opens: Edit YAML opens the editor, other actions their form or question. */
  intent?: PanelIntent | null;
  pinned?: boolean;
  onTogglePin?: () => void;
  /** The width the user dragged (null: the stylesheet's). */
  width?: number | null;
  panelRef?: RefObject<HTMLElement | null>;
};

export function refKey(ref: ObjectRef): string {
  return `${ref.group}/${ref.kind}/${ref.namespace ?? ""}/${ref.name}`;
}

const TABS: { id: Tab; label: string }[] = [
  { id: "summary", label: "Summary" },
  { id: "events", label: "Events" },
  { id: "yaml", label: "YAML" },
];

/** Core Secrets get a Data tab (masked keys, reveal, edit), opened first. */
export function isCoreSecret(ref: ObjectRef): boolean {
  return ref.group === "" && ref.kind === "Secret" && ref.namespace !== null;
}

const SECRET_TABS: { id: Tab; label: string }[] = [{ id: "data", label: "Data" }, ...TABS];

/** Pods, nodes and workloads get a Metrics tab after Summary. */
const METRICS_TABS: { id: Tab; label: string }[] = [
  { id: "summary", label: "Summary" },
  { id: "metrics", label: "Metrics" },
  ...TABS.slice(1),
];

/** Summary, events and YAML of one object, with the actions that apply to it. */
export function DetailsPanel({
  context,
  reference,
  verbs,
  revision,
  onOpen,
  onClose,
  intent = null,
  pinned = false,
  onTogglePin,
  width = null,
  panelRef,
}: Props) {
  const secret = isCoreSecret(reference);
  const editing = intent === "editYaml";
  const [tab, setTab] = useState<Tab>(editing ? "yaml" : secret ? "data" : "summary");
  const key = refKey(reference);
  const metricsTarget = metricsTargetOf(reference);
  return (
    <aside
      className="details"
      ref={panelRef}
      style={width !== null ? { width, maxWidth: "70%" } : undefined}
      data-testid="details-panel"
      data-kind={reference.kind}
      data-name={reference.name}
      aria-label="Details"
    >
      <header className="details__head">
        <h3 className="details__title" title={key}>
          <span className="details__kind">{reference.kind}</span> {reference.name}
        </h3>
        {onTogglePin !== undefined && (
          <button
            type="button"
            className={`icon-button details__pin${pinned ? " details__pin--on" : ""}`}
            aria-label={pinned ? "Unpin" : "Pin to the sidebar"}
            aria-pressed={pinned}
            title={pinned ? "Unpin (p)" : "Pin to the sidebar (p)"}
            data-testid="details-pin"
            onClick={onTogglePin}
          >
            {pinned ? "★" : "☆"}
          </button>
        )}
        <button type="button" className="icon-button" aria-label="Close details" data-testid="details-close" onClick={onClose}>
          <CloseIcon />
        </button>
      </header>
      <ActionsBar key={key} context={context} reference={reference} verbs={verbs} intent={editing ? null : intent} />
      <div className="tabs" role="tablist">
        {(secret ? SECRET_TABS : metricsTarget !== null ? METRICS_TABS : TABS).map((t) => (
          <button
            key={t.id}
            type="button"
            role="tab"
            className="tabs__tab"
            aria-selected={tab === t.id}
            data-testid={`details-tab-${t.id}`}
            onClick={() => {
              setTab(t.id);
            }}
          >
            {t.label}
          </button>
        ))}
      </div>
      <div className="details__body" role="tabpanel">
        {tab === "summary" && <Summary context={context} reference={reference} refKey={key} revision={revision} onOpen={onOpen} />}
        {tab === "data" && reference.namespace !== null && (
          <SecretDataTab
            key={key}
            context={context}
            namespace={reference.namespace}
            name={reference.name}
            revision={revision}
            onOpen={onOpen}
          />
        )}
        {tab === "metrics" && metricsTarget !== null && (
          <MetricsCharts
            key={key}
            context={context}
            target={metricsTarget}
            subject={`${reference.kind.toLowerCase()} ${reference.name}`}
          />
        )}
        {tab === "events" && <EventsTab key={key} context={context} reference={reference} refKey={key} />}
        {tab === "yaml" && <YamlTab key={key} context={context} reference={reference} refKey={key} startEditing={editing} />}
      </div>
    </aside>
  );
}

function Summary({
  context,
  reference,
  refKey: key,
  revision,
  onOpen,
}: {
  context: string;
  reference: ObjectRef;
  refKey: string;
  revision: unknown;
  onOpen: (reference: ObjectRef) => void;
}) {
  // A new row object from the live view means the object changed: fetch again.
  const details = useLoaded(["object", context, key, "details"], () => objectDetails(context, reference), revision);
  if (details.status === "loading") return <p className="details__note">Loading…</p>;
  if (details.status === "error") return <ErrorBox error={details.error} testId="details-error" />;
  return <SummaryTab details={details.value} onOpen={onOpen} />;
}
