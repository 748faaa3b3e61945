// Pinned contexts and objects (stored by Rust in settings.json).
import type { ObjectRef } from "../bindings/ObjectRef";
import type { Pin } from "../bindings/Pin";

export type { Pin };

export function pinKey(pin: Pin): string {
  if (pin.type === "context") return `context:${pin.context}`;
  const o = pin.object;
  return `object:${pin.context}:${o.group}/${o.kind}/${o.namespace ?? ""}/${o.name}`;
}

export function objectPin(context: string, object: ObjectRef): Pin {
  return { type: "object", context, object };
}

export function isPinned(pins: readonly Pin[], pin: Pin): boolean {
  const key = pinKey(pin);
  return pins.some((p) => pinKey(p) === key);
}

/** The pins with `pin` added at the end, or removed when present. */
export function togglePin(pins: readonly Pin[], pin: Pin): Pin[] {
  const key = pinKey(pin);
  return isPinned(pins, pin) ? pins.filter((p) => pinKey(p) !== key) : [...pins, pin];
}

/** "Pod web/api-0" or the context name. */
export function pinLabel(pin: Pin): string {
  if (pin.type === "context") return pin.context;
  const o = pin.object;
  return `${o.kind} ${o.namespace !== null ? `${o.namespace}/` : ""}${o.name}`;
}
