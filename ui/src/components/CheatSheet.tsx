import { SHORTCUTS } from "../state/shortcuts";
import { Dialog } from "./Dialog";

/** `?`: every keyboard shortcut, grouped by where it applies. */
export function CheatSheet({ onClose }: { onClose: () => void }) {
  const sections = [...new Set(SHORTCUTS.map((s) => s.section))];
  return (
    <Dialog
      title="Keyboard shortcuts"
      testId="cheat-sheet"
      onClose={onClose}
      size="wide"
      footer={
        <button type="button" className="button button--primary" onClick={onClose}>
          Close
        </button>
      }
    >
      {sections.map((section) => (
        <section key={section} className="cheat-sheet__section">
          <h3 className="cheat-sheet__title">{section}</h3>
          <dl className="cheat-sheet__list">
            {SHORTCUTS.filter((s) => s.section === section).map((s) => (
              <div key={s.keys} className="cheat-sheet__row">
                <dt>
                  <kbd>{s.keys}</kbd>
                </dt>
                <dd>{s.what}</dd>
              </div>
            ))}
          </dl>
        </section>
      ))}
    </Dialog>
  );
}
