// Streaming log fixtures for `npm run dev` with `?mock=…`: two pods of a
// deployment print a line every 200 ms, with colours, a long line and a
// reconnect now and then, so the log tab can be looked at without a cluster.
import type { LogBatch } from "../bindings/LogBatch";
import type { LogLine } from "../bindings/LogLine";
import type { LogMarker } from "../bindings/LogMarker";
import type { LogSource } from "../bindings/LogSource";
import type { LogTarget } from "../bindings/LogTarget";

const LOG_COMMANDS = new Set(["open_logs", "close_logs", "download_log", "save_text"]);

export function isLogCommand(command: string): boolean {
  return LOG_COMMANDS.has(command);
}

type Sink = { onmessage: (value: unknown) => void };

const sessions = new Map<number, ReturnType<typeof setInterval>>();
let nextId = 0;

function podsOf(target: LogTarget): string[] {
  if (target.kind === "pod") return [target.name];
  const base = target.kind === "selector" ? "app" : target.name;
  return [`${base}-7d9f8c-abcde`, `${base}-7d9f8c-fghij`];
}

const COLOURED = ["\u001b[32mINFO\u001b[0m", "\u001b[33mWARN\u001b[0m", "\u001b[1;31mERROR\u001b[0m", "\u001b[38;5;39mDEBUG\u001b[0m"];

function open(args: Record<string, unknown>): number {
  const target = args.target as LogTarget;
  const options = args.options as { namespace: string; tailLines: number | null; timestamps: boolean };
  const sink = args.channel as Sink;
  const sources: LogSource[] = podsOf(target).map((pod, index) => ({ index, namespace: options.namespace, pod, container: "app" }));
  const id = ++nextId;
  let n = 0;
  const line = (source: number): LogLine => {
    n++;
    const time = new Date().toISOString();
    const level = COLOURED[n % COLOURED.length] ?? "";
    let text = `${level} hello from ${sources[source]?.pod ?? "?"} ${n.toString()}`;
    if (n % 97 === 0) text += ` long: ${"x".repeat(200_000)}`;
    if (n % 53 === 0) text += " bell\u0007 and cr\r inside";
    return { source, time, text: options.timestamps ? `${time} ${text}` : text };
  };
  const first: LogBatch = { sources, lines: [], markers: [], done: false, error: null };
  const tail = Math.min(options.tailLines ?? 50, 200);
  for (let i = 0; i < tail; i++) first.lines.push(line(i % sources.length));
  first.markers = sources.map((s) => ({ source: s.index, beforeLine: 0, marker: { kind: "started" } }));
  setTimeout(() => {
    sink.onmessage(first);
  }, 50);
  let tick = 0;
  const timer = setInterval(() => {
    tick++;
    const lines = sources.map((s) => line(s.index));
    const markers: LogMarker[] = [];
    if (tick % 50 === 0) {
      markers.push({ source: 1, beforeLine: 0, marker: { kind: "reconnecting", reason: "connection reset by peer" } });
      markers.push({ source: 1, beforeLine: 1, marker: { kind: "resumed", gap_ms: 1200 } });
    }
    sink.onmessage({ sources: [], lines, markers, done: false, error: null } satisfies LogBatch);
  }, 200);
  sessions.set(id, timer);
  return id;
}

export async function mockLogInvoke(command: string, args: Record<string, unknown>): Promise<unknown> {
  await new Promise((r) => setTimeout(r, 30));
  switch (command) {
    case "open_logs":
      return open(args);
    case "close_logs": {
      const id = args.id as number;
      clearInterval(sessions.get(id));
      sessions.delete(id);
      return null;
    }
    // The native save dialog answers with the suggested name in Downloads.
    case "download_log": {
      const progress = args.progress as Sink;
      for (let b = 1; b <= 4; b++) {
        await new Promise((r) => setTimeout(r, 150));
        progress.onmessage(b * 65536);
      }
      return { path: `/home/dev/Downloads/${args.suggestedName as string}`, bytes: 4 * 65536 };
    }
    case "save_text":
      return { path: `/home/dev/Downloads/${args.suggestedName as string}`, bytes: (args.text as string).length };
    default:
      throw new Error(`no fixture for ${command}`);
  }
}
