/** What the table area says when there is nothing to show, or nothing matches the filter. */
export function EmptyState({ kind, filter = '' }: { kind: 'empty' | 'no-match'; filter?: string }) {
  if (kind === 'no-match') {
    return (
      <div class="empty" data-testid="bgf-empty" role="status">
        <div class="empty-title">No matches for ‘{filter.trim()}’</div>
        <div>
          The filter matches ids, titles, request URLs, origins and errors. Press <kbd>Esc</kbd> in the filter to clear it.
        </div>
      </div>
    );
  }
  return (
    <div class="empty" data-testid="bgf-empty" role="status">
      <div class="empty-title">No background fetches yet</div>
      <div>
        Each <code>backgroundFetch.fetch()</code> on this page shows up here live, with its progress, requests and outcome (rejected calls
        too); fetches started before DevTools opened are picked up automatically.
      </div>
    </div>
  );
}
