/**
 * The ZIP of a records export, written as a stream: each entry goes through fflate and the
 * bytes leave in fixed-size chunks to an async sink (the database), so a whole school's
 * PDFs never sit in memory at once. Also the file naming and the manifest files.
 */
import { createHash, type Hash } from 'node:crypto';
import { Zip, ZipDeflate, ZipPassThrough } from 'fflate';

/** fflate writes no ZIP64: a classic ZIP ends at 4 GiB and 65,535 entries. */
const ZIP_MAX_BYTES = 0xffff_ffff - 1024 * 1024;
const ZIP_MAX_ENTRIES = 65_535;

/**
 * One path segment (a class folder, a file name) made safe for every unzip tool: NFC (so a
 * Vietnamese name has one spelling), no path separators, reserved or control characters,
 * no leading dots, at most 120 characters.
 */
export function safeSegment(text: string): string {
  const cleaned = text
    .normalize('NFC')
    .replace(/[\\/:*?"<>|\u0000-\u001f\u007f]/g, '_')
    .replace(/\s+/g, ' ')
    .trim()
    .replace(/^\.+/, '_');
  return [...cleaned].slice(0, 120).join('').trim() || '_';
}

export interface ZipEntryInfo {
  path: string;
  bytes: number;
  sha256: string;
}

/** A ZIP written entry by entry to `sink` in chunks of `chunkBytes` (the last one shorter). */
export class ZipStreamWriter {
  private readonly zip: Zip;
  private pending: Buffer[] = [];
  private pendingBytes = 0;
  private written = 0;
  private entries = 0;
  private failure: Error | null = null;
  private readonly hash: Hash = createHash('sha256');

  constructor(
    private readonly sink: (chunk: Buffer) => Promise<void>,
    private readonly chunkBytes: number,
  ) {
    this.zip = new Zip((err, data, _final) => {
      if (err) {
        this.failure = err;
        return;
      }
      const b = Buffer.from(data.buffer, data.byteOffset, data.byteLength);
      this.hash.update(b);
      this.pending.push(Buffer.from(b)); // fflate may reuse its buffer
      this.pendingBytes += b.length;
    });
  }

  /**
   * Adds one file, deflated (`compress: true`) or stored. Even a PDF shrinks by about 13 %
   * deflated, for ~5 ms against its ~100 ms of rendering, so the export deflates everything.
   */
  async add(path: string, content: Uint8Array, opts: { compress: boolean; mtime: Date }): Promise<ZipEntryInfo> {
    if (this.entries + 1 > ZIP_MAX_ENTRIES) throw new Error(`ZIP: more than ${ZIP_MAX_ENTRIES} files (at ${path})`);
    if (this.written + this.pendingBytes + content.length > ZIP_MAX_BYTES) throw new Error(`ZIP: larger than 4 GiB (at ${path}); export fewer classes at a time`);
    const entry = opts.compress ? new ZipDeflate(path, { level: 6 }) : new ZipPassThrough(path);
    // DOS dates start in 1980; a record is never frozen before that, but a bad clock could say so.
    entry.mtime = opts.mtime.getTime() < Date.UTC(1980, 1, 1) ? new Date(Date.UTC(1980, 1, 1)) : opts.mtime;
    this.zip.add(entry);
    entry.push(content, true);
    this.entries++;
    this.check();
    await this.drain(false);
    return { path, bytes: content.length, sha256: createHash('sha256').update(content).digest('hex') };
  }

  /** Writes the central directory and the last chunk; the ZIP's size and sha256. */
  async end(): Promise<{ bytes: number; sha256: string }> {
    this.zip.end();
    this.check();
    await this.drain(true);
    return { bytes: this.written, sha256: this.hash.digest('hex') };
  }

  private check(): void {
    if (this.failure) throw this.failure;
  }

  private async drain(final: boolean): Promise<void> {
    while (this.pendingBytes >= this.chunkBytes || (final && this.pendingBytes > 0)) {
      const all = Buffer.concat(this.pending, this.pendingBytes);
      const size = Math.min(this.chunkBytes, all.length);
      const chunk = all.subarray(0, size);
      const rest = all.subarray(size);
      this.pending = rest.length ? [rest] : [];
      this.pendingBytes = rest.length;
      await this.sink(Buffer.from(chunk));
      this.written += size;
    }
  }
}

export type MissingReason = 'not_frozen' | 'superseded' | 'render_failed';

export interface ManifestFile {
  path: string;
  kind: 'pdf' | 'xml';
  sha256: string;
  bytes: number;
  studentId: string;
  studentCode: string | null;
  fullName: string;
  className: string;
  version: number;
  recordState: string;
}

export interface ManifestMissing {
  className: string;
  studentId: string;
  studentCode: string | null;
  fullName: string;
  reason: MissingReason;
  message: { vi: string; en: string };
}

/** manifest.json: what the ZIP holds and who is not in it, and why. */
export interface ExportManifest {
  format: 'hocba.record-export/1';
  exportId: string;
  school: { code: string; name: string };
  schoolYear: string;
  scope: { kind: 'class'; className: string } | { kind: 'school'; classes: number };
  createdAt: string;
  requestedBy: string;
  counts: { students: number; records: number; missing: number };
  files: ManifestFile[];
  missing: ManifestMissing[];
}

/** Why a student is not in the ZIP, in both languages (for the manifest and the UI). */
export function missingMessage(reason: MissingReason, p: { schoolYear: string; version?: number; error?: string }): { vi: string; en: string } {
  switch (reason) {
    case 'not_frozen':
      return { vi: `Chưa chốt học bạ năm học ${p.schoolYear}.`, en: `The ${p.schoolYear} record has not been frozen.` };
    case 'superseded':
      return {
        vi: `Bản v${p.version} đã bị thay thế; bản mới chưa được chốt.`,
        en: `Version ${p.version} was superseded; the new version is not frozen yet.`,
      };
    case 'render_failed':
      return { vi: `Không tạo được PDF của bản v${p.version}: ${p.error}`, en: `Could not render the PDF of version ${p.version}: ${p.error}` };
  }
}

/** SHA256SUMS in the format `sha256sum -c` reads (two spaces, then the path). */
export function sha256Sums(files: ManifestFile[]): string {
  return files.map((f) => `${f.sha256}  ${f.path}\n`).join('');
}

const csvCell = (v: string | number | null) => {
  const s = v === null ? '' : String(v);
  return /[",\n\r]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
};

/** manifest.csv (UTF-8 with BOM, so Excel shows Vietnamese): one line per student, in the ZIP or not. */
export function manifestCsv(m: ExportManifest): string {
  const head = ['Lớp / Class', 'Mã học sinh / Student code', 'Họ và tên / Full name', 'Phiên bản / Version', 'Tệp PDF / PDF file', 'SHA-256 (PDF)', 'Tệp XML / XML file', 'SHA-256 (XML)', 'Ghi chú / Note'];
  const lines = [head];
  const byStudent = new Map<string, { pdf?: ManifestFile; xml?: ManifestFile }>();
  for (const f of m.files) {
    const e = byStudent.get(f.studentId) ?? {};
    e[f.kind] = f;
    byStudent.set(f.studentId, e);
  }
  for (const { pdf, xml } of byStudent.values()) {
    const f = (pdf ?? xml)!;
    lines.push([f.className, f.studentCode ?? '', f.fullName, `v${f.version}`, pdf?.path ?? '', pdf?.sha256 ?? '', xml?.path ?? '', xml?.sha256 ?? '', '']);
  }
  for (const x of m.missing) lines.push([x.className, x.studentCode ?? '', x.fullName, '', '', '', '', '', x.message.vi]);
  return '\ufeff' + lines.map((l) => l.map(csvCell).join(',')).join('\r\n') + '\r\n';
}
