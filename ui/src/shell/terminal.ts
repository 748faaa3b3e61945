// The pure parts of a node shell tab: what the terminal is sent and shows.

/** Output bytes arrive as a JSON number array; xterm takes them as raw bytes. */
export function outputBytes(data: readonly number[]): Uint8Array {
  return Uint8Array.from(data);
}

/** The line written when the shell ends. */
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
