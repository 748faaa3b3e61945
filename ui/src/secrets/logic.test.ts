import { describe, expect, it } from "vitest";

import type { Row } from "../bindings/Row";
import { requestOf, type CreateForm } from "./CreateSecretDialog";
import { draftOf, editsOf } from "./edits";
import { bytesToBase64, formatSize } from "./files";
import { filterByType, secretTypes } from "./typeFilter";
import { secretKeyProblem, secretNameProblem } from "./validate";

describe("validate", () => {
  it("accepts DNS-1123 subdomains and states the rule otherwise", () => {
    expect(secretNameProblem("db-creds.v2")).toBeNull();
    expect(secretNameProblem("")).toBe("A name is required.");
    for (const bad of ["Db", "-a", "a-", "a..b", "a_b", "x".repeat(254)]) {
      expect(secretNameProblem(bad), bad).toMatch(/DNS-1123 subdomain/);
    }
  });
  it("accepts data keys of letters, digits, - _ . and refuses the rest", () => {
    for (const ok of ["tls.crt", ".dockerconfigjson", "A_B-c", "x".repeat(253)]) expect(secretKeyProblem(ok), ok).toBeNull();
    for (const bad of [".", "..", "a b", "a/b", "x".repeat(254)]) expect(secretKeyProblem(bad), bad).toMatch(/letters, digits/);
  });
});

describe("editsOf", () => {
  it("sends only what changed, values as typed", () => {
    const d = draftOf(["a", "b", "c"]);
    d.existing[0] = { key: "a", change: { kind: "set", value: { kind: "text", text: "new" } } };
    d.existing[2] = { key: "c", change: { kind: "remove" } };
    d.added.push({ id: 1, key: " d ", value: { kind: "base64", base64: "AA==" } });
    expect(editsOf(d)).toEqual({
      edits: [
        { op: "set", key: "a", value: { kind: "text", text: "new" } },
        { op: "remove", key: "c" },
        { op: "set", key: "d", value: { kind: "base64", base64: "AA==" } },
      ],
    });
  });
  it("never renames or overwrites silently", () => {
    const d = draftOf(["a"]);
    d.added.push({ id: 1, key: "a", value: { kind: "text", text: "x" } });
    expect(editsOf(d)).toEqual({ problem: expect.stringContaining('"a" is given twice') as unknown });
    // Removing the old key in the same edit makes it an explicit replace.
    d.existing[0] = { key: "a", change: { kind: "remove" } };
    expect("edits" in editsOf(d)).toBe(true);
  });
  it("refuses bad keys and empty edits", () => {
    const d = draftOf(["a"]);
    expect(editsOf(d)).toEqual({ problem: "Nothing has changed." });
    d.added.push({ id: 1, key: "bad key", value: { kind: "text", text: "" } });
    expect(editsOf(d)).toEqual({ problem: expect.stringContaining("letters, digits") as unknown });
  });
});

describe("requestOf", () => {
  const base: CreateForm = {
    name: "creds",
    kind: "opaque",
    entries: [{ id: 0, key: "user", value: { kind: "text", text: "me" } }],
    cert: null,
    key: null,
    server: "",
    username: "",
    password: "",
    email: "",
  };
  it("builds each type", () => {
    expect(requestOf(base)).toEqual({
      secret: { type: "opaque", entries: [{ key: "user", value: { kind: "text", text: "me" } }] },
    });
    expect(requestOf({ ...base, kind: "dockerRegistry", server: " r.io ", username: "u", password: "p" })).toEqual({
      secret: { type: "dockerRegistry", server: "r.io", username: "u", password: "p", email: null },
    });
    const pem = { kind: "base64", base64: "LS0t" } as const;
    expect(requestOf({ ...base, kind: "tls", cert: pem, key: pem })).toEqual({ secret: { type: "tls", cert: pem, key: pem } });
  });
  it("states what to fix", () => {
    expect(requestOf({ ...base, name: "Bad" })).toEqual({ problem: expect.stringContaining("DNS-1123") as unknown });
    expect(requestOf({ ...base, kind: "tls" })).toEqual({ problem: expect.stringContaining("certificate") as unknown });
    expect(requestOf({ ...base, kind: "dockerRegistry" })).toEqual({ problem: expect.stringContaining("server") as unknown });
    const twice = [...base.entries, { id: 1, key: "user", value: { kind: "text", text: "x" } as const }];
    expect(requestOf({ ...base, entries: twice })).toEqual({ problem: 'The key "user" is given twice.' });
  });
});

describe("files", () => {
  it("encodes bytes as base64, large buffers included", () => {
    expect(bytesToBase64(new Uint8Array([0, 255, 1]))).toBe("AP8B");
    const big = new Uint8Array(1024 * 1024).fill(7);
    expect(atob(bytesToBase64(big)).length).toBe(big.length);
  });
  it("formats sizes", () => {
    expect(formatSize(12)).toBe("12 B");
    expect(formatSize(3482)).toBe("3.4 KiB");
    expect(formatSize(1024 * 1024)).toBe("1.0 MiB");
  });
});

describe("type filter", () => {
  const columns = [
    { name: "Name", priority: 0 },
    { name: "Type", priority: 0 },
    { name: "Data", priority: 0 },
  ];
  const row = (name: string, type: string): Row => ({
    uid: name,
    name,
    namespace: "ns",
    created: null,
    cells: [
      { type: "text", text: name },
      { type: "text", text: type },
      { type: "number", value: 1 },
    ],
  });
  const rows = [row("a", "Opaque"), row("b", "kubernetes.io/tls"), row("c", "Opaque")];
  it("lists the types present and keeps the rows of one", () => {
    expect(secretTypes(columns, rows)).toEqual(["Opaque", "kubernetes.io/tls"]);
    expect(filterByType(columns, rows, "Opaque").map((r) => r.name)).toEqual(["a", "c"]);
    expect(filterByType(columns, rows, null)).toBe(rows);
    expect(filterByType([], rows, "Opaque")).toBe(rows);
  });
});
