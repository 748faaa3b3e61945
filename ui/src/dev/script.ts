// Dev-only: replays a few UI steps from the URL so headless screenshots can
// show menus and dialogs, e.g.
//   /?mock=ok&do=click:[data-context-name="staging"];wait:500;click:[data-testid="add-cluster"]
// Steps: click:<css selector>, type:<css selector>=<text>, wait:<ms>.
// Imported only behind `import.meta.env.DEV`, so it never reaches a production bundle.

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

async function find(selector: string): Promise<HTMLElement | null> {
  for (let i = 0; i < 50; i++) {
    const el = document.querySelector<HTMLElement>(selector);
    if (el !== null) return el;
    await sleep(100);
  }
  return null;
}

function setValue(el: HTMLElement, text: string) {
  const proto = el instanceof HTMLTextAreaElement ? HTMLTextAreaElement.prototype : HTMLInputElement.prototype;
  Object.getOwnPropertyDescriptor(proto, "value")?.set?.call(el, text);
  el.dispatchEvent(new Event("input", { bubbles: true }));
}

export async function runScript(script: string): Promise<void> {
  for (const step of script.split(";")) {
    const at = step.indexOf(":");
    const verb = step.slice(0, at);
    const rest = step.slice(at + 1);
    if (verb === "wait") {
      await sleep(Number(rest));
    } else if (verb === "click") {
      (await find(rest))?.click();
    } else if (verb === "type") {
      const eq = rest.lastIndexOf("=");
      const el = await find(rest.slice(0, eq));
      if (el !== null) setValue(el, rest.slice(eq + 1).replace(/\\n/g, "\n"));
    }
    await sleep(50);
  }
}
