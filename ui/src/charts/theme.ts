// The app follows the OS's light or dark setting (styles.css:
// prefers-color-scheme); charts follow the same query.
import { useEffect, useState } from "react";

import type { ChartTheme } from "../bindings/ChartTheme";

const DARK = "(prefers-color-scheme: dark)";

function current(): ChartTheme {
  if (typeof globalThis.matchMedia !== "function") return "light";
  return globalThis.matchMedia(DARK).matches ? "dark" : "light";
}

/** "dark" or "light" as the app shows now; re-renders when the OS switches. */
export function useColorScheme(): ChartTheme {
  const [theme, setTheme] = useState<ChartTheme>(current);
  useEffect(() => {
    if (typeof globalThis.matchMedia !== "function") return;
    const query = globalThis.matchMedia(DARK);
    const changed = () => {
      setTheme(query.matches ? "dark" : "light");
    };
    query.addEventListener("change", changed);
    return () => {
      query.removeEventListener("change", changed);
    };
  }, []);
  return theme;
}
