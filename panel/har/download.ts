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

/** Bytes encoded per chunk handed to the Blob's stream. */
const CHUNK_BYTES = 256 * 1024;
/** Characters of written text encoded at a time. */
const BATCH_CHARS = 64 * 1024;

/**
 * Gathers written text into a Blob. Text is encoded, a batch at a time, into
 * byte chunks that stream into `Response.blob()`, so a 100 MB export never
 * sits in the panel's heap as strings (their garbage collection froze the
 * panel) and never costs one long encode. Measured in Chromium for 100 MB,
 * main thread time: `new Blob()` of the text 1.9 s in one task, of 256 KB
 * byte chunks 1.1 s; this stream 0.4 s in short tasks.
 */
export function blobWriter(type = 'application/json'): { write(text: string): void; blob(): Promise<Blob> } {
  const encoder = new TextEncoder();
  let controller!: ReadableStreamDefaultController<Uint8Array>;
  const done = new Response(new ReadableStream<Uint8Array>({ start: (c) => void (controller = c) }), { headers: { 'content-type': type } }).blob();
  let chunk = new Uint8Array(CHUNK_BYTES);
  let used = 0;
  // Pieces are joined before encoding: one encodeInto() per ~1 KB piece cost
  // more than the JSON it encoded (0.8 s of 2 s for 100,000 entries).
  let pending: string[] = [];
  let pendingChars = 0;
  const flush = () => {
    if (!used) return;
    controller.enqueue(chunk.subarray(0, used));
    chunk = new Uint8Array(CHUNK_BYTES);
    used = 0;
  };
  const encodePending = () => {
    let rest = pending.join('');
    pending = [];
    pendingChars = 0;
    for (;;) {
      const { read, written } = encoder.encodeInto(rest, chunk.subarray(used));
      used += written;
      if (read === rest.length) return;
      // The chunk is full; encodeInto never splits a character across chunks.
      rest = rest.slice(read);
      flush();
    }
  };
  return {
    write(text) {
      pending.push(text);
      pendingChars += text.length;
      if (pendingChars >= BATCH_CHARS) encodePending();
    },
    blob() {
      encodePending();
      flush();
      controller.close();
      return done;
    },
  };
}

/** Saves a Blob as a download (the browser's download manager asks where, or saves). */
export function saveBlob(name: string, blob: Blob): void {
  const url = URL.createObjectURL(blob);
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
