import { describe, expect, it } from "vitest";

import { formatBytes, formatCores, usageShare } from "./figures";

describe("overview figures", () => {
  it("writes cores as kubectl top does", () => {
    expect(formatCores(0.25)).toBe("250m");
    expect(formatCores(0.0004)).toBe("0m");
    expect(formatCores(1.5)).toBe("1.5");
    expect(formatCores(2)).toBe("2");
  });

  it("writes bytes in binary multiples", () => {
    expect(formatBytes(512)).toBe("512B");
    expect(formatBytes(1536)).toBe("1.5Ki");
    expect(formatBytes(256 * 1024 * 1024)).toBe("256Mi");
    expect(formatBytes(1.5 * 1024 ** 3)).toBe("1.5Gi");
  });

  it("gives the share of allocatable, or none without figures", () => {
    expect(usageShare(0.5, 2)).toBe(25);
    expect(usageShare(3, 2)).toBe(150);
    expect(usageShare(null, 2)).toBeNull();
    expect(usageShare(1, 0)).toBeNull();
  });
});
