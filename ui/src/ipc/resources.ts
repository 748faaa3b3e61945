// Typed wrappers over the resource browser's Tauri commands. Like ./index.ts,
// every function resolves with the generated type or rejects with an IpcError.
import { Channel } from "@tauri-apps/api/core";

import type { ApplyOutcome } from "../bindings/ApplyOutcome";
import type { CreateResult } from "../bindings/CreateResult";
import type { DeletePropagation } from "../bindings/DeletePropagation";
import type { DrainReport } from "../bindings/DrainReport";
import type { EventInfo } from "../bindings/EventInfo";
import type { KindInfo } from "../bindings/KindInfo";
import type { NavSection } from "../bindings/NavSection";
import type { ObjectDetails } from "../bindings/ObjectDetails";
import type { ObjectRef } from "../bindings/ObjectRef";
import type { ObjectYaml } from "../bindings/ObjectYaml";
import type { ViewEvent } from "../bindings/ViewEvent";
import { invokeCommand, loadDevMock, mockScenario } from "./index";

export type {
  ApplyOutcome,
  CreateResult,
  DeletePropagation,
  DrainReport,
  EventInfo,
  KindInfo,
  NavSection,
  ObjectDetails,
  ObjectRef,
  ObjectYaml,
  ViewEvent,
};

export const RESOURCE_COMMANDS = {
  discoverKinds: "discover_kinds",
  openView: "open_view",
  closeView: "close_view",
  objectDetails: "object_details",
  objectYaml: "object_yaml",
  objectEvents: "object_events",
  applyYaml: "apply_yaml",
  createYaml: "create_yaml",
  deleteObject: "delete_object",
  scaleObject: "scale_object",
  restartRollout: "restart_rollout",
  cordonNode: "cordon_node",
  drainNode: "drain_node",
} as const;

export type ResourceCommand = (typeof RESOURCE_COMMANDS)[keyof typeof RESOURCE_COMMANDS];

function call<T>(command: ResourceCommand, args: Record<string, unknown>): Promise<T> {
  return invokeCommand<T>(command, args, import.meta.env.DEV ? loadDevMock : undefined);
}

/** Sidebar sections from the server's discovery (custom resources by API group). */
export function discoverKinds(context: string): Promise<NavSection[]> {
  return call<NavSection[]>(RESOURCE_COMMANDS.discoverKinds, { context });
}

export type ViewParams = {
  context: string;
  kind: KindInfo;
  /** [] = all namespaces (or a cluster-scoped kind). */
  namespaces: string[];
  labelSelector: string | null;
};

/**
 * Opens a live view; `onEvent` gets columns, a snapshot, then deltas and status
 * changes. Resolves with the view id for closeView.
 */
export function openView(params: ViewParams, onEvent: (event: ViewEvent) => void): Promise<number> {
  // Fixtures drive a plain object: a real Channel needs the Tauri bridge.
  const channel = mockScenario() !== null ? { onmessage: onEvent } : new Channel<ViewEvent>(onEvent);
  return call<number>(RESOURCE_COMMANDS.openView, { ...params, channel });
}

/** Stops a view's watch. */
export async function closeView(id: number): Promise<void> {
  await call<null>(RESOURCE_COMMANDS.closeView, { id });
}

export function objectDetails(context: string, reference: ObjectRef): Promise<ObjectDetails> {
  return call<ObjectDetails>(RESOURCE_COMMANDS.objectDetails, { context, reference });
}

export function objectYaml(context: string, reference: ObjectRef): Promise<ObjectYaml> {
  return call<ObjectYaml>(RESOURCE_COMMANDS.objectYaml, { context, reference });
}

export function objectEvents(context: string, reference: ObjectRef): Promise<EventInfo[]> {
  return call<EventInfo[]>(RESOURCE_COMMANDS.objectEvents, { context, reference });
}

/** Applies an edited object; a Conflict outcome means someone else changed it meanwhile. */
export function applyYaml(context: string, reference: ObjectRef, yaml: string): Promise<ApplyOutcome> {
  return call<ApplyOutcome>(RESOURCE_COMMANDS.applyYaml, { context, reference, yaml });
}

/** Creates every document of `yaml` (in `namespace` unless a document names one). */
export function createYaml(context: string, namespace: string, yaml: string): Promise<CreateResult[]> {
  return call<CreateResult[]>(RESOURCE_COMMANDS.createYaml, { context, namespace, yaml });
}

export async function deleteObject(context: string, reference: ObjectRef, propagation: DeletePropagation): Promise<void> {
  await call<null>(RESOURCE_COMMANDS.deleteObject, { context, reference, propagation });
}

export async function scaleObject(context: string, reference: ObjectRef, replicas: number): Promise<void> {
  await call<null>(RESOURCE_COMMANDS.scaleObject, { context, reference, replicas });
}

export async function restartRollout(context: string, reference: ObjectRef): Promise<void> {
  await call<null>(RESOURCE_COMMANDS.restartRollout, { context, reference });
}

export async function cordonNode(context: string, name: string, unschedulable: boolean): Promise<void> {
  await call<null>(RESOURCE_COMMANDS.cordonNode, { context, name, unschedulable });
}

export function drainNode(context: string, name: string): Promise<DrainReport> {
  return call<DrainReport>(RESOURCE_COMMANDS.drainNode, { context, name });
}
