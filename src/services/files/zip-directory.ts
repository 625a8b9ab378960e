/**
 * Reads the central directory of a ZIP archive (an XLSX is one) without unpacking it, so
 * that an upload can be checked before the spreadsheet library inflates it: a truncated
 * upload has no end-of-directory record, a Word or LibreOffice file has no "xl/" part,
 * and a "zip bomb" declares far more unpacked bytes than any student list needs.
 * Handles ZIP64 records. Declared sizes are what the archive claims; the limit they feed
 * is a cheap first guard, not a guarantee.
 */

/** One archive member as the central directory declares it. */
export interface ZipEntry {
  name: string;
  compressedSize: number;
  uncompressedSize: number;
}

const EOCD_SIGNATURE = 0x06054b50;
const ZIP64_LOCATOR_SIGNATURE = 0x07064b50;
const ZIP64_EOCD_SIGNATURE = 0x06064b50;
const CENTRAL_ENTRY_SIGNATURE = 0x02014b50;
const EOCD_MIN_LENGTH = 22;
const MAX_COMMENT_LENGTH = 0xffff;
const SATURATED_16 = 0xffff;
const SATURATED_32 = 0xffffffff;

/** The archive's members, or null when the bytes are not a complete, readable ZIP archive. */
export function readZipDirectory(zip: Buffer): ZipEntry[] | null {
  const eocd = findEndOfDirectory(zip);
  if (eocd < 0) return null;
  let count = zip.readUInt16LE(eocd + 10);
  let size = zip.readUInt32LE(eocd + 12);
  let offset = zip.readUInt32LE(eocd + 16);
  if (count === SATURATED_16 || size === SATURATED_32 || offset === SATURATED_32) {
    const zip64 = readZip64End(zip, eocd);
    if (!zip64) return null;
    ({ count, size, offset } = zip64);
  }
  if (offset + size > zip.length) return null;
  const entries: ZipEntry[] = [];
  let p = offset;
  for (let i = 0; i < count; i++) {
    if (p + 46 > zip.length || zip.readUInt32LE(p) !== CENTRAL_ENTRY_SIGNATURE) return null;
    let compressedSize = zip.readUInt32LE(p + 20);
    let uncompressedSize = zip.readUInt32LE(p + 24);
    const nameLength = zip.readUInt16LE(p + 28);
    const extraLength = zip.readUInt16LE(p + 30);
    const commentLength = zip.readUInt16LE(p + 32);
    const end = p + 46 + nameLength + extraLength + commentLength;
    if (end > zip.length) return null;
    const name = zip.toString('utf8', p + 46, p + 46 + nameLength);
    if (uncompressedSize === SATURATED_32 || compressedSize === SATURATED_32) {
      const sizes = readZip64Sizes(zip.subarray(p + 46 + nameLength, p + 46 + nameLength + extraLength), uncompressedSize, compressedSize);
      if (!sizes) return null;
      ({ uncompressedSize, compressedSize } = sizes);
    }
    entries.push({ name, compressedSize, uncompressedSize });
    p = end;
  }
  return entries;
}

function findEndOfDirectory(zip: Buffer): number {
  const last = zip.length - EOCD_MIN_LENGTH;
  const first = Math.max(0, last - MAX_COMMENT_LENGTH);
  for (let p = last; p >= first; p--) {
    if (zip.readUInt32LE(p) === EOCD_SIGNATURE && p + EOCD_MIN_LENGTH + zip.readUInt16LE(p + 20) <= zip.length) return p;
  }
  return -1;
}

function readZip64End(zip: Buffer, eocd: number): { count: number; size: number; offset: number } | null {
  const locator = eocd - 20;
  if (locator < 0 || zip.readUInt32LE(locator) !== ZIP64_LOCATOR_SIGNATURE) return null;
  const record = safeNumber(zip.readBigUInt64LE(locator + 8));
  if (record === null || record + 56 > zip.length || zip.readUInt32LE(record) !== ZIP64_EOCD_SIGNATURE) return null;
  const count = safeNumber(zip.readBigUInt64LE(record + 32));
  const size = safeNumber(zip.readBigUInt64LE(record + 40));
  const offset = safeNumber(zip.readBigUInt64LE(record + 48));
  if (count === null || size === null || offset === null) return null;
  return { count, size, offset };
}

// The ZIP64 extra field (id 0x0001) holds, in order, only the sizes that were saturated.
function readZip64Sizes(extra: Buffer, uncompressed: number, compressed: number): { uncompressedSize: number; compressedSize: number } | null {
  let p = 0;
  while (p + 4 <= extra.length) {
    const id = extra.readUInt16LE(p);
    const length = extra.readUInt16LE(p + 2);
    if (id === 0x0001) {
      let q = p + 4;
      let uncompressedSize = uncompressed;
      let compressedSize = compressed;
      if (uncompressed === SATURATED_32) {
        if (q + 8 > extra.length) return null;
        uncompressedSize = safeNumber(extra.readBigUInt64LE(q)) ?? Number.POSITIVE_INFINITY;
        q += 8;
      }
      if (compressed === SATURATED_32) {
        if (q + 8 > extra.length) return null;
        compressedSize = safeNumber(extra.readBigUInt64LE(q)) ?? Number.POSITIVE_INFINITY;
      }
      return { uncompressedSize, compressedSize };
    }
    p += 4 + length;
  }
  return null;
}

function safeNumber(n: bigint): number | null {
  return n <= BigInt(Number.MAX_SAFE_INTEGER) ? Number(n) : null;
}
