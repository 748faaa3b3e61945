import { cleanup } from "@testing-library/react";
import { afterEach } from "vitest";

import { queryClient } from "../query/client";

afterEach(() => {
  cleanup();
});

// jsdom has no layout: CodeMirror measures text through Range rects, which
// jsdom leaves out. Empty rects are what a layout-free document would give.
if (typeof Range !== "undefined" && !("getClientRects" in Range.prototype)) {
  const empty = (): DOMRect => new DOMRect(0, 0, 0, 0);
  Object.assign(Range.prototype, {
    getClientRects: () => Object.assign([], { item: () => null }) as unknown as DOMRectList,
    getBoundingClientRect: empty,
  });
}

// Each test starts with an empty query cache.
afterEach(() => {
  queryClient.clear();
});
