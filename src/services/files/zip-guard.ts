/**
 * Refuses ZIP containers (XLSX) that would expand to far more than they weigh — a
 * "decompression bomb" uploaded as a spreadsheet — from the central directory's declared
 * sizes (zip-directory.ts), before any XML is inflated.
 */
import { readZipDirectory } from './zip-directory.ts';

export const MAX_UNCOMPRESSED_BYTES = 64 * 1024 * 1024;
export const MAX_ZIP_ENTRIES = 2000;

export type ZipCheck = { ok: true; entries: number; uncompressed: number } | { ok: false; reason: 'not_zip' | 'too_large' | 'too_many_entries' };

export function checkZip(buf: Buffer, limits = { maxBytes: MAX_UNCOMPRESSED_BYTES, maxEntries: MAX_ZIP_ENTRIES }): ZipCheck {
  const entries = readZipDirectory(buf);
  if (!entries) return { ok: false, reason: 'not_zip' };
  if (entries.length > limits.maxEntries) return { ok: false, reason: 'too_many_entries' };
  const uncompressed = entries.reduce((n, e) => n + e.uncompressedSize, 0);
  if (uncompressed > limits.maxBytes) return { ok: false, reason: 'too_large' };
  return { ok: true, entries: entries.length, uncompressed };
}
