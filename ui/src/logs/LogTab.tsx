import { useVirtualizer } from "@tanstack/react-virtual";
import type { CSSProperties } from "react";
import { useCallback, useEffect, useMemo, useRef, useState } from "react";

import type { LogBatch } from "../bindings/LogBatch";
import type { LogSource } from "../bindings/LogSource";
import type { LogTarget } from "../bindings/LogTarget";
import { closeLogs, openLogs } from "../ipc/logs";
import type { Style } from "./ansi";
import { parseAnsi, stripAnsi } from "./ansi";
import { DownloadBar } from "./DownloadBar";
import type { ToolbarOptions } from "./options";
import { DEFAULT_OPTIONS, toLogOptions } from "./options";
import type { LogEntry } from "./ring";
import { DEFAULT_CAPACITY, LogRing } from "./ring";
import type { Matcher } from "./search";
import { compileQuery, highlight, MatchIndex, step } from "./search";
import { markerText, sourceColor, sourceTag } from "./sources";
import { LogToolbar } from "./LogToolbar";

type Props = {
  context: string;
  namespace: string;
  target: LogTarget;
  capacity?: number;
};

const ROW_HEIGHT = 18;
/** Characters shown of a line before "show more": keeps layout fast for 1 MB lines. */
export const LONG_LINE = 2_000;

type Status = { kind: "opening" } | { kind: "streaming" } | { kind: "done" } | { kind: "error"; message: string };

/** Appends a batch's lines and markers to `ring` in stream order. */
export function appendBatch(ring: LogRing, batch: LogBatch): void {
  let m = 0;
  const markers = batch.markers;
  for (let i = 0; i <= batch.lines.length; i++) {
    while (m < markers.length && (markers[m]?.beforeLine ?? 0) <= i) {
      const mk = markers[m];
      if (mk !== undefined) ring.push({ kind: "marker", source: mk.source, marker: mk.marker });
      m++;
    }
    const line = batch.lines[i];
    if (line !== undefined) ring.push({ kind: "line", source: line.source, time: line.time, text: line.text });
  }
}

function css(style: Style): CSSProperties | undefined {
  if (Object.keys(style).length === 0) return undefined;
  const fg = style.inverse === true ? style.bg : style.fg;
  const bg = style.inverse === true ? (style.fg ?? "currentColor") : style.bg;
  return {
    color: fg,
    backgroundColor: bg,
    fontWeight: style.bold === true ? 700 : undefined,
    opacity: style.dim === true ? 0.7 : undefined,
    fontStyle: style.italic === true ? "italic" : undefined,
    textDecoration: style.underline === true ? "underline" : undefined,
  };
}

/**
 * One log session in a dock tab: streams into a bounded ring buffer and
 * renders only the rows in sight.
 */
export function LogTab({ context, namespace, target, capacity = DEFAULT_CAPACITY }: Props) {
  const ring = useRef(new LogRing(capacity));
  // Lines that arrived while follow was off; shown when it is turned on again.
  const held = useRef(new LogRing(capacity));
  const sources = useRef(new Map<number, LogSource>());
  const [version, setVersion] = useState(0);
  const [status, setStatus] = useState<Status>({ kind: "opening" });
  const [options, setOptions] = useState<ToolbarOptions>(DEFAULT_OPTIONS);
  const [follow, setFollow] = useState(true);
  const followRef = useRef(follow);
  const [wrap, setWrap] = useState(false);
  const [query, setQuery] = useState("");
  const [regex, setRegex] = useState(false);
  const [filter, setFilter] = useState(false);
  const [current, setCurrent] = useState(-1);
  const [expanded, setExpanded] = useState<ReadonlySet<number>>(new Set());
  const [containers, setContainers] = useState<string[]>([]);

  // (Re)open the session whenever an option that the server applies changes.
  useEffect(() => {
    let id: number | null = null;
    let cancelled = false;
    ring.current.clear();
    held.current.clear();
    sources.current.clear();
    setStatus({ kind: "opening" });
    setVersion((v) => v + 1);
    const onBatch = (batch: LogBatch) => {
      if (cancelled) return;
      for (const s of batch.sources) sources.current.set(s.index, s);
      if (batch.sources.length > 0) {
        setContainers((prev) => {
          const names = new Set(prev);
          for (const s of batch.sources) names.add(s.container);
          return names.size === prev.length ? prev : [...names].sort();
        });
      }
      appendBatch(followRef.current ? ring.current : held.current, batch);
      if (batch.error !== null) setStatus({ kind: "error", message: batch.error });
      else if (batch.done) setStatus({ kind: "done" });
      else setStatus((s) => (s.kind === "streaming" ? s : { kind: "streaming" }));
      setVersion((v) => v + 1);
    };
    openLogs(context, target, toLogOptions(namespace, options), onBatch).then(
      (opened) => {
        if (cancelled) void closeLogs(opened);
        else id = opened;
      },
      (err: unknown) => {
        if (!cancelled) setStatus({ kind: "error", message: (err as { message?: string }).message ?? String(err) });
      },
    );
    return () => {
      cancelled = true;
      if (id !== null) void closeLogs(id);
    };
  }, [context, namespace, target, options]);

  const toggleFollow = (on: boolean) => {
    followRef.current = on;
    setFollow(on);
    if (on) {
      for (const e of held.current) {
        ring.current.push(e.kind === "line" ? { kind: "line", source: e.source, time: e.time, text: e.text } : { kind: "marker", source: e.source, marker: e.marker });
      }
      held.current.clear();
      setVersion((v) => v + 1);
    }
  };

  const compiled = useMemo(() => compileQuery(query, { regex, caseSensitive: false }), [query, regex]);
  const matcher = compiled.ok ? compiled.matcher : null;

  // Ring positions of the matching lines, updated per batch with only the
  // new lines tested (a full rescan of 100 000 lines per batch would lag).
  const index = useMemo(() => (matcher === null ? null : new MatchIndex(matcher)), [matcher]);
  const matches = useMemo(() => (index === null || version < 0 ? [] : index.update(ring.current)), [index, version]);

  const filtering = filter && matcher !== null;
  const count = filtering ? matches.length : ring.current.length;
  const rowToRing = useCallback((row: number) => (filtering ? (matches[row] ?? -1) : row), [filtering, matches]);

  const scroller = useRef<HTMLDivElement>(null);
  // eslint-disable-next-line react-hooks/incompatible-library -- the virtualizer is an imperative handle by design
  const virtualizer = useVirtualizer({
    count,
    getScrollElement: () => scroller.current,
    estimateSize: () => ROW_HEIGHT,
    overscan: 20,
    getItemKey: (row) => ring.current.at(rowToRing(row))?.seq ?? `r${row.toString()}`,
  });

  // Following: keep the newest line in sight.
  useEffect(() => {
    if (follow && count > 0 && current < 0) virtualizer.scrollToIndex(count - 1, { align: "end" });
  }, [follow, count, version, current, virtualizer]);

  const jump = (direction: 1 | -1) => {
    const next = step(matches.length, current, direction);
    setCurrent(next);
    if (next < 0) return;
    const ringIndex = matches[next] ?? 0;
    virtualizer.scrollToIndex(filtering ? next : ringIndex, { align: "center" });
  };

  const showContainer = options.container.kind === "all";
  const currentRing = current >= 0 ? (matches[current] ?? -1) : -1;

  const bufferText = () => {
    const lines: string[] = [];
    for (const e of ring.current) {
      if (e.kind !== "line") continue;
      const s = sources.current.get(e.source);
      const tag = s !== undefined && sources.current.size > 1 ? `[${sourceTag(s, showContainer)}] ` : "";
      lines.push(tag + stripAnsi(e.text));
    }
    return lines.join("\n") + (lines.length > 0 ? "\n" : "");
  };

  const statusText =
    status.kind === "opening"
      ? "Opening…"
      : status.kind === "error"
        ? status.message
        : status.kind === "done"
          ? "Stream ended"
          : follow
            ? "Following"
            : `Paused, ${held.current.length.toString()} new line${held.current.length === 1 ? "" : "s"} held`;

  return (
    <div className="logtab" data-testid="log-tab">
      <LogToolbar
        options={options}
        onOptions={(o) => {
          setCurrent(-1);
          setOptions(o);
        }}
        containers={containers}
        follow={follow}
        onFollow={toggleFollow}
        wrap={wrap}
        onWrap={setWrap}
        query={query}
        onQuery={(q) => {
          setQuery(q);
          setCurrent(-1);
        }}
        regex={regex}
        onRegex={setRegex}
        filter={filter}
        onFilter={setFilter}
        queryError={compiled.ok ? null : compiled.error}
        matchCount={matches.length}
        current={current}
        onNext={() => {
          jump(1);
        }}
        onPrev={() => {
          jump(-1);
        }}
      />
      <DownloadBar
        context={context}
        namespace={namespace}
        sources={[...sources.current.values()]}
        previous={options.previous}
        baseName={target.kind === "selector" ? "selector" : target.name}
        bufferText={bufferText}
      />
      <div className="logtab__status" data-testid="log-status" data-state={status.kind}>
        <span>{statusText}</span>
        <span data-testid="log-count" data-count={ring.current.length}>
          {ring.current.length.toLocaleString()} lines in buffer
          {ring.current.dropped > 0 ? ` (${ring.current.dropped.toLocaleString()} older dropped)` : ""}
        </span>
      </div>
      <div
        ref={scroller}
        className={`logtab__scroll${wrap ? " logtab__scroll--wrap" : ""}`}
        data-testid="log-lines"
        tabIndex={0}
        onWheel={(e) => {
          // Scrolling up while following pauses the auto-scroll, as in a terminal.
          if (e.deltaY < 0 && follow) toggleFollow(false);
        }}
      >
        <div style={{ height: virtualizer.getTotalSize(), position: "relative" }}>
          {virtualizer.getVirtualItems().map((item) => {
            const index = rowToRing(item.index);
            const entry = ring.current.at(index);
            return (
              <div
                key={item.key}
                ref={virtualizer.measureElement}
                data-index={item.index}
                className="logtab__row"
                style={{ position: "absolute", top: 0, left: 0, minWidth: "100%", transform: `translateY(${item.start.toString()}px)` }}
              >
                {entry !== undefined && (
                  <Row
                    entry={entry}
                    source={sources.current.get(entry.source)}
                    multi={sources.current.size > 1}
                    showContainer={showContainer}
                    matcher={matcher}
                    isCurrent={index === currentRing}
                    expanded={expanded.has(entry.seq)}
                    onExpand={() => {
                      setExpanded((prev) => new Set(prev).add(entry.seq));
                    }}
                  />
                )}
              </div>
            );
          })}
        </div>
      </div>
    </div>
  );
}

type RowProps = {
  entry: LogEntry;
  source: LogSource | undefined;
  multi: boolean;
  showContainer: boolean;
  matcher: Matcher | null;
  isCurrent: boolean;
  expanded: boolean;
  onExpand: () => void;
};

function Row({ entry, source, multi, showContainer, matcher, isCurrent, expanded, onExpand }: RowProps) {
  const tag =
    source !== undefined && (multi || showContainer) ? (
      <span className="logtab__tag" style={{ color: sourceColor(source.index) }} data-testid="log-tag">
        {sourceTag(source, showContainer)}
      </span>
    ) : null;
  if (entry.kind === "marker") {
    return (
      <div className="logtab__marker" data-testid="log-marker" data-marker={entry.marker.kind}>
        {tag}
        <span>— {markerText(entry.marker)} —</span>
      </div>
    );
  }
  const long = entry.text.length > LONG_LINE && !expanded;
  const text = long ? entry.text.slice(0, LONG_LINE) : entry.text;
  const spans = parseAnsi(text);
  const ranges = matcher !== null ? matcher.ranges(stripAnsi(text)) : [];
  const marked = highlight(spans, ranges);
  return (
    <div className={`logtab__line${isCurrent ? " logtab__line--current" : ""}`} data-testid="log-line" data-pod={source?.pod ?? ""}>
      {tag}
      <span className="logtab__text">
        {marked.map((s, i) =>
          s.match ? (
            <mark key={i} style={css(s.style)} data-testid="log-match">
              {s.text}
            </mark>
          ) : (
            <span key={i} style={css(s.style)}>
              {s.text}
            </span>
          ),
        )}
      </span>
      {long && (
        <button type="button" className="logtab__more" onClick={onExpand}>
          show more ({(entry.text.length - LONG_LINE).toLocaleString()} more characters)
        </button>
      )}
    </div>
  );
}
