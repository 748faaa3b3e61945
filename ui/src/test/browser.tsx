// The app keeps a resource browser's selection, requests, pins and sizes;
// tests render the browser inside this stand-in for it.
import { useRef, useState } from "react";

import type { KindInfo } from "../bindings/KindInfo";
import type { KindLayout } from "../bindings/KindLayout";
import { refKey } from "../resources/DetailsPanel";
import type { Selection } from "../resources/ResourceBrowser";
import { ResourceBrowser } from "../resources/ResourceBrowser";
import type { PanelRequest } from "../resources/rowKeys";
import type { Pin } from "../state/pins";
import { togglePin } from "../state/pins";

type Props = { kind: KindInfo; defaultNamespaces: string[]; namespaceNames?: string[] };

export function BrowserHarness({ kind, defaultNamespaces, namespaceNames = ["default", "kube-system"] }: Props) {
  const [selection, setSelection] = useState<Selection | null>(null);
  const [request, setRequest] = useState<PanelRequest | null>(null);
  const [pins, setPins] = useState<Pin[]>([]);
  const [layouts, setLayouts] = useState<Partial<Record<string, KindLayout>>>({});
  const requests = useRef(0);
  return (
    <ResourceBrowser
      context="ctx"
      kindId={kind.kind}
      kind={kind}
      defaultNamespaces={defaultNamespaces}
      namespaceNames={namespaceNames}
      selection={selection}
      onSelection={(next) => {
        setSelection(next);
        setRequest(null);
      }}
      request={request}
      onRequest={(action, target) => {
        requests.current++;
        setRequest({ action, target: refKey(target), seq: requests.current });
      }}
      pins={pins}
      onTogglePin={(pin) => {
        setPins((p) => togglePin(p, pin));
      }}
      layouts={layouts}
      onLayout={(id, layout) => {
        setLayouts((l) => ({ ...l, [id]: layout }));
      }}
    />
  );
}
