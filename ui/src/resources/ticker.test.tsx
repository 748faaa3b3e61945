import { render } from "@testing-library/react";
import { describe, expect, it } from "vitest";

import { activeTimers, useNow } from "./ticker";

function Clock() {
  const now = useNow();
  return <span>{now}</span>;
}

describe("useNow", () => {
  it("shares one timer between every subscriber and stops it when none is left", () => {
    expect(activeTimers()).toBe(0);
    const view = render(
      <>
        {Array.from({ length: 50 }, (_, i) => (
          <Clock key={i} />
        ))}
      </>,
    );
    expect(activeTimers()).toBe(1);
    view.unmount();
    expect(activeTimers()).toBe(0);
  });
});
