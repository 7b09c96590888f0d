/** Saving an exported HAR from the panel, and naming it. */

/** `<host>-background-fetch-<timestamp>.har`, safe as a file name on every OS. */
export function harFileName(origin: string, at: Date): string {
  let host = '';
  try {
    host = new URL(origin).host;
  } catch {
    /* an opaque or empty origin: fall back below */
  }
  const safeHost = host.replace(/[^A-Za-z0-9.-]+/g, '_') || 'page';
  const stamp = at.toISOString().slice(0, 19).replace(/:/g, '-');
  return `${safeHost}-background-fetch-${stamp}.har`;
}

/** Saves text parts as a download (the browser's download manager asks where, or saves). */
export function saveFile(name: string, parts: BlobPart[], type = 'application/json'): void {
  const url = URL.createObjectURL(new Blob(parts, { type }));
  const a = document.createElement('a');
  a.href = url;
  a.download = name;
  a.style.display = 'none';
  document.body.append(a);
  a.click();
  a.remove();
  // The download has read the blob by the next task in Chromium; a minute is generous for others.
  setTimeout(() => URL.revokeObjectURL(url), 60_000);
}
