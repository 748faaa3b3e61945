// The state of one terminal tab's session: connecting, running, ended or
// failed, and which attempt (generation) it is, so a reconnect opens a fresh
// session and late messages of the old one are ignored.

export type SessionStatus =
  | { kind: "connecting" }
  | { kind: "running"; id: number }
  | { kind: "exited"; code: number | null }
  | { kind: "failed"; message: string };

export type SessionState = {
  /** Bumped by each reconnect; the session effect runs once per generation. */
  generation: number;
  status: SessionStatus;
  /** The output stream broke before the exit (connection lost). */
  streamError: string | null;
};

export type SessionAction =
  | { type: "opened"; generation: number; id: number }
  | { type: "exited"; generation: number; code: number | null }
  | { type: "streamError"; generation: number; message: string }
  | { type: "failed"; generation: number; message: string }
  | { type: "reconnect" };

export const INITIAL_SESSION: SessionState = { generation: 0, status: { kind: "connecting" }, streamError: null };

export function sessionReducer(state: SessionState, action: SessionAction): SessionState {
  if (action.type === "reconnect") {
    return { generation: state.generation + 1, status: { kind: "connecting" }, streamError: null };
  }
  if (action.generation !== state.generation) return state;
  switch (action.type) {
    case "opened":
      // The exit can come before the opener resolves (a shell that ends at once).
      return state.status.kind === "connecting" ? { ...state, status: { kind: "running", id: action.id } } : state;
    case "exited":
      return { ...state, status: { kind: "exited", code: action.code } };
    case "streamError":
      return { ...state, streamError: action.message };
    case "failed":
      return { ...state, status: { kind: "failed", message: action.message } };
  }
}

/** What the tab's status line says, or null while the session simply runs. */
export function statusText(state: SessionState): string | null {
  const { status } = state;
  switch (status.kind) {
    case "connecting":
      return "Connecting…";
    case "running":
      return state.streamError;
    case "exited": {
      const ended = status.code === null ? "Exited" : `Exited with code ${status.code.toString()}`;
      return state.streamError === null ? ended : `${ended} (${state.streamError})`;
    }
    case "failed":
      return status.message;
  }
}

/** A reconnect is offered once the session is over. */
export function canReconnect(state: SessionState): boolean {
  return state.status.kind === "exited" || state.status.kind === "failed";
}
