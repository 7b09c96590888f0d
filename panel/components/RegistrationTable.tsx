/** The registrations, one row each, virtualized so 10,000 rows stay smooth. */
import { useEffect, useLayoutEffect, useRef, useState } from 'preact/hooks';
import { formatClock, formatDuration } from '../format';
import { rowStatus } from '../state/select';
import type { Row, SessionState } from '../state/types';
import { scrollToReveal, visibleRange } from '../virtual';
import { Progress } from './Progress';
import { StatusCell } from './StatusCell';

export const ROW_HEIGHT = 21;

interface Props {
  rows: Row[];
  selected: string | null;
  onSelect(rowKey: string | null): void;
  sessions: Map<string, SessionState>;
}

export function RegistrationTable({ rows, selected, onSelect, sessions }: Props) {
  const viewport = useRef<HTMLDivElement>(null);
  const [scrollTop, setScrollTop] = useState(0);
  const [height, setHeight] = useState(400);

  useLayoutEffect(() => {
    const el = viewport.current;
    if (!el) return;
    const observer = new ResizeObserver(() => setHeight(el.clientHeight));
    observer.observe(el);
    setHeight(el.clientHeight);
    return () => observer.disconnect();
  }, []);

  const index = selected ? rows.findIndex((r) => r.rowKey === selected) : -1;
  useEffect(() => {
    const el = viewport.current;
    if (!el || index < 0) return;
    const top = scrollToReveal(index, el.scrollTop, el.clientHeight, ROW_HEIGHT);
    if (top !== null) el.scrollTop = top;
  }, [index]);

  const onKeyDown = (e: KeyboardEvent) => {
    if (!rows.length) return;
    const page = Math.max(1, Math.floor(height / ROW_HEIGHT) - 1);
    const moves: Record<string, number> = {
      ArrowDown: index + 1,
      ArrowUp: index < 0 ? 0 : index - 1,
      PageDown: index + page,
      PageUp: index - page,
      Home: 0,
      End: rows.length - 1,
    };
    if (e.key === 'Escape') {
      onSelect(null);
      return;
    }
    const next = moves[e.key];
    if (next === undefined) return;
    e.preventDefault();
    onSelect(rows[Math.max(0, Math.min(rows.length - 1, next))]!.rowKey);
  };

  const range = visibleRange(scrollTop, height, ROW_HEIGHT, rows.length);
  const now = Date.now();
  return (
    <div class="table" role="grid" aria-label="Background fetch registrations" aria-rowcount={rows.length}>
      <div class="thead" role="row">
        <span role="columnheader" class="c-status">Status</span>
        <span role="columnheader" class="c-id">ID</span>
        <span role="columnheader" class="c-title">Title</span>
        <span role="columnheader" class="c-progress">Progress</span>
        <span role="columnheader" class="c-num">Requests</span>
        <span role="columnheader" class="c-origin">Origin / scope</span>
        <span role="columnheader" class="c-time">Started</span>
        <span role="columnheader" class="c-num">Duration</span>
      </div>
      <div
        class="tbody"
        ref={viewport}
        tabIndex={0}
        onScroll={(e) => setScrollTop((e.target as HTMLDivElement).scrollTop)}
        onKeyDown={onKeyDown}
      >
        <div style={{ height: `${rows.length * ROW_HEIGHT}px`, position: 'relative' }}>
          {rows.slice(range.start, range.end).map((row, i) => (
            <TableRow
              key={row.rowKey}
              row={row}
              top={(range.start + i) * ROW_HEIGHT}
              selected={row.rowKey === selected}
              onSelect={onSelect}
              iframe={sessions.get(row.source.session)?.info?.isTop === false}
              now={now}
            />
          ))}
        </div>
      </div>
    </div>
  );
}

function TableRow({ row, top, selected, onSelect, iframe, now }: { row: Row; top: number; selected: boolean; onSelect(k: string): void; iframe: boolean; now: number }) {
  const status = rowStatus(row);
  const d = row.data;
  const started = d.calledAt ?? (row.kind === 'registration' ? row.data.seenAt : d.calledAt);
  const end = row.kind === 'registration' ? row.data.settledAt ?? (status === 'running' ? now : null) : null;
  const reg = row.kind === 'registration' ? row.data : null;
  return (
    <div
      role="row"
      aria-selected={selected}
      class={`tr ${selected ? 'selected' : ''} ${row.previousPage ? 'previous' : ''} ${status}`}
      style={{ top: `${top}px` }}
      onClick={() => onSelect(row.rowKey)}
      data-testid="bgf-row"
      data-id={d.id}
      data-status={status}
      data-failure-reason={reg?.failureReason ?? ''}
      data-downloaded={reg?.downloaded ?? 0}
    >
      <span role="gridcell" class="c-status">
        <StatusCell row={row} />
      </span>
      <span role="gridcell" class="c-id" title={d.id}>
        {d.id}
      </span>
      <span role="gridcell" class="c-title" title={d.options.title}>
        {d.options.title}
      </span>
      <span role="gridcell" class="c-progress">
        {reg ? <Progress data={reg} running={status === 'running'} /> : <span class="error-text">{row.kind === 'rejection' ? row.data.error.message : ''}</span>}
      </span>
      <span role="gridcell" class="c-num">
        {d.requestCount}
      </span>
      <span role="gridcell" class="c-origin" title={`${row.source.origin}\nscope: ${d.scope}`}>
        {iframe && <span class="badge">iframe</span>}
        {row.source.origin}
        <span class="muted"> {scopePath(d.scope, row.source.origin)}</span>
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

function scopePath(scope: string, origin: string): string {
  return scope.startsWith(origin) ? scope.slice(origin.length) : scope;
}
