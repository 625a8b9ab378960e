/**
 * The content lines of a backup (docs/backup.md) and the structural check every line gets
 * while the file is verified: tables in the manifest's order, rows inside a table, file
 * paths that stay inside the data directory and match their SHA-256, the end marker last.
 */
import { BackupError } from './backup-error.ts';
import { sha256, type Manifest } from './backup-format.ts';

export type ContentLine =
  | { type: 'table'; table: string; columns: string[] }
  | { type: 'row'; json: string }
  | { type: 'sequence'; name: string; value: string | null }
  | { type: 'file'; path: string; mode: number; data: Buffer; sha256: string }
  | { type: 'end' };

/** A relative path with '/' that cannot leave the data directory (nor touch the database files). */
export function safeRelativePath(path: string): boolean {
  if (typeof path !== 'string' || !path || path.length > 1024 || path.startsWith('/') || path.includes('\\') || path.includes('\0')) return false;
  const parts = path.split('/');
  if (parts.some((p) => p === '' || p === '.' || p === '..')) return false;
  return parts[0] !== 'pg' && parts[0] !== 'hocba.lock';
}

/** Parses one line; throws backup.corrupt naming the line number. */
export function parseContentLine(line: Buffer, n: number): ContentLine {
  const kind = line.toString('latin1', 0, 2);
  const rest = () => line.toString('utf8', 2);
  const bad = (why: string): never => {
    throw new BackupError('backup.corrupt', `dòng nội dung ${n} không hợp lệ: ${why} / content line ${n} is invalid: ${why}`);
  };
  try {
    switch (kind) {
      case 'R ':
        return { type: 'row', json: rest() };
      case 'T ': {
        const t = JSON.parse(rest()) as { table: string; columns: string[] };
        if (typeof t.table !== 'string' || !Array.isArray(t.columns) || !t.columns.every((c) => typeof c === 'string')) bad('table header');
        return { type: 'table', table: t.table, columns: t.columns };
      }
      case 'S ': {
        const s = JSON.parse(rest()) as { name: string; value: string | null };
        if (typeof s.name !== 'string' || (s.value !== null && !/^-?\d+$/.test(String(s.value)))) bad('sequence');
        return { type: 'sequence', name: s.name, value: s.value };
      }
      case 'F ': {
        const f = JSON.parse(rest()) as { path: string; mode: number; sha256: string; data: string };
        if (!safeRelativePath(f.path)) bad(`unsafe file path ${JSON.stringify(String(f.path).slice(0, 200))}`);
        const data = Buffer.from(String(f.data), 'base64');
        if (sha256(data).toString('hex') !== f.sha256) bad(`file ${f.path} does not match its SHA-256`);
        return { type: 'file', path: f.path, mode: Number(f.mode) & 0o777, data, sha256: f.sha256 };
      }
      case 'E ':
        return { type: 'end' };
      default:
        return bad(`unknown line type ${JSON.stringify(kind)}`);
    }
  } catch (err) {
    if (err instanceof BackupError) throw err;
    return bad((err as Error).message);
  }
}

/** Follows the lines' order and counts, and compares them with the manifest at the end. */
export class ContentTracker {
  private n = 0;
  private current: string | null = null;
  private ended = false;
  readonly tables: Array<{ name: string; rows: number }> = [];
  readonly files: Array<{ path: string; bytes: number; sha256: string }> = [];
  sequences = 0;

  constructor(private readonly file: string) {}

  /** Parses and checks one line; returns it. */
  accept(raw: Buffer): ContentLine {
    this.n++;
    const line = parseContentLine(raw, this.n);
    const bad = (why: string): never => {
      throw new BackupError('backup.corrupt', `${this.file}: dòng ${this.n}: ${why} / line ${this.n}: ${why}`);
    };
    if (this.ended) bad('content after the end marker');
    if (line.type === 'table') {
      if (this.tables.some((t) => t.name === line.table)) bad(`table ${line.table} appears twice`);
      this.current = line.table;
      this.tables.push({ name: line.table, rows: 0 });
    } else if (line.type === 'row') {
      if (!this.current) bad('a row outside any table');
      this.tables[this.tables.length - 1]!.rows++;
    } else {
      this.current = null;
      if (line.type === 'sequence') this.sequences++;
      else if (line.type === 'file') this.files.push({ path: line.path, bytes: line.data.length, sha256: line.sha256 });
      else this.ended = true;
    }
    return line;
  }

  /** Throws unless what was read is exactly what the manifest lists. */
  matches(m: Manifest): void {
    const fail = (why: string): never => {
      throw new BackupError('backup.corrupt', `${this.file}: nội dung không khớp bản kê: ${why} / the content does not match the manifest: ${why}`);
    };
    if (!this.ended) fail('no end marker');
    if (JSON.stringify(this.tables) !== JSON.stringify(m.tables)) {
      const diff = m.tables.find((t, i) => this.tables[i]?.name !== t.name || this.tables[i]?.rows !== t.rows);
      fail(diff ? `table ${diff.name}: manifest ${diff.rows} rows, content ${this.tables.find((t) => t.name === diff.name)?.rows ?? 'none'}` : 'table list');
    }
    if (JSON.stringify(this.files) !== JSON.stringify(m.files)) fail('file list');
    if (this.sequences !== m.sequences) fail(`sequences ${this.sequences} ≠ ${m.sequences}`);
  }
}
