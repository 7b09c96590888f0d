/** Warnings from hooks that could not fully instrument their page, as a bar under the toolbar. */
export function Notices({ notices }: { notices: string[] }) {
  if (notices.length === 0) return null;
  return (
    <div class="notices" role="status" data-testid="bgf-notices">
      {notices.map((n) => (
        <div class="notice" key={n}>
          <span class="notice-icon" aria-hidden="true">
            ⚠
          </span>
          <span>{n}</span>
        </div>
      ))}
    </div>
  );
}
