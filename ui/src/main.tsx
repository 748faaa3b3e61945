import { setNonce } from "get-nonce";
import { StrictMode } from "react";
import { createRoot } from "react-dom/client";

import { App } from "./App";
import { styleNonce } from "./csp";
import "./styles.css";

// The dialogs' scroll lock (Radix, through react-style-singleton) injects a
// <style>; under the app's CSP it must carry the page's style nonce.
const nonce = styleNonce();
if (nonce !== null) setNonce(nonce);

const root = document.getElementById("root");
if (root === null) throw new Error("index.html has no #root element");

createRoot(root).render(
  <StrictMode>
    <App />
  </StrictMode>,
);

if (import.meta.env.DEV) {
  // Dev-only UI steps for screenshots (see src/dev/script.ts).
  const script = new URLSearchParams(globalThis.location.search).get("do");
  if (script !== null) {
    void import("./dev/script").then(({ runScript }) => runScript(script));
  }
}
