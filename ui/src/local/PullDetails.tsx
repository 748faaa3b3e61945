// Under the "node image" step while it pulls: the overall bar and one compact
// line per layer (short id, phase, bytes).
import type { PullView } from "./pull";
import { layerPercent, layerText, pullPercent } from "./pull";

export function PullDetails({ pull }: { pull: PullView }) {
  const pct = pullPercent(pull);
  return (
    <div className="local-pull" data-testid="local-pull">
      {/* Without a value the bar is indeterminate: some layer's size is not known yet. */}
      <progress className="local-pull__bar" max={100} value={pct ?? undefined} aria-label={`Pulling ${pull.image}`} />
      <ul className="local-pull__layers">
        {pull.layers.map((l) => (
          <li key={l.id} className={`local-pull__layer local-pull__layer--${l.phase}`} data-testid="local-pull-layer" data-phase={l.phase}>
            <code className="local-pull__id">{l.id}</code>
            <progress className="local-pull__layer-bar" max={100} value={layerPercent(l) ?? 0} aria-hidden="true" />
            <span>{layerText(l)}</span>
          </li>
        ))}
      </ul>
    </div>
  );
}
