// Client-side check of a label selector's syntax (the grammar kubectl's -l
// accepts), so a typo is reported inline instead of as a server error.

export type SelectorCheck = { ok: true; selector: string | null } | { ok: false; error: string };

const NAME = /^[A-Za-z0-9]([-A-Za-z0-9_.]*[A-Za-z0-9])?$/;
const DNS_SUBDOMAIN = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;

function keyError(key: string): string | null {
  if (key === "") return "a label key is missing";
  const slash = key.indexOf("/");
  const name = slash >= 0 ? key.slice(slash + 1) : key;
  if (slash >= 0) {
    const prefix = key.slice(0, slash);
    if (prefix === "" || prefix.length > 253 || !DNS_SUBDOMAIN.test(prefix)) {
      return `"${key}": the prefix before "/" must be a DNS subdomain (lower case, dots and dashes)`;
    }
  }
  if (name.length > 63 || !NAME.test(name)) {
    return `"${key}" is not a valid label key (letters, digits, "-", "_", "." up to 63, starting and ending alphanumeric)`;
  }
  return null;
}

function valueError(value: string): string | null {
  if (value === "") return null;
  if (value.length > 63 || !NAME.test(value)) {
    return `"${value}" is not a valid label value (letters, digits, "-", "_", "." up to 63, starting and ending alphanumeric)`;
  }
  return null;
}

/** Splits on commas outside parentheses; null when parentheses do not balance. */
function splitRequirements(text: string): string[] | null {
  const parts: string[] = [];
  let depth = 0;
  let start = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (c === "(") depth++;
    else if (c === ")") {
      depth--;
      if (depth < 0) return null;
    } else if (c === "," && depth === 0) {
      parts.push(text.slice(start, i));
      start = i + 1;
    }
  }
  if (depth !== 0) return null;
  parts.push(text.slice(start));
  return parts;
}

const SET = /^(\S+)\s+(in|notin)\s*\((.*)\)$/;
const COMPARE = /^([^=!<>\s]+)\s*(==|!=|=|<|>)\s*(.*)$/;

function requirementError(raw: string): string | null {
  const req = raw.trim();
  if (req === "") return "an empty requirement (check the commas)";
  const set = SET.exec(req);
  if (set !== null) {
    const [, key = "", , list = ""] = set;
    const values = list.split(",").map((v) => v.trim());
    if (values.length === 1 && values[0] === "") return `"${req}": the set of values is empty`;
    return keyError(key) ?? values.map(valueError).find((e) => e !== null) ?? null;
  }
  if (/\s(in|notin)\s*\(/.test(req) || /\b(in|notin)$/.test(req)) {
    return `"${req}": write a set as key in (a,b)`;
  }
  const cmp = COMPARE.exec(req);
  if (cmp !== null) {
    const [, key = "", op = "", value = ""] = cmp;
    const keyProblem = keyError(key);
    if (keyProblem !== null) return keyProblem;
    if (op === "<" || op === ">") {
      return /^-?\d+$/.test(value) ? null : `"${req}": ${op} needs a whole number`;
    }
    return valueError(value.trim());
  }
  const bare = req.startsWith("!") ? req.slice(1).trim() : req;
  if (/[=<>!()\s]/.test(bare)) return `"${req}" is not a requirement (key, !key, key=value, key!=value, key in (a,b))`;
  return keyError(bare);
}

/**
 * Checks `text` as a label selector, e.g. `app=web,tier!=db,env in (a,b),!x,x`.
 * Blank text selects everything (selector null).
 */
export function checkLabelSelector(text: string): SelectorCheck {
  const trimmed = text.trim();
  if (trimmed === "") return { ok: true, selector: null };
  const parts = splitRequirements(trimmed);
  if (parts === null) return { ok: false, error: "the parentheses do not match" };
  for (const part of parts) {
    const error = requirementError(part);
    if (error !== null) return { ok: false, error };
  }
  return { ok: true, selector: trimmed };
}
