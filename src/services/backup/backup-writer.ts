/**
 * Writes a backup file: content lines are gathered into segments, each segment is gzipped
 * and sealed as one AES-256-GCM chunk, and the file only gets its final name (atomic
 * rename) once the manifest is written and synced — a backup killed half-way leaves a
 * `.partial` file that the reader refuses as truncated, never a file that looks complete.
 */
import { closeSync, fsyncSync, openSync, renameSync, unlinkSync, writeSync } from 'node:fs';
import { randomBytes } from 'node:crypto';
import { basename, dirname, join } from 'node:path';
import { constants as zc, gzipSync } from 'node:zlib';
import { createHash, type Hash } from 'node:crypto';
import { CHUNK_SIZE, encodeMeta, END_MAGIC, MAGIC, sealManifest, newPreamble, sealChunk, sha256, type KeySource, type Keys, type Manifest, type Preamble } from './backup-format.ts';

export class BackupWriter {
  readonly tempPath: string;
  private fd: number;
  private keys!: Keys;
  private preamble!: Preamble;
  private preambleHash!: Buffer;
  private prefix!: Buffer;
  private segment: Buffer[] = [];
  private segmentBytes = 0;
  private index = 0;
  private hash: Hash = createHash('sha256');
  private contentBytes = 0;
  private done = false;

  private constructor(readonly path: string) {
    this.tempPath = join(dirname(path), `.${basename(path)}.${randomBytes(4).toString('hex')}.partial`);
    this.fd = openSync(this.tempPath, 'wx', 0o600);
  }

  /** Creates the temporary file next to `path` and writes the preamble. */
  static async open(path: string, key: KeySource, now: Date): Promise<BackupWriter> {
    const { preamble, keys } = await newPreamble(key, now);
    const w = new BackupWriter(path);
    try {
      w.keys = keys;
      w.preamble = preamble;
      w.prefix = Buffer.from(preamble.noncePrefix, 'base64');
      const head = Buffer.concat([MAGIC, encodeMeta(preamble)]);
      w.preambleHash = sha256(head);
      w.put(head);
    } catch (err) {
      w.abort();
      throw err;
    }
    return w;
  }

  private put(b: Buffer): void {
    let off = 0;
    while (off < b.length) off += writeSync(this.fd, b, off, b.length - off);
  }

  private flush(final: boolean): void {
    const plain = this.segment.length === 1 ? this.segment[0]! : Buffer.concat(this.segment);
    this.segment = [];
    this.segmentBytes = 0;
    const packed = gzipSync(plain, { level: zc.Z_DEFAULT_COMPRESSION });
    this.put(sealChunk(this.keys, this.prefix, this.preambleHash, this.index, final, packed));
    this.index++;
  }

  /** Appends content (a whole line or part of one). */
  write(data: Buffer | string): void {
    let b = typeof data === 'string' ? Buffer.from(data, 'utf8') : data;
    this.hash.update(b);
    this.contentBytes += b.length;
    while (this.segmentBytes + b.length >= CHUNK_SIZE) {
      const take = CHUNK_SIZE - this.segmentBytes;
      this.segment.push(b.subarray(0, take));
      this.segmentBytes += take;
      b = b.subarray(take);
      this.flush(false);
    }
    if (b.length) {
      this.segment.push(b);
      this.segmentBytes += b.length;
    }
  }

  /** Seals the last chunk, writes the manifest, syncs and renames to the final name. */
  finish(manifest: Omit<Manifest, 'contentSha256' | 'contentBytes' | 'chunks'>): Manifest {
    this.flush(true);
    const full: Manifest = { ...manifest, contentSha256: this.hash.digest('hex'), contentBytes: this.contentBytes, chunks: this.index };
    const sealed = sealManifest(this.keys, this.prefix, this.preambleHash, Buffer.from(JSON.stringify(full), 'utf8'));
    const len = Buffer.alloc(4);
    len.writeUInt32BE(sealed.length - 16);
    this.put(len);
    this.put(sealed);
    this.put(END_MAGIC);
    fsyncSync(this.fd);
    closeSync(this.fd);
    renameSync(this.tempPath, this.path);
    this.done = true;
    try {
      const dfd = openSync(dirname(this.path), 'r');
      fsyncSync(dfd);
      closeSync(dfd);
    } catch {
      /* directory fsync is best effort (not supported everywhere) */
    }
    return full;
  }

  /** Removes the temporary file (after a failure). */
  abort(): void {
    if (this.done) return;
    this.done = true;
    try {
      closeSync(this.fd);
    } catch {
      /* already closed */
    }
    try {
      unlinkSync(this.tempPath);
    } catch {
      /* already gone */
    }
  }
}
