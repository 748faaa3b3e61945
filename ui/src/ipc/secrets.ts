// Typed wrappers over the secret commands. Like ./index.ts, every function
// resolves with the generated type or rejects with an IpcError. Values reach
// the page only through revealSecretKey; copying happens in the backend.
import type { KeyEdit } from "../bindings/KeyEdit";
import type { NewSecretInput } from "../bindings/NewSecretInput";
import type { RevealedValue } from "../bindings/RevealedValue";
import type { SecretDetails } from "../bindings/SecretDetails";
import type { SecretUse } from "../bindings/SecretUse";
import { invokeCommand, loadDevMock } from "./index";

export type { KeyEdit, NewSecretInput, RevealedValue, SecretDetails, SecretUse };

export const SECRET_COMMANDS = {
  secretDetails: "secret_details",
  revealSecretKey: "reveal_secret_key",
  copySecretKey: "copy_secret_key",
  updateSecret: "update_secret",
  createSecret: "create_secret",
  secretUsage: "secret_usage",
} as const;

export type SecretCommand = (typeof SECRET_COMMANDS)[keyof typeof SECRET_COMMANDS];

function call<T>(command: SecretCommand, args: Record<string, unknown>): Promise<T> {
  return invokeCommand<T>(command, args, import.meta.env.DEV ? loadDevMock : undefined);
}

/** Type, keys with sizes and the type-aware summary; no value. */
export function secretDetails(context: string, namespace: string, name: string): Promise<SecretDetails> {
  return call(SECRET_COMMANDS.secretDetails, { context, namespace, name });
}

/** One key's value, read fresh from the cluster. */
export function revealSecretKey(context: string, namespace: string, name: string, key: string): Promise<RevealedValue> {
  return call(SECRET_COMMANDS.revealSecretKey, { context, namespace, name, key });
}

/** Copies a key's value to the clipboard; resolves with the seconds until it is cleared. */
export function copySecretKey(context: string, namespace: string, name: string, key: string): Promise<number> {
  return call(SECRET_COMMANDS.copySecretKey, { context, namespace, name, key });
}

/** Saves edits on top of `resourceVersion`; rejects with a conflict if the secret changed since. */
export function updateSecret(
  context: string,
  namespace: string,
  name: string,
  resourceVersion: string,
  edits: KeyEdit[],
): Promise<string> {
  return call(SECRET_COMMANDS.updateSecret, { context, namespace, name, resourceVersion, edits });
}

export function createSecret(context: string, namespace: string, name: string, secret: NewSecretInput): Promise<string> {
  return call(SECRET_COMMANDS.createSecret, { context, namespace, name, secret });
}

/** Pods of the namespace that use the secret, and how. */
export function secretUsage(context: string, namespace: string, name: string): Promise<SecretUse[]> {
  return call(SECRET_COMMANDS.secretUsage, { context, namespace, name });
}
