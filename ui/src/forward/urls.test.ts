import { describe, expect, it } from "vitest";

import type { ListenerInfo } from "../bindings/ListenerInfo";
import { forwardUrl, guessScheme, listenerUrl, splitAddress } from "./urls";

const l = (local: string, remote = 80, remoteName: string | null = null): ListenerInfo => ({ local, remote, remoteName });

describe("guessScheme", () => {
  it("is https for 443, 8443 and ports named https", () => {
    expect(guessScheme(l("127.0.0.1:1", 443))).toBe("https");
    expect(guessScheme(l("127.0.0.1:1", 8443))).toBe("https");
    expect(guessScheme(l("127.0.0.1:1", 9000, "https"))).toBe("https");
    expect(guessScheme(l("127.0.0.1:1", 9000, "HTTPS"))).toBe("https");
    expect(guessScheme(l("127.0.0.1:1", 9000, "web-https"))).toBe("https");
  });
  it("is http otherwise", () => {
    expect(guessScheme(l("127.0.0.1:1", 80, "http"))).toBe("http");
    expect(guessScheme(l("127.0.0.1:1", 4430, "httpsish"))).toBe("http");
  });
});

describe("splitAddress", () => {
  it("reads IPv4 and bracketed IPv6", () => {
    expect(splitAddress("127.0.0.1:8080")).toEqual({ host: "127.0.0.1", port: 8080 });
    expect(splitAddress("[::1]:8080")).toEqual({ host: "[::1]", port: 8080 });
    expect(splitAddress("::1:8080")).toBeNull();
    expect(splitAddress("127.0.0.1:0")).toBeNull();
    expect(splitAddress("127.0.0.1:70000")).toBeNull();
  });
});

describe("listenerUrl", () => {
  it("builds loopback URLs with a trailing slash (the opener's scope)", () => {
    expect(listenerUrl(l("127.0.0.1:8080"))).toBe("http://127.0.0.1:8080/");
    expect(listenerUrl(l("[::1]:8443", 8443))).toBe("https://[::1]:8443/");
  });
  it("browses a wildcard bind through loopback", () => {
    expect(listenerUrl(l("0.0.0.0:9090"))).toBe("http://127.0.0.1:9090/");
    expect(listenerUrl(l("[::]:9090"))).toBe("http://[::1]:9090/");
  });
  it("builds nothing for other addresses", () => {
    expect(listenerUrl(l("192.168.1.5:8080"))).toBeNull();
    expect(listenerUrl(l("127.0.0.2:8080"))).toBeNull();
    expect(listenerUrl(l("[fe80::1]:8080"))).toBeNull();
  });
});

describe("forwardUrl", () => {
  it("prefers IPv4 loopback, then IPv6", () => {
    expect(forwardUrl({ listeners: [l("[::1]:9000"), l("127.0.0.1:9000")] })).toBe("http://127.0.0.1:9000/");
    expect(forwardUrl({ listeners: [l("[::1]:9000", 443)] })).toBe("https://[::1]:9000/");
    expect(forwardUrl({ listeners: [l("10.0.0.4:9000"), l("0.0.0.0:9001")] })).toBe("http://127.0.0.1:9001/");
    expect(forwardUrl({ listeners: [] })).toBeNull();
  });
});
