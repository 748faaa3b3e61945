// Lets any panel ask the app to open a log tab in the dock without threading
// a callback through every component in between.
import { createContext, useContext } from "react";

import type { LogTarget } from "../bindings/LogTarget";
import type { ObjectRef } from "../bindings/ObjectRef";

export type LogRequest = {
  context: string;
  namespace: string;
  target: LogTarget;
  title: string;
};

export const LogOpenerContext = createContext<((request: LogRequest) => void) | null>(null);

export function useLogOpener(): ((request: LogRequest) => void) | null {
  return useContext(LogOpenerContext);
}

/** The log target for an object of `kind`, or null when the kind has no logs. */
export function targetFor(kind: string, name: string): LogTarget | null {
  switch (kind) {
    case "Pod":
      return { kind: "pod", name };
    case "Deployment":
      return { kind: "deployment", name };
    case "StatefulSet":
      return { kind: "statefulSet", name };
    case "DaemonSet":
      return { kind: "daemonSet", name };
    case "Job":
      return { kind: "job", name };
    default:
      return null;
  }
}

export function targetTitle(target: LogTarget): string {
  return target.kind === "selector" ? `logs: ${target.selector}` : `logs: ${target.name}`;
}

/** The log tab for a namespaced object whose kind has logs, else null. */
export function logRequestFor(context: string, ref: ObjectRef): LogRequest | null {
  const target = targetFor(ref.kind, ref.name);
  if (target === null || ref.namespace === null) return null;
  return { context, namespace: ref.namespace, target, title: targetTitle(target) };
}
