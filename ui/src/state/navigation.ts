export type ResourceKind = {
  /** Stable id used in selection state (and later in routes). */
  id: string;
  label: string;
};

export type ResourceGroup = {
  id: string;
  label: string;
  kinds: readonly ResourceKind[];
};

/** The resource navigation, grouped as in Lens. */
export const RESOURCE_GROUPS: readonly ResourceGroup[] = [
  {
    id: "workloads",
    label: "Workloads",
    kinds: [
      { id: "pods", label: "Pods" },
      { id: "deployments", label: "Deployments" },
      { id: "statefulsets", label: "StatefulSets" },
      { id: "daemonsets", label: "DaemonSets" },
      { id: "replicasets", label: "ReplicaSets" },
      { id: "jobs", label: "Jobs" },
      { id: "cronjobs", label: "CronJobs" },
    ],
  },
  {
    id: "network",
    label: "Network",
    kinds: [
      { id: "services", label: "Services" },
      { id: "endpoints", label: "Endpoints" },
      { id: "ingresses", label: "Ingresses" },
    ],
  },
  {
    id: "config",
    label: "Config",
    kinds: [
      { id: "configmaps", label: "ConfigMaps" },
      { id: "secrets", label: "Secrets" },
    ],
  },
  {
    id: "storage",
    label: "Storage",
    kinds: [
      { id: "persistentvolumeclaims", label: "PersistentVolumeClaims" },
      { id: "persistentvolumes", label: "PersistentVolumes" },
      { id: "storageclasses", label: "StorageClasses" },
    ],
  },
  {
    id: "cluster",
    label: "Cluster",
    kinds: [
      { id: "nodes", label: "Nodes" },
      { id: "namespaces", label: "Namespaces" },
      { id: "events", label: "Events" },
    ],
  },
  {
    id: "custom",
    label: "Custom Resources",
    kinds: [{ id: "customresourcedefinitions", label: "Definitions" }],
  },
];

export const DEFAULT_KIND = "pods";

export function findKind(id: string): ResourceKind | null {
  for (const group of RESOURCE_GROUPS) {
    const kind = group.kinds.find((k) => k.id === id);
    if (kind !== undefined) return kind;
  }
  return null;
}

/** Main-area text until the resource browser lands. */
export function placeholderFor(kind: ResourceKind): string {
  if (kind.id === "customresourcedefinitions") {
    return "Custom Resources — definitions and their objects arrive with the resource browser";
  }
  return `${kind.label} — live table arrives with the resource browser`;
}

/** Prefix for sidebar item keys, so context names and kinds never collide. */
export const contextKey = (name: string): string => `context:${name}`;
export const kindKey = (id: string): string => `kind:${id}`;
