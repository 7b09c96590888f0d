/**
 * The registrations, one row each, virtualized so 10,000 rows stay smooth:
 * only the rows on screen (plus an overscan) are in the DOM, each absolutely
 * placed in a spacer as tall as all rows, under a sticky header.
 */
import { Component, type RefObject } from 'preact';
import { useLayoutEffect, useRef, useState } from 'preact/hooks';
import { formatClock, formatDuration } from '../format';
import { rowStatus } from '../state/select';
import type { Row, SessionState } from '../state/types';
import { keyboardMove, rowSlots, scrollToReveal, visibleRange } from '../virtual';
import { Progress } from './Progress';
import { LOST_EXPLANATION, StatusCell } from './StatusCell';

export const ROW_HEIGHT = 21;
/** The sticky header scrolls with the rows, so it takes room at their top. */
const HEADER_HEIGHT = 21;

const COLUMNS = ['Status', 'ID', 'Title', 'Progress', 'Requests', 'Scope', 'Origin', 'Started', 'Duration'] as const;
const COLUMN_CLASS: Record<(typeof COLUMNS)[number], string> = {
  Status: 'c-status',
  ID: 'c-id',
  Title: 'c-title',
  Progress: 'c-progress',
  Requests: 'c-num',
  Scope: 'c-scope',
  Origin: 'c-origin',
  Started: 'c-time',
  Duration: 'c-num',
};

interface Props {
  rows: Row[];
  selected: string | null;
  onSelect(rowKey: string | null): void;
  sessions: Map<string, SessionState>;
  /** Wall clock for the durations of running rows (0 when nothing runs). */
  now: number;
  /** The focusable, scrolling element, so the app can move focus to it. */
  viewportRef?: RefObject<HTMLDivElement | null>;
}

export function RegistrationTable({ rows, selected, onSelect, sessions, now, viewportRef }: Props) {
  const ownRef = useRef<HTMLDivElement>(null);
  const viewport = viewportRef ?? ownRef;
  const [scrollTop, setScrollTop] = useState(0);
  const [height, setHeight] = useState(400);
  const bodyHeight = Math.max(0, height - HEADER_HEIGHT);

  useLayoutEffect(() => {
    const el = viewport.current;
    if (!el) return;
    const observer = new ResizeObserver(() => setHeight(el.clientHeight));
    observer.observe(el);
    setHeight(el.clientHeight);
    setScrollTop(el.scrollTop);
    return () => observer.disconnect();
  }, [viewport]);

  const index = selected ? rows.findIndex((r) => r.rowKey === selected) : -1;

  // Keep the selected row on screen when it moves (keyboard, filter, new rows).
  useLayoutEffect(() => {
    const el = viewport.current;
    if (!el || index < 0) return;
    const top = scrollToReveal(index, el.scrollTop, el.clientHeight - HEADER_HEIGHT, ROW_HEIGHT);
    if (top !== null) {
      el.scrollTop = top;
      setScrollTop(el.scrollTop);
    }
  }, [index, selected]);

  const onKeyDown = (e: KeyboardEvent) => {
    if (e.altKey || e.ctrlKey || e.metaKey) return;
    if (e.key === 'Escape') {
      if (selected) {
        e.preventDefault();
        onSelect(null);
      }
      return;
    }
    const next = keyboardMove(e.key, index, rows.length, Math.max(1, Math.floor(bodyHeight / ROW_HEIGHT) - 1));
    if (next === null) return;
    e.preventDefault();
    onSelect(rows[next]!.rowKey);
  };

  const range = visibleRange(scrollTop, bodyHeight, ROW_HEIGHT, rows.length);
  // Keyed by slot, not by row: a row scrolled or filtered into view takes over
  // the element of one that left, which costs a text update instead of new
  // elements (half the frame when every row changes at once).
  const slots = rowSlots(bodyHeight, ROW_HEIGHT);
  const shown: preact.JSX.Element[] = [];
  for (let i = range.start; i < range.end; i++) {
    const row = rows[i]!;
    shown.push(
      <TableRow
        key={i % slots}
        row={row}
        index={i}
        selected={row.rowKey === selected}
        onSelect={onSelect}
        iframe={sessions.get(row.source.session)?.info?.isTop === false}
        now={now}
      />,
    );
  }
  return (
    <div
      class="table"
      ref={viewport}
      role="grid"
      aria-label="Background fetch registrations"
      aria-rowcount={rows.length + 1}
      aria-activedescendant={index >= 0 ? rowDomId(selected!) : undefined}
      tabIndex={0}
      onScroll={(e) => setScrollTop((e.currentTarget as HTMLDivElement).scrollTop)}
      onKeyDown={onKeyDown}
    >
      <div class="thead" role="row" aria-rowindex={1}>
        {COLUMNS.map((c) => (
          <span role="columnheader" class={COLUMN_CLASS[c]} key={c}>
            {c}
          </span>
        ))}
      </div>
      <div class="rows" role="rowgroup" style={{ height: `${rows.length * ROW_HEIGHT}px` }}>
        {shown}
      </div>
    </div>
  );
}

function rowDomId(rowKey: string): string {
  return `bgf-row-${rowKey}`;
}

interface RowProps {
  row: Row;
  index: number;
  selected: boolean;
  onSelect(rowKey: string): void;
  iframe: boolean;
  now: number;
}

/**
 * One row. Rows are replaced (never mutated) by the reducer, so a row whose
 * object, place and selection did not change is not re-rendered; running
 * rows also follow the clock for their duration.
 */
class TableRow extends Component<RowProps> {
  override shouldComponentUpdate(next: RowProps): boolean {
    const p = this.props;
    return (
      next.row !== p.row ||
      next.index !== p.index ||
      next.selected !== p.selected ||
      next.iframe !== p.iframe ||
      next.onSelect !== p.onSelect ||
      (next.now !== p.now && rowStatus(next.row) === 'running')
    );
  }

  override render({ row, index, selected, onSelect, iframe, now }: RowProps) {
    const status = rowStatus(row);
    const d = row.data;
    const reg = row.kind === 'registration' ? row.data : null;
    const started = reg ? (reg.calledAt ?? reg.seenAt) : d.calledAt;
    const end = reg ? (reg.settledAt ?? (status === 'running' && now > 0 ? Math.max(now, started ?? now) : null)) : null;
    const notes: string[] = [];
    if (row.lost) notes.push(LOST_EXPLANATION);
    if (row.previousPage) notes.push('From a previous page of this tab, kept by “Preserve log”.');
    return (
      <div
        id={rowDomId(row.rowKey)}
        role="row"
        aria-rowindex={index + 2}
        aria-selected={selected}
        class={`tr ${index % 2 ? 'odd' : ''} ${selected ? 'selected' : ''} ${row.previousPage ? 'previous' : ''} ${status}`}
        style={{ transform: `translateY(${index * ROW_HEIGHT}px)` }}
        title={notes.length ? notes.join('\n') : undefined}
        onClick={(e) => {
          onSelect(row.rowKey);
          // Arrow keys work right after a click, also for scripted clicks.
          (e.currentTarget.closest('[role="grid"]') as HTMLElement | null)?.focus({ preventScroll: true });
        }}
        data-testid="bgf-row"
        data-id={d.id}
        data-status={status}
        data-failure-reason={reg?.failureReason ?? ''}
        data-downloaded={reg?.downloaded ?? 0}
        data-imported={row.imported ? 'true' : undefined}
      >
        <span role="gridcell" class="c-status">
          <StatusCell row={row} />
        </span>
        <span role="gridcell" class="c-id" title={d.id}>
          {row.imported && <span class="badge" title={`Imported from ${row.imported.file}: read-only`}>imported</span>}
          {d.id}
        </span>
        <span role="gridcell" class="c-title" title={d.options.title || undefined}>
          {d.options.title}
        </span>
        <span role="gridcell" class="c-progress">
          {reg ? (
            <Progress data={reg} running={status === 'running'} />
          ) : (
            <span class="error-text" title={`${row.kind === 'rejection' ? row.data.error.name : ''}: ${row.kind === 'rejection' ? row.data.error.message : ''}`}>
              {row.kind === 'rejection' ? row.data.error.message : ''}
            </span>
          )}
        </span>
        <span role="gridcell" class="c-num">
          {d.requestCount}
        </span>
        <span role="gridcell" class="c-scope" title={d.scope}>
          {scopePath(d.scope, row.source.origin)}
        </span>
        <span role="gridcell" class="c-origin" title={`${row.source.origin}\nframe: ${row.source.frameUrl}`}>
          {iframe && <span class="badge">iframe</span>}
          {row.source.origin}
        </span>
        <span role="gridcell" class="c-time">
          {started !== null ? formatClock(started) : ''}
        </span>
        <span role="gridcell" class="c-num">
          {started !== null && end !== null ? formatDuration(end - started) : ''}
        </span>
      </div>
    );
  }
}

/** The scope relative to the row's origin when it is on that origin ("/" for the root). */
export function scopePath(scope: string, origin: string): string {
  return origin && scope.startsWith(origin + '/') ? scope.slice(origin.length) : scope;
}
