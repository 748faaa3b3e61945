// Typed wrappers over the local-cluster commands (src-tauri/src/commands/local.rs).
// Like ../ipc, every function resolves with the generated type or rejects
// with an IpcError; `?mock=…` in dev answers from ../dev/mockLocal.
import { Channel } from "@tauri-apps/api/core";

import type { ArchiveKind } from "../bindings/ArchiveKind";
import type { ClusterInfo } from "../bindings/ClusterInfo";
import type { CreatedLocalCluster } from "../bindings/CreatedLocalCluster";
import type { EngineStatus } from "../bindings/EngineStatus";
import type { LocalClusterRequest } from "../bindings/LocalClusterRequest";
import type { NodeImages } from "../bindings/NodeImages";
import type { PreflightFinding } from "../bindings/PreflightFinding";
import type { Step } from "../bindings/Step";
import { invokeCommand, loadDevMock } from "../ipc";

export type { ClusterInfo, CreatedLocalCluster, EngineStatus, LocalClusterRequest, NodeImages, PreflightFinding, Step };

export const LOCAL_COMMANDS = {
  engineStatus: "engine_status",
  localNodeImages: "local_node_images",
  listLocalClusters: "list_local_clusters",
  createLocalCluster: "create_local_cluster",
  localPreflight: "local_preflight",
  cancelLocalCreate: "cancel_local_create",
  startLocalCluster: "start_local_cluster",
  stopLocalCluster: "stop_local_cluster",
  deleteLocalCluster: "delete_local_cluster",
  addLocalAgent: "add_local_agent",
  importLocalImage: "import_local_image",
  resetLocalCluster: "reset_local_cluster",
  upgradeLocalCluster: "upgrade_local_cluster",
  pickArchive: "pick_archive",
} as const;

export type LocalCommand = (typeof LOCAL_COMMANDS)[keyof typeof LOCAL_COMMANDS];

function call<T>(command: LocalCommand, args?: Record<string, unknown>): Promise<T> {
  return invokeCommand<T>(command, args, import.meta.env.DEV ? loadDevMock : undefined);
}

/** The engine's version and resources; rejects with kind "docker" when none answers. */
export function engineStatus(): Promise<EngineStatus> {
  return call(LOCAL_COMMANDS.engineStatus);
}

/** The node images to offer (the pinned list, plus an override), and the default. */
export function localNodeImages(): Promise<NodeImages> {
  return call(LOCAL_COMMANDS.localNodeImages);
}

export function listLocalClusters(): Promise<ClusterInfo[]> {
  return call(LOCAL_COMMANDS.listLocalClusters);
}

/** Resolves when every node is Ready and the context is merged; `onStep` gets each step. */
export function createLocalCluster(request: LocalClusterRequest, onStep: (step: Step) => void): Promise<CreatedLocalCluster> {
  const channel = new Channel<Step>(onStep);
  return call(LOCAL_COMMANDS.createLocalCluster, { request, channel });
}

/**
 * What create would find now: blocking findings (no engine, name or port
 * taken, too little memory) and warnings. Rejects with "invalidInput" for a
 * request create would refuse.
 */
export function localPreflight(request: LocalClusterRequest): Promise<PreflightFinding[]> {
  return call(LOCAL_COMMANDS.localPreflight, { request });
}

/** The create of `name` rolls back and rejects; false when none is under way. */
export function cancelLocalCreate(name: string): Promise<boolean> {
  return call(LOCAL_COMMANDS.cancelLocalCreate, { name });
}

export async function startLocalCluster(name: string): Promise<void> {
  await call(LOCAL_COMMANDS.startLocalCluster, { name });
}

export async function stopLocalCluster(name: string): Promise<void> {
  await call(LOCAL_COMMANDS.stopLocalCluster, { name });
}

export async function deleteLocalCluster(name: string): Promise<void> {
  await call(LOCAL_COMMANDS.deleteLocalCluster, { name });
}

/** Adds an agent node; resolves with its container name once it is Ready. */
export function addLocalAgent(name: string): Promise<string> {
  return call(LOCAL_COMMANDS.addLocalAgent, { name });
}

/** Copies an image from the engine into every node; resolves with those nodes. */
export function importLocalImage(name: string, image: string): Promise<string[]> {
  return call(LOCAL_COMMANDS.importLocalImage, { name, image });
}

/** The native open-file dialog for an archive; null when the user cancels. */
export function pickArchive(kind: ArchiveKind): Promise<string | null> {
  return call(LOCAL_COMMANDS.pickArchive, { kind });
}

/** Deletes and creates the cluster again with the same settings; resolves when it is Ready. */
export function resetLocalCluster(name: string): Promise<CreatedLocalCluster> {
  return call(LOCAL_COMMANDS.resetLocalCluster, { name });
}

/** Replaces the nodes with `version` over the same data; resolves with the version now running. */
export function upgradeLocalCluster(name: string, version: string): Promise<string> {
  return call(LOCAL_COMMANDS.upgradeLocalCluster, { name, version });
}
