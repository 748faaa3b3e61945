import { describe, expect, it } from "vitest";

import { exitLine, outputBytes, shellTitle } from "./terminal";

describe("node shell terminal", () => {
  it("passes output bytes on unchanged, UTF-8 split across chunks included", () => {
    const bytes = outputBytes([0x68, 0x69, 0xe2, 0x82]);
    expect(bytes).toBeInstanceOf(Uint8Array);
    expect(Array.from(bytes)).toEqual([0x68, 0x69, 0xe2, 0x82]);
    expect(new TextDecoder().decode(Uint8Array.from([...bytes, 0xac]))).toBe("hi€");
  });

  it("says how the shell ended", () => {
    expect(exitLine(0)).toBe("\r\n[shell exited with code 0]\r\n");
    expect(exitLine(130)).toContain("code 130");
    expect(exitLine(null)).toBe("\r\n[shell exited]\r\n");
  });

  it("names the tab after the cluster and node", () => {
    expect(shellTitle("dev", "server-0")).toBe("Shell: dev/server-0");
    // Nodes picked from the list come as container names.
    expect(shellTitle("dev", "capstan-dev-agent-1")).toBe("Shell: dev/agent-1");
    expect(shellTitle("dev", "capstan-other-agent-1")).toBe("Shell: dev/capstan-other-agent-1");
  });
});
