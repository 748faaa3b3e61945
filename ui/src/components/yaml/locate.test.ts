import { describe, expect, it } from "vitest";

import { documentRanges, fieldPathsIn, lineNumberIn, lineOfPath, locateError } from "./locate";

const DEPLOYMENT = `apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
spec:
  replicas: -1
  template:
    spec:
      containers:
        - name: app
          image: ""
`;

describe("locating an error in YAML", () => {
  it("reads the parser's line number", () => {
    expect(lineNumberIn("invalid YAML, line 5: mapping values are not allowed")).toBe(5);
    expect(lineNumberIn("did not find expected key at line 3 column 8")).toBe(3);
    expect(lineNumberIn("no number here")).toBeNull();
  });

  it("reads field paths from a validation message", () => {
    expect(
      fieldPathsIn(
        'Deployment.apps "web" is invalid: [spec.replicas: Invalid value: -1: must be >= 0, spec.template.spec.containers[0].image: Required value]',
      ),
    ).toEqual(["spec.replicas", "spec.template.spec.containers[0].image"]);
  });

  it("walks the indentation to the deepest key of a path", () => {
    expect(lineOfPath(DEPLOYMENT, "spec.replicas")).toBe(6);
    expect(lineOfPath(DEPLOYMENT, "spec.template.spec.containers[0].image")).toBe(11);
    expect(lineOfPath(DEPLOYMENT, "metadata.name")).toBe(4);
    // A missing leaf stops at its parent; a missing root is not found.
    expect(lineOfPath(DEPLOYMENT, "spec.selector")).toBe(5);
    expect(lineOfPath(DEPLOYMENT, "status.phase")).toBeNull();
  });

  it("does not take a key from outside the parent's block", () => {
    const text = "metadata:\n  labels:\n    a: b\nspec:\n  name: x\n";
    expect(lineOfPath(text, "metadata.name")).toBe(1);
  });

  it("splits a stream into documents", () => {
    expect(documentRanges("a: 1\n---\nb: 2\nc: 3\n")).toEqual([
      { first: 1, last: 1 },
      { first: 3, last: 5 },
    ]);
  });

  it("prefers a line number, then a path inside the named document, then the document's start", () => {
    expect(locateError("invalid YAML, line 2: bad", DEPLOYMENT)).toBe(2);
    expect(locateError("spec.replicas: Invalid value", DEPLOYMENT)).toBe(6);
    const stream = "kind: ConfigMap\nmetadata:\n  name: a\n---\nkind: Pod\nmetadata:\n  name: b\n";
    expect(locateError("metadata.name: Invalid value", stream, 1)).toBe(7);
    expect(locateError("forbidden", stream, 1)).toBe(5);
    expect(locateError("forbidden", stream)).toBeNull();
  });
});
