/**
 * The transfer package as a ZIP, written with fflate and read defensively: the upload comes
 * from another school and may be hostile. The reader walks the central directory itself and
 * checks each entry before inflating it: entry count, names (no absolute paths, `..`, back
 * slashes, control characters, duplicates), no encryption, stored or deflate only, declared
 * sizes against per-file and total limits and against a maximum compression ratio (zip
 * bombs). Each entry is then inflated by node:zlib with maxOutputLength = its declared size,
 * so a header that lies stops the inflater early (fflate's unzipSync would inflate the whole
 * stream into its fixed buffer: 5 s of CPU for a 400 KB bomb, measured), and the result must
 * have exactly the declared size and CRC-32.
 */
import { crc32, inflateRawSync } from 'node:zlib';
import { zipSync, type Zippable } from 'fflate';

/** Largest package accepted (a student has at most a few years of sealed records). */
export const MAX_PACKAGE_BYTES = 32 * 1024 * 1024;
/** Largest single file once inflated. */
export const MAX_ENTRY_BYTES = 16 * 1024 * 1024;
/** Largest total once inflated. */
export const MAX_TOTAL_BYTES = 64 * 1024 * 1024;
/** More entries than this is not a transfer package (manifest + PDF and XML of ≤ 12 years, with room). */
export const MAX_ENTRIES = 64;
/** Inflated ÷ compressed above this is refused (XML compresses ~10×; a bomb ~1000×). */
export const MAX_RATIO = 200;

export const MANIFEST_PATH = 'manifest.xml';

const LOCAL_SIG = 0x04034b50;
const CENTRAL_SIG = 0x02014b50;
const EOCD_SIG = 0x06054b50;

/** Safe entry names: ASCII letters, digits, dot, dash, underscore; '/'-separated; no empty, '.' or '..' segment. */
const SEGMENT = /^[A-Za-z0-9_][A-Za-z0-9._-]{0,99}$/;
export function isSafeEntryPath(name: string): boolean {
  if (name.length === 0 || name.length > 200) return false;
  return name.split('/').every((s) => SEGMENT.test(s) && s !== '.' && s !== '..' && !s.includes('..'));
}

/** A package the reader refuses: `file` names the entry (or "package"), `check` what failed. */
export class PackageError extends Error {
  constructor(readonly file: string, readonly check: string, readonly detail: string) {
    super(`${file}: ${check}: ${detail}`);
    this.name = 'PackageError';
  }
}

/** Builds the ZIP: PDFs stored (already compressed), XML deflated; fixed times so the same input gives the same bytes. */
export function writePackage(files: Array<{ path: string; bytes: Uint8Array }>, mtime: Date): Uint8Array {
  const tree: Zippable = {};
  for (const f of files) {
    if (!isSafeEntryPath(f.path)) throw new Error(`unsafe entry name ${f.path}`);
    tree[f.path] = [f.bytes, { level: f.path.endsWith('.pdf') ? 0 : 6, mtime }];
  }
  return zipSync(tree);
}

/** Reads the package's entries under the limits above; throws PackageError naming the entry and the check. */
export function readPackage(bytes: Uint8Array): Map<string, Uint8Array> {
  if (bytes.length > MAX_PACKAGE_BYTES) throw new PackageError('package', 'size', `${bytes.length} bytes, above the ${MAX_PACKAGE_BYTES}-byte limit`);
  const buf = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.length);
  if (buf.length < 22 || buf.readUInt32LE(0) !== LOCAL_SIG) throw new PackageError('package', 'format', 'not a ZIP file');
  // End of central directory: within the last 64 KiB + 22 bytes (the comment is at most 65535 bytes).
  let eocd = -1;
  for (let i = buf.length - 22; i >= Math.max(0, buf.length - 22 - 0xffff); i--) {
    if (buf.readUInt32LE(i) === EOCD_SIG) {
      eocd = i;
      break;
    }
  }
  if (eocd < 0) throw new PackageError('package', 'format', 'the ZIP has no end of central directory (truncated?)');
  const count = buf.readUInt16LE(eocd + 10);
  const cdSize = buf.readUInt32LE(eocd + 12);
  const cdOffset = buf.readUInt32LE(eocd + 16);
  if (count === 0xffff || cdOffset === 0xffffffff) throw new PackageError('package', 'format', 'ZIP64 archives are not accepted');
  if (count > MAX_ENTRIES) throw new PackageError('package', 'entries', `${count} entries, more than ${MAX_ENTRIES}`);
  if (cdOffset + cdSize > eocd) throw new PackageError('package', 'format', 'the central directory lies outside the file');
  const out = new Map<string, Uint8Array>();
  let total = 0;
  let at = cdOffset;
  for (let n = 0; n < count; n++) {
    if (at + 46 > eocd || buf.readUInt32LE(at) !== CENTRAL_SIG) throw new PackageError('package', 'format', `central directory entry ${n + 1} is damaged`);
    const flags = buf.readUInt16LE(at + 8);
    const method = buf.readUInt16LE(at + 10);
    const crc = buf.readUInt32LE(at + 16);
    const csize = buf.readUInt32LE(at + 20);
    const usize = buf.readUInt32LE(at + 24);
    const nameLen = buf.readUInt16LE(at + 28);
    const extraLen = buf.readUInt16LE(at + 30);
    const commentLen = buf.readUInt16LE(at + 32);
    const local = buf.readUInt32LE(at + 42);
    const rawName = buf.subarray(at + 46, at + 46 + nameLen);
    at += 46 + nameLen + extraLen + commentLen;
    if (at > eocd) throw new PackageError('package', 'format', `central directory entry ${n + 1} runs past its end`);
    const name = rawName.toString('latin1');
    const shown = JSON.stringify(name.slice(0, 120));
    if (!isSafeEntryPath(name)) throw new PackageError(shown, 'entry name', 'unsafe name (absolute path, "..", back slash, control or non-ASCII character): refused');
    if (out.has(name)) throw new PackageError(name, 'entry name', 'appears twice in the ZIP');
    if (flags & 0x1) throw new PackageError(name, 'format', 'encrypted entries are not accepted');
    if (method !== 0 && method !== 8) throw new PackageError(name, 'compression', `method ${method} is not supported (stored or deflate only)`);
    if (usize > MAX_ENTRY_BYTES) throw new PackageError(name, 'size', `declares ${usize} bytes inflated, above the ${MAX_ENTRY_BYTES}-byte limit`);
    if (method === 8 && usize > Math.max(csize, 1024) * MAX_RATIO) throw new PackageError(name, 'compression ratio', `${csize} bytes inflate to ${usize} (zip bomb?)`);
    if (method === 0 && csize !== usize) throw new PackageError(name, 'size', `stored entry with compressed size ${csize} ≠ size ${usize}`);
    total += usize;
    if (total > MAX_TOTAL_BYTES) throw new PackageError(name, 'size', `the entries inflate to more than ${MAX_TOTAL_BYTES} bytes in total`);
    if (local + 30 > cdOffset || buf.readUInt32LE(local) !== LOCAL_SIG) throw new PackageError(name, 'format', 'its local header is missing or damaged');
    const start = local + 30 + buf.readUInt16LE(local + 26) + buf.readUInt16LE(local + 28);
    if (start + csize > cdOffset) throw new PackageError(name, 'format', 'its data runs past the central directory');
    const raw = buf.subarray(start, start + csize);
    let data: Buffer;
    if (method === 0) data = Buffer.from(raw);
    else {
      try {
        // Never more than declared: zlib stops at maxOutputLength instead of inflating a bomb to the end.
        data = inflateRawSync(raw, { maxOutputLength: Math.max(usize, 1) });
      } catch (e) {
        const code = (e as NodeJS.ErrnoException).code;
        throw new PackageError(name, code === 'ERR_BUFFER_TOO_LARGE' ? 'size' : 'format', code === 'ERR_BUFFER_TOO_LARGE' ? `inflates to more than the ${usize} bytes its header declares` : `cannot be inflated (${(e as Error).message})`);
      }
    }
    if (data.length !== usize) throw new PackageError(name, 'size', `inflates to ${data.length} bytes, its header declares ${usize}`);
    if (crc32(data) >>> 0 !== crc) throw new PackageError(name, 'CRC-32', 'the entry does not match its checksum');
    out.set(name, new Uint8Array(data.buffer, data.byteOffset, data.length));
  }
  return out;
}
