// A terminal for `npm run dev` with `?mock=…` (node shells and context
// terminals alike): a prompt that echoes what is typed, answers a few
// commands, and ends on `exit [code]`, so the dock terminal can be looked at
// without a container engine. Output goes as ArrayBuffer frames, as the app sends it.
import type { TerminalEvent } from "../bindings/TerminalEvent";
import type { TerminalOpened } from "../bindings/TerminalOpened";

const SHELL_COMMANDS = new Set(["open_node_shell", "open_context_terminal", "terminal_input", "terminal_resize", "close_terminal"]);

export function isShellCommand(command: string): boolean {
  return SHELL_COMMANDS.has(command);
}

type Sink = { onmessage: (value: unknown) => void };
type Session = { sink: Sink; node: string; line: string; cols: number; rows: number };

const sessions = new Map<number, Session>();
let nextId = 0;
const encoder = new TextEncoder();

function send(session: Session, text: string) {
  const bytes = encoder.encode(text);
  session.sink.onmessage(bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength));
}

function prompt(session: Session) {
  send(session, `/ # `);
}

function run(id: number, session: Session, command: string) {
  const [name, ...rest] = command.trim().split(/\s+/);
  switch (name) {
    case undefined:
    case "":
      break;
    case "exit": {
      sessions.delete(id);
      const event: TerminalEvent = { event: "exit", code: Number.parseInt(rest[0] ?? "0", 10) || 0 };
      session.sink.onmessage(event);
      return;
    }
    case "hostname":
      send(session, `${session.node}\r\n`);
      break;
    case "stty":
      send(session, `${session.rows.toString()} ${session.cols.toString()}\r\n`);
      break;
    case "echo":
      send(session, `${rest.join(" ")}\r\n`);
      break;
    default:
      send(session, `sh: ${name}: not found (mock shell: hostname, stty, echo, exit)\r\n`);
  }
  prompt(session);
}

function input(id: number, data: string) {
  const session = sessions.get(id);
  if (session === undefined) return;
  for (const ch of data) {
    if (ch === "\r") {
      send(session, "\r\n");
      const line = session.line;
      session.line = "";
      run(id, session, line);
      if (!sessions.has(id)) return;
    } else if (ch === "\u007f") {
      if (session.line.length > 0) {
        session.line = session.line.slice(0, -1);
        send(session, "\b \b");
      }
    } else {
      session.line += ch;
      send(session, ch);
    }
  }
}

export function mockShellInvoke(command: string, args: Record<string, unknown>): unknown {
  const id = Number(args.id);
  switch (command) {
    case "open_node_shell": {
      const cluster = String(args.cluster);
      const node = typeof args.node === "string" ? args.node : "server-0";
      const container = node.startsWith("capstan-") ? node : `capstan-${cluster}-${node}`;
      const session: Session = { sink: args.channel as Sink, node: container, line: "", cols: Number(args.cols), rows: Number(args.rows) };
      const opened: TerminalOpened = { id: ++nextId, label: container };
      sessions.set(opened.id, session);
      setTimeout(() => {
        prompt(session);
      }, 50);
      return opened;
    }
    case "open_context_terminal": {
      const context = String(args.context);
      const session: Session = { sink: args.channel as Sink, node: context, line: "", cols: Number(args.cols), rows: Number(args.rows) };
      const opened: TerminalOpened = { id: ++nextId, label: context };
      sessions.set(opened.id, session);
      setTimeout(() => {
        prompt(session);
      }, 50);
      return opened;
    }
    case "terminal_input":
      input(id, String(args.data));
      return null;
    case "terminal_resize": {
      const session = sessions.get(id);
      if (session !== undefined) {
        session.cols = Number(args.cols);
        session.rows = Number(args.rows);
      }
      return null;
    }
    case "close_terminal":
      sessions.delete(id);
      return null;
    default:
      throw new Error(`not a shell command: ${command}`);
  }
}
