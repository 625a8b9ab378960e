/**
 * Reads a backup file chunk by chunk: checks the preamble and the key, authenticates and
 * decrypts every chunk, unzips it, hands each content line to the caller, and at the end
 * checks the final flag, the manifest's tag, the content's SHA-256 and length. Any
 * mismatch throws a BackupError naming what is wrong; the caller decides what a line means.
 */
import { open, type FileHandle } from 'node:fs/promises';
import { createHash } from 'node:crypto';
import { gunzipSync } from 'node:zlib';
import { BackupError } from './backup-error.ts';
import { deriveKeys, END_MAGIC, keyCheckOf, MAGIC, openManifest, MAX_META_BYTES, openChunk, parsePreamble, sha256, tagsEqual, TAG_BYTES, type KeySource, type Manifest, type Preamble } from './backup-format.ts';

/** A content line longer than this is refused (a row with a 64 MiB PDF in hex stays below). */
const MAX_LINE_BYTES = 512 << 20;

export interface OpenedBackup {
  preamble: Preamble;
  size: number;
}

async function readExactly(fh: FileHandle, pos: number, len: number, file: string, what: string, size: number): Promise<Buffer> {
  if (pos + len > size) throw new BackupError('backup.truncated', `${file} bị cắt cụt: thiếu dữ liệu ở ${what} (byte ${pos}) / ${file} is truncated: ${what} at byte ${pos} is missing — not a complete backup`);
  const b = Buffer.alloc(len);
  let got = 0;
  while (got < len) {
    const { bytesRead } = await fh.read(b, got, len - got, pos + got);
    if (bytesRead === 0) throw new BackupError('backup.truncated', `${file} bị cắt cụt ở byte ${pos + got} / ${file} is truncated at byte ${pos + got}`);
    got += bytesRead;
  }
  return b;
}

/** Reads only the preamble (no key needed). */
export async function readPreamble(file: string): Promise<OpenedBackup> {
  let fh: FileHandle;
  try {
    fh = await open(file, 'r');
  } catch (err) {
    const e = err as NodeJS.ErrnoException;
    throw new BackupError('backup.not_a_backup', e.code === 'ENOENT' ? `không có tệp / no such file: ${file}` : `không mở được / cannot open ${file}: ${e.code ?? e.message}`);
  }
  try {
    const size = (await fh.stat()).size;
    return { preamble: (await head(fh, file, size)).preamble, size };
  } finally {
    await fh.close();
  }
}

async function head(fh: FileHandle, file: string, size: number): Promise<{ preamble: Preamble; end: number; hash: Buffer }> {
  if (size < MAGIC.length + 4) throw new BackupError(size === 0 ? 'backup.truncated' : 'backup.not_a_backup', `${file} ${size === 0 ? 'rỗng / is empty' : 'không phải bản sao lưu hocba / is not a hocba backup'}`);
  const start = await readExactly(fh, 0, MAGIC.length + 4, file, 'phần đầu / the header', size);
  if (!start.subarray(0, MAGIC.length).equals(MAGIC)) throw new BackupError('backup.not_a_backup', `${file} không phải bản sao lưu hocba (thiếu dấu HOCBABAK) / ${file} is not a hocba backup (no HOCBABAK magic)`);
  const len = start.readUInt32BE(MAGIC.length);
  if (len > MAX_META_BYTES) throw new BackupError('backup.corrupt', `${file}: phần đầu dài bất thường / header length ${len} is implausible`);
  const json = await readExactly(fh, start.length, len, file, 'phần đầu / the header', size);
  const preamble = parsePreamble(json, file);
  return { preamble, end: start.length + len, hash: sha256(Buffer.concat([start, json])) };
}

/**
 * Verifies the whole file and calls onLine for every content line (without its newline),
 * in order. Throws before the first line when the key is wrong, and during the scan at the
 * first damaged chunk; returns the authenticated manifest only when everything matched.
 */
export async function scanBackup(file: string, key: KeySource, onLine: (line: Buffer) => Promise<void> | void): Promise<{ preamble: Preamble; manifest: Manifest }> {
  let fh: FileHandle;
  try {
    fh = await open(file, 'r');
  } catch (err) {
    const e = err as NodeJS.ErrnoException;
    throw new BackupError('backup.not_a_backup', e.code === 'ENOENT' ? `không có tệp / no such file: ${file}` : `không mở được / cannot open ${file}: ${e.code ?? e.message}`);
  }
  try {
    const size = (await fh.stat()).size;
    const { preamble, end, hash: preambleHash } = await head(fh, file, size);
    const keys = await deriveKeys(key, preamble.kdf);
    if (!tagsEqual(Buffer.from(keyCheckOf(keys), 'hex'), Buffer.from(preamble.keyCheck, 'hex'))) {
      throw new BackupError('backup.wrong_key', `sai cụm mật khẩu hoặc tệp khoá cho ${file}; chưa ghi gì / wrong passphrase or key file for ${file}; nothing was written`);
    }
    const prefix = Buffer.from(preamble.noncePrefix, 'base64');
    const content = createHash('sha256');
    let contentBytes = 0;
    let pos = end;
    let index = 0;
    let carry: Buffer[] = [];
    let carryLen = 0;
    const maxBody = preamble.chunkSize + (preamble.chunkSize >> 3) + 1024; // gzip of incompressible data grows a little
    for (;;) {
      const lenBuf = await readExactly(fh, pos, 4, file, `khối #${index} / chunk #${index}`, size);
      const len = lenBuf.readUInt32BE(0);
      if (len > maxBody) throw new BackupError('backup.corrupt', `${file}: khối #${index} có độ dài bất thường (${len}) / chunk #${index} has an implausible length (${len})`);
      const body = await readExactly(fh, pos + 4, len + TAG_BYTES, file, `khối #${index} / chunk #${index}`, size);
      pos += 4 + len + TAG_BYTES;
      // The last chunk is the one the manifest follows (its AAD carries the final flag).
      const isLast = await looksLikeManifest(fh, pos, size);
      const packed = openChunk(keys, prefix, preambleHash, index, isLast, body.subarray(0, len), body.subarray(len));
      let plain: Buffer;
      try {
        plain = gunzipSync(packed, { maxOutputLength: preamble.chunkSize });
      } catch {
        throw new BackupError('backup.corrupt', `${file}: khối #${index} không giải nén được / chunk #${index} cannot be decompressed`);
      }
      content.update(plain);
      contentBytes += plain.length;
      let from = 0;
      for (let nl = plain.indexOf(10, from); nl >= 0; nl = plain.indexOf(10, from)) {
        const piece = plain.subarray(from, nl);
        const line = carryLen ? Buffer.concat([...carry, piece]) : piece;
        carry = [];
        carryLen = 0;
        await onLine(line);
        from = nl + 1;
      }
      if (from < plain.length) {
        carry.push(plain.subarray(from));
        carryLen += plain.length - from;
        if (carryLen > MAX_LINE_BYTES) throw new BackupError('backup.corrupt', `${file}: một dòng dữ liệu dài quá ${MAX_LINE_BYTES} byte / a content line exceeds ${MAX_LINE_BYTES} bytes`);
      }
      index++;
      if (isLast) break;
    }
    if (carryLen) throw new BackupError('backup.corrupt', `${file}: nội dung kết thúc giữa dòng / the content ends in the middle of a line`);
    const mlenBuf = await readExactly(fh, pos, 4, file, 'bản kê / the manifest', size);
    const mlen = mlenBuf.readUInt32BE(0);
    if (mlen > MAX_META_BYTES) throw new BackupError('backup.corrupt', `${file}: bản kê dài bất thường / manifest length ${mlen} is implausible`);
    const mjson = await readExactly(fh, pos + 4, mlen, file, 'bản kê / the manifest', size);
    const mtag = await readExactly(fh, pos + 4 + mlen, TAG_BYTES, file, 'bản kê / the manifest', size);
    const mplain = openManifest(keys, prefix, preambleHash, mjson, mtag);
    const endMagic = await readExactly(fh, pos + 4 + mlen + TAG_BYTES, END_MAGIC.length, file, 'dấu kết thúc / the end marker', size);
    if (!endMagic.equals(END_MAGIC)) throw new BackupError('backup.corrupt', `${file}: thiếu dấu kết thúc HOCBAEND / the HOCBAEND end marker is missing`);
    const total = pos + 4 + mlen + TAG_BYTES + END_MAGIC.length;
    if (total !== size) throw new BackupError('backup.corrupt', `${file}: có ${size - total} byte thừa sau dấu kết thúc / ${size - total} unexpected bytes after the end marker`);
    const manifest = JSON.parse(mplain.toString('utf8')) as Manifest;
    const digest = content.digest('hex');
    if (manifest.contentSha256 !== digest || manifest.contentBytes !== contentBytes || manifest.chunks !== index) {
      throw new BackupError('backup.corrupt', `${file}: nội dung không khớp bản kê (SHA-256 ${digest.slice(0, 16)}… ≠ ${String(manifest.contentSha256).slice(0, 16)}…, ${contentBytes} ≠ ${manifest.contentBytes} byte, ${index} ≠ ${manifest.chunks} khối) / the content does not match the manifest`);
    }
    return { preamble, manifest };
  } finally {
    await fh.close();
  }
}

/**
 * Whether the bytes at pos are the manifest rather than another chunk: the manifest is
 * followed by its tag and the end magic exactly at the end of the file. (A forged answer
 * here only changes the AAD's final flag, which then fails authentication.)
 */
async function looksLikeManifest(fh: FileHandle, pos: number, size: number): Promise<boolean> {
  if (pos + 4 > size) return false;
  const b = Buffer.alloc(4);
  await fh.read(b, 0, 4, pos);
  const mlen = b.readUInt32BE(0);
  return pos + 4 + mlen + TAG_BYTES + END_MAGIC.length === size;
}
