// k9s-style `:` commands in the palette: `:po`, `:deploy -n web`, `:svc -A`,
// `:ctx prod`, `:ns kube-system`.
import type { KindInfo } from "../bindings/KindInfo";

export type NamespaceScope = { type: "current" } | { type: "all" } | { type: "named"; name: string };

export type ColonCommand =
  | { type: "kind"; alias: string; scope: NamespaceScope }
  | { type: "context"; name: string }
  | { type: "namespace"; name: string }
  | { type: "invalid"; message: string };

const CONTEXT_WORDS = new Set(["ctx", "context", "contexts"]);
const NAMESPACE_WORDS = new Set(["ns", "namespace"]);

/** The command in `input`, or null when it does not start with `:`. */
export function parseColon(input: string): ColonCommand | null {
  const text = input.trim();
  if (!text.startsWith(":")) return null;
  const words = text.slice(1).trim().split(/\s+/).filter((w) => w !== "");
  const [head, ...rest] = words;
  if (head === undefined) return { type: "invalid", message: "Type a kind (:po), :ctx <context> or :ns <namespace>" };
  const word = head.toLowerCase();
  // `:ns` alone lists namespaces (a kind); with a name it switches.
  if (NAMESPACE_WORDS.has(word) && rest.length > 0) {
    return rest.length === 1 && rest[0] !== undefined
      ? { type: "namespace", name: rest[0] }
      : { type: "invalid", message: "Use :ns <namespace>" };
  }
  if (CONTEXT_WORDS.has(word)) {
    if (rest.length === 1 && rest[0] !== undefined) return { type: "context", name: rest[0] };
    return { type: "invalid", message: "Use :ctx <context>" };
  }
  let scope: NamespaceScope = { type: "current" };
  for (let i = 0; i < rest.length; i++) {
    const flag = rest[i];
    if (flag === "-A" || flag === "--all-namespaces") {
      scope = { type: "all" };
    } else if (flag === "-n" || flag === "--namespace") {
      const name = rest[i + 1];
      if (name === undefined) return { type: "invalid", message: `${flag} needs a namespace` };
      scope = { type: "named", name };
      i++;
    } else if (flag?.startsWith("--namespace=") === true) {
      scope = { type: "named", name: flag.slice("--namespace=".length) };
    } else {
      return { type: "invalid", message: `Unknown argument ${flag ?? ""}: use -n <namespace> or -A` };
    }
  }
  return { type: "kind", alias: head, scope };
}

/**
 * The kind an alias names, as kubectl resolves it: plural, singular, kind
 * name or a short name (case-insensitive), `plural.group` for a group;
 * built-in (core first) before custom kinds.
 */
export function resolveAlias<K extends { info: KindInfo }>(kinds: readonly K[], alias: string): K | null {
  const a = alias.toLowerCase();
  const [name, ...groupParts] = a.split(".");
  const group = groupParts.join(".");
  const names = (info: KindInfo): string[] => [
    info.plural.toLowerCase(),
    (info.singular !== "" ? info.singular : info.kind).toLowerCase(),
    info.kind.toLowerCase(),
    ...info.shortNames.map((s) => s.toLowerCase()),
  ];
  const matches = kinds.filter(
    (k) => names(k.info).includes(group !== "" ? (name ?? "") : a) && (group === "" || k.info.group === group),
  );
  // kubectl prefers the core group, then the shortest group name.
  matches.sort((x, y) => x.info.group.length - y.info.group.length);
  return matches[0] ?? null;
}
