/**
 * Reading an HTTP response body with a hard size cap. `await res.arrayBuffer()` buffers
 * whatever a hostile or broken server sends (a chunked body has no Content-Length to check
 * first), so signing services, TSAs and OCSP/CRL endpoints are read through this instead.
 */

/** Thrown when the body exceeds the cap; the caller turns it into its own SigningError. */
export class BodyTooLargeError extends Error {
  constructor(readonly limit: number) {
    super(`response body larger than ${limit} bytes`);
    this.name = 'BodyTooLargeError';
  }
}

/**
 * Reads at most `maxBytes` of the body, cancelling the stream as soon as it is exceeded (or
 * the declared Content-Length already exceeds it). Read errors, including an abort of the
 * request's signal while the body drips in, propagate unchanged.
 */
export async function readBodyCapped(res: Response, maxBytes: number): Promise<Uint8Array> {
  const declared = Number(res.headers.get('content-length') ?? NaN);
  if (Number.isFinite(declared) && declared > maxBytes) {
    await res.body?.cancel().catch(() => undefined);
    throw new BodyTooLargeError(maxBytes);
  }
  if (!res.body) return new Uint8Array(0);
  const reader = res.body.getReader();
  const chunks: Uint8Array[] = [];
  let total = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    total += value.byteLength;
    if (total > maxBytes) {
      await reader.cancel().catch(() => undefined);
      throw new BodyTooLargeError(maxBytes);
    }
    chunks.push(value);
  }
  const out = new Uint8Array(total);
  let at = 0;
  for (const c of chunks) {
    out.set(c, at);
    at += c.byteLength;
  }
  return out;
}
