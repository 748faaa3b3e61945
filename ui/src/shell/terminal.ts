// The pure parts of a terminal tab: what the terminal is sent and shows.
import type { TerminalMessage } from "./ipc";
import type { TerminalTarget } from "./opener";
import { isContextTerminal, isPodTerminal } from "./opener";
import type { TerminalEvent } from "../bindings/TerminalEvent";

/** A channel message, sorted: output bytes for xterm, or an event. */
export type ReadMessage = { kind: "output"; bytes: Uint8Array } | { kind: "event"; event: TerminalEvent };

/**
 * Output frames arrive as ArrayBuffers and go to xterm as bytes, undecoded:
 * xterm's own UTF-8 decoder keeps a character split across frames intact.
 */
export function readMessage(message: TerminalMessage): ReadMessage {
  if (message instanceof ArrayBuffer) return { kind: "output", bytes: new Uint8Array(message) };
  return { kind: "event", event: message };
}

/** The line written when the process ends. */
export function exitLine(code: number | null): string {
  const text = code === null ? "[shell exited]" : `[shell exited with code ${code.toString()}]`;
  return `\r\n${text}\r\n`;
}

/** The dock tab title of a shell in `node` (a container name or `server-0`) of `cluster`. */
export function shellTitle(cluster: string, node: string): string {
  const prefix = `capstan-${cluster}-`;
  const short = node.startsWith(prefix) ? node.slice(prefix.length) : node;
  return `Shell: ${cluster}/${short}`;
}

/** The dock tab title of any terminal. */
export function terminalTitle(target: TerminalTarget): string {
  if (isPodTerminal(target)) return podTitle(target.mode, target.pod, target.container);
  if (isContextTerminal(target)) {
    return target.namespace === null ? `Terminal: ${target.context}` : `Terminal: ${target.context}/${target.namespace}`;
  }
  return shellTitle(target.cluster, target.node);
}

/**
 * The title once the session has answered with its label: a pod terminal
 * opened with the container left to Rust gets the container Rust chose
 * (the label is `pod/container`); other titles stay as they were.
 */
export function labelledTitle(target: TerminalTarget, label: string): string {
  if (!isPodTerminal(target) || target.container !== null) return terminalTitle(target);
  const slash = label.indexOf("/");
  const container = slash < 0 ? "" : label.slice(slash + 1);
  return podTitle(target.mode, target.pod, container === "" ? null : container);
}

/** A pod terminal's title: `pod/container` (`pod` alone until Rust names the default container). */
export function podTitle(mode: "exec" | "attach" | "debug", pod: string, container: string | null): string {
  const where = container === null ? pod : `${pod}/${container}`;
  switch (mode) {
    case "exec":
      return where;
    case "attach":
      return `attach: ${where}`;
    case "debug":
      return `debug: ${where}`;
  }
}

/**
 * Sends keys in order. Each send is an IPC call, and async commands run
 * concurrently in Rust, so two calls in flight can reach the process
 * swapped; here one call is in flight at a time and keys typed meanwhile
 * go together in the next.
 */
export class InputQueue {
  private pending = "";
  private busy = false;

  constructor(
    private readonly send: (data: string) => Promise<void>,
    private readonly onError: (err: unknown) => void,
  ) {}

  push(data: string): void {
    this.pending += data;
    if (!this.busy) void this.drain();
  }

  private async drain(): Promise<void> {
    this.busy = true;
    while (this.pending !== "") {
      const data = this.pending;
      this.pending = "";
      try {
        await this.send(data);
      } catch (err: unknown) {
        this.onError(err);
      }
    }
    this.busy = false;
  }
}
