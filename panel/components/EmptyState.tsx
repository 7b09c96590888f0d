export function EmptyState({ kind, filter }: { kind: 'empty' | 'no-match'; filter?: string }) {
  if (kind === 'no-match') {
    return (
      <div class="empty">
        <div class="empty-title">No matches for ‘{filter}’</div>
        <div>Press Esc in the filter to show every registration.</div>
      </div>
    );
  }
  return (
    <div class="empty">
      <div class="empty-title">No background fetches yet</div>
      <div>
        Registrations of this page's origin appear here live as <code>backgroundFetch.fetch()</code> runs, with their
        progress, requests and outcome. Fetches started before DevTools opened, by the service worker, or by an earlier
        page load are picked up automatically.
      </div>
    </div>
  );
}
