/**
 * The per-load CSP nonce Tauri gives the page's own `<style>` (index.html
 * carries an empty one for this): styles injected at run time (CodeMirror's,
 * the dialog's scroll lock) need it, as the CSP allows no other inline style.
 * Null outside the app (dev server, tests), where there is no CSP.
 */
export function styleNonce(): string | null {
  const carrier = document.querySelector<HTMLStyleElement>("style[data-csp-nonce]");
  return carrier !== null && carrier.nonce !== "" ? carrier.nonce : null;
}
