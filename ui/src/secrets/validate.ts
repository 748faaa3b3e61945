// The API server's rules for secret names and keys, checked before sending so
// the user sees the rule next to the field (the backend checks again).

import { KEY_PATTERN, KEY_RULE, LABEL_PATTERN, SUBDOMAIN_MAX, SUBDOMAIN_RULE } from "../bindings/nameRules";

/** Why `name` cannot name a secret, or null when it can. */
export function secretNameProblem(name: string): string | null {
  if (name === "") return "A name is required.";
  if (name.length > SUBDOMAIN_MAX || !name.split(".").every((l) => LABEL_PATTERN.test(l)))
    return `The name must be ${SUBDOMAIN_RULE}.`;
  return null;
}

/** Why `key` cannot be a data key, or null when it can. */
export function secretKeyProblem(key: string): string | null {
  if (key === "") return "A key is required.";
  if (key.length > SUBDOMAIN_MAX || key === "." || key === ".." || !KEY_PATTERN.test(key))
    return `A key must be ${KEY_RULE}.`;
  return null;
}

/** The first key given twice, if any. */
export function duplicateKey(keys: readonly string[]): string | null {
  const seen = new Set<string>();
  for (const k of keys) {
    if (seen.has(k)) return k;
    seen.add(k);
  }
  return null;
}
