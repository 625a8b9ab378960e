/**
 * Bounded memoisation of pure, expensive functions of DER bytes (certificate parsing, signature
 * checks over certificates and OCSP responses). Validating a sealed record looks at the same few
 * certificates and responses fifteen times over, and a school seals thousands of records: the
 * answers never change for the same bytes, so they are computed once per process. Keys are
 * SHA-256 digests of the inputs, never the bytes themselves; the least recently used entry is
 * dropped past `max`.
 */
import { createHash } from 'node:crypto';

/** A short, collision-resistant key for some byte strings (and plain strings). */
export function digestKey(...parts: (Uint8Array | string | undefined)[]): string {
  const h = createHash('sha256');
  for (const p of parts) {
    if (p === undefined) h.update('\u0000u');
    else if (typeof p === 'string') h.update(`\u0000s${p.length}:`).update(p);
    else h.update(`\u0000b${p.length}:`).update(p);
  }
  return h.digest('base64');
}

export interface Memo<V> {
  get(key: string, compute: () => V): V;
  clear(): void;
  readonly size: number;
}

/** A least-recently-used map of at most `max` entries. */
export function memo<V>(max: number): Memo<V> {
  const entries = new Map<string, V>();
  return {
    get(key, compute) {
      if (entries.has(key)) {
        const v = entries.get(key) as V;
        entries.delete(key);
        entries.set(key, v);
        return v;
      }
      const v = compute();
      entries.set(key, v);
      if (entries.size > max) entries.delete(entries.keys().next().value as string);
      return v;
    },
    clear: () => entries.clear(),
    get size() {
      return entries.size;
    },
  };
}
