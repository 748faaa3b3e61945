// The Create dialog's "Advanced" options, pure: host port mapping rows,
// extra k3s arguments (one per line), and how pre-flight findings land next
// to the fields. The backend checks the same rules (capstan-local's
// `spec::validate`); these give the message before a round trip.
import type { HostPortMapping } from "../bindings/HostPortMapping";
import { MANAGED_K3S_FLAGS } from "../bindings/localRules";
import type { PreflightFinding } from "../bindings/PreflightFinding";

export type PortRow = {
  /** Port on 127.0.0.1. */
  host: string;
  /** Port of the first server's container; blank = same as `host`. */
  container: string;
  protocol: "tcp" | "udp";
};

export const emptyPortRow = (): PortRow => ({ host: "", container: "", protocol: "tcp" });

function portNumber(text: string): number | null {
  const t = text.trim();
  if (!/^\d+$/.test(t)) return null;
  const n = Number(t);
  return n >= 1 && n <= 65535 ? n : null;
}

/**
 * The mappings of the rows, else a problem per row index. Rows with both
 * ports blank are ignored (an added row left empty). `apiPort` is the
 * chosen API port, or null for a free one.
 */
export function portRowsToMappings(
  rows: readonly PortRow[],
  apiPort: number | null,
): { mappings: HostPortMapping[] } | { problems: Record<number, string> } {
  const problems: Record<number, string> = {};
  const mappings: HostPortMapping[] = [];
  const seen = new Map<string, number>();
  rows.forEach((row, i) => {
    if (row.host.trim() === "" && row.container.trim() === "") return;
    const host = portNumber(row.host);
    const container = row.container.trim() === "" ? host : portNumber(row.container);
    if (host === null) {
      problems[i] = "Host port: a number from 1 to 65535.";
      return;
    }
    if (container === null) {
      problems[i] = "Container port: a number from 1 to 65535, or blank for the same.";
      return;
    }
    if (row.protocol === "tcp" && host === apiPort) {
      problems[i] = `Port ${host.toString()} is the API port: choose another.`;
      return;
    }
    const key = `${host.toString()}/${row.protocol}`;
    const earlier = seen.get(key);
    if (earlier !== undefined) {
      problems[i] = `Host port ${host.toString()}/${row.protocol} is already mapped in row ${(earlier + 1).toString()}.`;
      return;
    }
    seen.set(key, i);
    mappings.push({ hostIp: "127.0.0.1", hostPort: host, containerPort: container, protocol: row.protocol });
  });
  return Object.keys(problems).length > 0 ? { problems } : { mappings };
}

/** One argv element per non-blank line, trimmed. */
export function parseArgs(text: string): string[] {
  return text
    .split("\n")
    .map((l) => l.trim())
    .filter((l) => l !== "");
}

/** Why the arguments cannot be used, or null. */
export function argsProblem(args: readonly string[]): string | null {
  for (const arg of args) {
    const flag = arg.split("=")[0] ?? arg;
    const managed = MANAGED_K3S_FLAGS.find((m) => m.flag === flag);
    if (managed !== undefined) return `${flag} is set by Capstan (${managed.why}): remove it.`;
  }
  return null;
}

/** Where a finding shows in the form. */
export type FindingPlace = "name" | "apiPort" | "ports" | "imageTarball" | "general";

export function findingPlace(f: PreflightFinding): FindingPlace {
  switch (f.check) {
    case "name":
      return "name";
    case "apiPort":
      return "apiPort";
    case "ports":
      return "ports";
    case "imageTarball":
      return "imageTarball";
    default:
      return "general";
  }
}

/** The findings for one place, blocking ones first. */
export function findingsAt(findings: readonly PreflightFinding[], place: FindingPlace): PreflightFinding[] {
  return findings
    .filter((f) => findingPlace(f) === place)
    .sort((a, b) => (a.severity === b.severity ? 0 : a.severity === "blocking" ? -1 : 1));
}

export function hasBlocking(findings: readonly PreflightFinding[]): boolean {
  return findings.some((f) => f.severity === "blocking");
}

/** `127.0.0.1:8080 → 80/tcp`, as the clusters list shows a mapping. */
export function portLabel(m: HostPortMapping): string {
  return `${m.hostIp}:${m.hostPort.toString()} → ${m.containerPort.toString()}/${m.protocol}`;
}
