/**
 * Refuses ZIP containers (XLSX) that would expand to far more than they weigh — a
 * "decompression bomb" uploaded as a spreadsheet — by reading the central directory's
 * declared sizes before any XML is inflated. A file whose directory cannot be read is
 * refused too: every real XLSX has one.
 */
export const MAX_UNCOMPRESSED_BYTES = 64 * 1024 * 1024;
export const MAX_ZIP_ENTRIES = 2000;

export type ZipCheck = { ok: true; entries: number; uncompressed: number } | { ok: false; reason: 'not_zip' | 'too_large' | 'too_many_entries' };

export function checkZip(buf: Buffer, limits = { maxBytes: MAX_UNCOMPRESSED_BYTES, maxEntries: MAX_ZIP_ENTRIES }): ZipCheck {
  // End of central directory: signature 0x06054b50, within the last 64 KiB + 22 bytes.
  const from = Math.max(0, buf.length - 65_557);
  let eocd = -1;
  for (let i = buf.length - 22; i >= from; i--) {
    if (buf.readUInt32LE(i) === 0x06054b50) {
      eocd = i;
      break;
    }
  }
  if (eocd < 0) return { ok: false, reason: 'not_zip' };
  const entries = buf.readUInt16LE(eocd + 10);
  const dirOffset = buf.readUInt32LE(eocd + 16);
  if (entries === 0xffff || dirOffset === 0xffffffff) return { ok: false, reason: 'too_large' }; // ZIP64: never a school's sheet
  if (entries > limits.maxEntries) return { ok: false, reason: 'too_many_entries' };
  let p = dirOffset;
  let total = 0;
  for (let n = 0; n < entries; n++) {
    if (p + 46 > buf.length || buf.readUInt32LE(p) !== 0x02014b50) return { ok: false, reason: 'not_zip' };
    const size = buf.readUInt32LE(p + 24);
    if (size === 0xffffffff) return { ok: false, reason: 'too_large' };
    total += size;
    if (total > limits.maxBytes) return { ok: false, reason: 'too_large' };
    p += 46 + buf.readUInt16LE(p + 28) + buf.readUInt16LE(p + 30) + buf.readUInt16LE(p + 32);
  }
  return { ok: true, entries, uncompressed: total };
}
