// Typed wrappers over the Helm commands (src-tauri/src/commands/helm.rs).
import { Channel } from "@tauri-apps/api/core";

import type { HelmAction } from "../bindings/HelmAction";
import type { HelmActionOutcome } from "../bindings/HelmActionOutcome";
import type { HelmAvailability } from "../bindings/HelmAvailability";
import type { HelmOutputLine } from "../bindings/HelmOutputLine";
import type { HelmReleaseDetails } from "../bindings/HelmReleaseDetails";
import type { HelmRevision } from "../bindings/HelmRevision";
import type { HelmRevisionDiff } from "../bindings/HelmRevisionDiff";
import type { ViewEvent } from "../bindings/ViewEvent";
import { invokeCommand } from "../ipc";

export const HELM_COMMANDS = {
  availability: "helm_availability",
  openReleases: "open_helm_releases",
  closeReleases: "close_helm_releases",
  release: "helm_release",
  history: "helm_history",
  diff: "helm_diff",
  validateValues: "helm_validate_values",
  action: "helm_action",
} as const;

export function helmAvailability(): Promise<HelmAvailability> {
  return invokeCommand<HelmAvailability>(HELM_COMMANDS.availability, undefined);
}

/** Opens the live release table; `namespaces` [] = all. Resolves with the id to close it. */
export function openHelmReleases(context: string, namespaces: string[], onEvent: (event: ViewEvent) => void): Promise<number> {
  return invokeCommand<number>(HELM_COMMANDS.openReleases, { context, namespaces, channel: new Channel<ViewEvent>(onEvent) });
}

export async function closeHelmReleases(id: number): Promise<void> {
  await invokeCommand<null>(HELM_COMMANDS.closeReleases, { id });
}

export type ReleaseRef = { context: string; namespace: string; name: string };

export function helmRelease(r: ReleaseRef, revision: number | null): Promise<HelmReleaseDetails> {
  return invokeCommand<HelmReleaseDetails>(HELM_COMMANDS.release, { ...r, revision });
}

export function helmHistory(r: ReleaseRef): Promise<HelmRevision[]> {
  return invokeCommand<HelmRevision[]>(HELM_COMMANDS.history, { ...r });
}

export function helmDiff(r: ReleaseRef, from: number, to: number): Promise<HelmRevisionDiff> {
  return invokeCommand<HelmRevisionDiff>(HELM_COMMANDS.diff, { ...r, from, to });
}

export async function helmValidateValues(valuesYaml: string): Promise<void> {
  await invokeCommand<null>(HELM_COMMANDS.validateValues, { valuesYaml });
}

export function helmAction(r: ReleaseRef, action: HelmAction, onLine: (line: HelmOutputLine) => void): Promise<HelmActionOutcome> {
  return invokeCommand<HelmActionOutcome>(HELM_COMMANDS.action, { ...r, action, output: new Channel<HelmOutputLine>(onLine) });
}
