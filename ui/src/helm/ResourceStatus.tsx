import { useQuery } from "@tanstack/react-query";

import type { HelmResource } from "../bindings/HelmResource";
import type { KindInfo } from "../bindings/KindInfo";
import { toIpcError } from "../ipc";
import { objectDetails } from "../ipc/resources";
import { queryClient } from "../query/client";
import { kindOf, liveStatusText } from "./model";

type Props = {
  context: string;
  namespace: string;
  resource: HelmResource;
  kinds: ReadonlyMap<string, KindInfo>;
  onOpenKind: (id: string) => void;
};

/** A manifest resource: a link to its kind's view and its status in the cluster now. */
export function ResourceStatus({ context, namespace, resource, kinds, onOpenKind }: Props) {
  const found = kindOf(kinds, resource);
  const reference =
    found === null
      ? null
      : {
          group: found.info.group,
          version: found.info.version,
          kind: found.info.kind,
          plural: found.info.plural,
          namespace: found.info.namespaced ? (resource.namespace ?? namespace) : null,
          name: resource.name,
        };
  const live = useQuery(
    {
      queryKey: ["helm-resource-status", context, reference],
      queryFn: () => (reference === null ? Promise.reject(new Error("unknown kind")) : objectDetails(context, reference)),
      enabled: reference !== null,
      // Kept current while shown, like the rest of the panel.
      refetchInterval: 5000,
    },
    queryClient,
  );
  const text = liveStatusText(reference !== null, live.isPending, live.data?.status ?? null, live.isError ? toIpcError(live.error).kind : null);
  return (
    <span className="helm-resources__live" data-testid="helm-resource-status" data-state={text}>
      {found !== null ? (
        <button
          type="button"
          className="chip chip--button"
          data-testid="helm-resource-open"
          title={`Open ${found.info.kind} in the browser`}
          onClick={() => {
            onOpenKind(found.id);
          }}
        >
          {resource.kind} {resource.namespace ?? namespace}/{resource.name}
        </button>
      ) : (
        <span className="chip">
          {resource.kind} {resource.namespace ?? namespace}/{resource.name}
        </span>
      )}{" "}
      <span className="helm-resources__state">{text}</span>
    </span>
  );
}
