// The API server's rules for secret names and keys, checked before sending so
// the user sees the rule next to the field (the backend checks again).

const NAME_RULE =
  "a DNS-1123 subdomain: at most 253 lowercase letters, digits, '-' or '.', starting and ending with a letter or digit";
const KEY_RULE = "1 to 253 letters, digits, '-', '_' or '.' (not \".\" or \"..\")";

const LABEL = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;
const KEY = /^[-._a-zA-Z0-9]+$/;

/** Why `name` cannot name a secret, or null when it can. */
export function secretNameProblem(name: string): string | null {
  if (name === "") return "A name is required.";
  if (name.length > 253 || !name.split(".").every((l) => LABEL.test(l))) return `The name must be ${NAME_RULE}.`;
  return null;
}

/** Why `key` cannot be a data key, or null when it can. */
export function secretKeyProblem(key: string): string | null {
  if (key === "") return "A key is required.";
  if (key.length > 253 || key === "." || key === ".." || !KEY.test(key)) return `A key must be ${KEY_RULE}.`;
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
