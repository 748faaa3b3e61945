import { useState } from "react";

import type { ToolbarOptions } from "./options";
import { parseSince, parseTail } from "./options";

type Props = {
  options: ToolbarOptions;
  onOptions: (options: ToolbarOptions) => void;
  containers: readonly string[];
  follow: boolean;
  onFollow: (on: boolean) => void;
  wrap: boolean;
  onWrap: (on: boolean) => void;
  query: string;
  onQuery: (query: string) => void;
  regex: boolean;
  onRegex: (on: boolean) => void;
  filter: boolean;
  onFilter: (on: boolean) => void;
  queryError: string | null;
  matchCount: number;
  current: number;
  onNext: () => void;
  onPrev: () => void;
};

const SINCE_PRESETS = ["", "5m", "1h", "24h"];

function sinceLabel(o: ToolbarOptions): string {
  switch (o.since.kind) {
    case "none":
      return "";
    case "time":
      return o.since.time;
    case "seconds": {
      const s = o.since.seconds;
      if (s % 3600 === 0) return `${(s / 3600).toString()}h`;
      if (s % 60 === 0) return `${(s / 60).toString()}m`;
      return `${s.toString()}s`;
    }
  }
}

/** Options applied by the server (they restart the stream) and view options (applied at once). */
export function LogToolbar(p: Props) {
  const [tail, setTail] = useState(p.options.tailLines?.toString() ?? "");
  const [since, setSince] = useState(sinceLabel(p.options));
  const tailParsed = parseTail(tail);
  const sinceParsed = parseSince(since);
  const tailError = tailParsed !== null && typeof tailParsed === "object" ? tailParsed.error : null;
  const sinceError = "error" in sinceParsed ? sinceParsed.error : null;
  const container = p.options.container;
  const containerValue = container.kind === "named" ? `named:${container.name}` : container.kind;

  const applyServerOptions = () => {
    if (tailError !== null || sinceError !== null || "error" in sinceParsed) return;
    if (tailParsed !== null && typeof tailParsed === "object") return;
    p.onOptions({ ...p.options, tailLines: tailParsed, since: sinceParsed });
  };

  return (
    <div className="logbar" role="toolbar" aria-label="Log options">
      <label className="logbar__check">
        <input
          type="checkbox"
          data-testid="log-follow"
          checked={p.follow}
          onChange={(e) => {
            p.onFollow(e.target.checked);
          }}
        />
        Follow
      </label>
      <form
        className="logbar__group"
        onSubmit={(e) => {
          e.preventDefault();
          applyServerOptions();
        }}
      >
        <label title="Lines from the end of each log (empty: the whole log)">
          Tail{" "}
          <input
            className="input input--compact logbar__num"
            data-testid="log-tail"
            value={tail}
            aria-invalid={tailError !== null}
            onChange={(e) => {
              setTail(e.target.value);
            }}
            onBlur={applyServerOptions}
          />
        </label>
        <label title="Only lines newer than a duration (5m, 1h) or an RFC 3339 time">
          Since{" "}
          <input
            className="input input--compact logbar__since"
            data-testid="log-since"
            list="log-since-presets"
            value={since}
            placeholder="all"
            aria-invalid={sinceError !== null}
            onChange={(e) => {
              setSince(e.target.value);
            }}
            onBlur={applyServerOptions}
          />
          <datalist id="log-since-presets">
            {SINCE_PRESETS.filter((s) => s !== "").map((s) => (
              <option key={s} value={s} />
            ))}
          </datalist>
        </label>
        {(tailError ?? sinceError) !== null && (
          <span className="logbar__error" role="alert">
            {tailError ?? sinceError}
          </span>
        )}
      </form>
      <label className="logbar__check">
        <input
          type="checkbox"
          data-testid="log-timestamps"
          checked={p.options.timestamps}
          onChange={(e) => {
            p.onOptions({ ...p.options, timestamps: e.target.checked });
          }}
        />
        Timestamps
      </label>
      <label className="logbar__check">
        <input
          type="checkbox"
          data-testid="log-previous"
          checked={p.options.previous}
          onChange={(e) => {
            p.onOptions({ ...p.options, previous: e.target.checked });
          }}
        />
        Previous
      </label>
      <label>
        Container{" "}
        <select
          className="input input--compact"
          data-testid="log-container"
          value={containerValue}
          onChange={(e) => {
            const v = e.target.value;
            p.onOptions({
              ...p.options,
              container: v === "all" ? { kind: "all" } : v === "default" ? { kind: "default" } : { kind: "named", name: v.slice("named:".length) },
            });
          }}
        >
          <option value="default">default</option>
          <option value="all">all containers</option>
          {[...new Set([...p.containers, ...(container.kind === "named" ? [container.name] : [])])].map((c) => (
            <option key={c} value={`named:${c}`}>
              {c}
            </option>
          ))}
        </select>
      </label>
      <label className="logbar__check">
        <input
          type="checkbox"
          data-testid="log-wrap"
          checked={p.wrap}
          onChange={(e) => {
            p.onWrap(e.target.checked);
          }}
        />
        Wrap
      </label>
      <form
        className="logbar__search"
        onSubmit={(e) => {
          e.preventDefault();
          p.onNext();
        }}
      >
        <input
          className="input input--compact"
          type="search"
          placeholder={p.regex ? "Search (regex)" : "Search"}
          aria-label="Search the log"
          data-testid="log-search"
          value={p.query}
          aria-invalid={p.queryError !== null}
          onChange={(e) => {
            p.onQuery(e.target.value);
          }}
          onKeyDown={(e) => {
            if (e.key === "Enter" && e.shiftKey) {
              e.preventDefault();
              p.onPrev();
            }
          }}
        />
        <span className="logbar__count" data-testid="log-match-count" data-count={p.matchCount}>
          {p.queryError !== null
            ? "invalid regex"
            : p.query === ""
              ? ""
              : `${p.current >= 0 ? `${(p.current + 1).toString()}/` : ""}${p.matchCount.toString()} match${p.matchCount === 1 ? "" : "es"}`}
        </span>
        <button type="button" className="button button--small" data-testid="log-search-prev" title="Previous match (Shift+Enter)" onClick={p.onPrev} disabled={p.matchCount === 0}>
          ↑
        </button>
        <button type="submit" className="button button--small" data-testid="log-search-next" title="Next match (Enter)" disabled={p.matchCount === 0}>
          ↓
        </button>
        <label className="logbar__check" title="The search is a regular expression">
          <input
            type="checkbox"
            data-testid="log-regex"
            checked={p.regex}
            onChange={(e) => {
              p.onRegex(e.target.checked);
            }}
          />
          .*
        </label>
        <label className="logbar__check" title="Show only matching lines">
          <input
            type="checkbox"
            data-testid="log-filter"
            checked={p.filter}
            onChange={(e) => {
              p.onFilter(e.target.checked);
            }}
          />
          Filter
        </label>
      </form>
      {p.queryError !== null && (
        <span className="logbar__error" role="alert" data-testid="log-query-error">
          {p.queryError}
        </span>
      )}
    </div>
  );
}
