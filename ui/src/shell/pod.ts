// The pure parts of pod terminals: which container, what a shortcut opens,
// and the debug container offered when an image has no shell.
import type { ContainerInfo } from "../bindings/ContainerInfo";
import type { ObjectRef } from "../bindings/ObjectRef";
import type { ErrorKind } from "../bindings/ErrorKind";
import type { PodTerminalRequest } from "./opener";

/** kubectl's annotation naming the container `exec` and `logs` use by default. */
export const DEFAULT_CONTAINER_ANNOTATION = "kubectl.kubernetes.io/default-container";

/** What `kubectl debug` users expect; the field stays editable. */
export const DEFAULT_DEBUG_IMAGE = "busybox:1.36";

/** The containers a shell can run in: regular ones (init containers have ended, sidecars aside). */
export function shellContainers(containers: readonly ContainerInfo[]): string[] {
  return containers.filter((c) => c.role !== "init").map((c) => c.name);
}

/** The annotation's container when the pod has it, else the first; null without containers. */
export function defaultContainer(names: readonly string[], annotations: Readonly<Record<string, string>>): string | null {
  const annotated = annotations[DEFAULT_CONTAINER_ANNOTATION];
  if (annotated !== undefined && names.includes(annotated)) return annotated;
  return names[0] ?? null;
}

/** A selected pod row's shortcut, as k9s has them: `s` shell, `a` attach. Modified keys are not shortcuts. */
export function podShortcut(key: string, modified: boolean): "exec" | "attach" | null {
  if (modified) return null;
  if (key === "s") return "exec";
  if (key === "a") return "attach";
  return null;
}

/** True for a core Pod in a namespace: the objects a terminal can open in. */
export function isPodRef(ref: ObjectRef): ref is ObjectRef & { namespace: string } {
  return ref.group === "" && ref.kind === "Pod" && ref.namespace !== null;
}

/** A shell or attach in `ref` when it is a pod, with the container left to Rust (the default one); else null. */
export function podTerminalFor(context: string, ref: ObjectRef, mode: "exec" | "attach"): PodTerminalRequest | null {
  if (!isPodRef(ref)) return null;
  return { mode, context, namespace: ref.namespace, pod: ref.name, container: null };
}

/** The debug container to offer when a pod shell ended with `kind`; null when nothing is to be offered. */
export function noShellOffer(target: PodTerminalRequest, kind: ErrorKind | null): PodTerminalRequest | null {
  if (kind !== "noShell" || target.mode === "debug") return null;
  return { ...target, mode: "debug", image: DEFAULT_DEBUG_IMAGE };
}
