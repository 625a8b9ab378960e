/**
 * Recognising the columns of a grade sheet by their header labels, as teachers and other
 * systems write them: "Mã học sinh" / "Mã HS" / "Ma hoc sinh", "Họ và tên" / "Họ tên",
 * "TX1" / "TX 1" / "ĐĐGtx1", "GK" / "Giữa kỳ" / "ĐĐGgk", "CK" / "Cuối kỳ", "ĐTBmhk",
 * "Nhận xét". Labels are folded (no diacritics, đ → d, lower case, no spaces or
 * punctuation) before matching, so case, accent and spacing variants all land here.
 */
import { foldVietnamese } from '../../domain/identity/index.ts';

/** What a header label means. `regular` carries its 1-based number (TX3 → 3). */
export type ColumnKind =
  | { kind: 'stt' }
  | { kind: 'code' }
  | { kind: 'name' }
  | { kind: 'familyName' } // "Họ đệm": some templates split the name in two columns
  | { kind: 'givenName' } // "Tên"
  | { kind: 'regular'; index: number }
  | { kind: 'regularUnnumbered' } // "TX" / "ĐĐGtx" with no number: a two-row header parent, or ambiguous
  | { kind: 'midterm' }
  | { kind: 'final' }
  | { kind: 'computed' } // ĐTBmhk / semester result: exported for reading, ignored on import
  | { kind: 'comment' }
  | { kind: 'unknown' }; // e.g. "Ghi chú": the teacher's own column, ignored

/** Folds a label to its matching key: "Mã HS" → "mahs", "ĐĐGtx 1" → "ddgtx1". */
export function headerKey(label: string): string {
  return foldVietnamese(label).replace(/[^a-z0-9]/g, '');
}

// Optional prefixes: "ĐĐG"/"ĐG" (đánh giá), "Điểm", "Kiểm tra"/"KT".
const PREFIX = '(?:ddg|dg|diem|kiemtra|kt)?';
const REGULAR = new RegExp(`^${PREFIX}(?:tx|thuongxuyen)(\\d{1,2})$`);
const REGULAR_UNNUMBERED = new RegExp(`^${PREFIX}(?:tx|thuongxuyen)$`);
const MIDTERM = new RegExp(`^${PREFIX}(?:gk|giuak[yi]|giuahock[yi])$`);
const FINAL = new RegExp(`^${PREFIX}(?:ck|cuoik[yi]|cuoihock[yi])$`);
// Exact or prefix matches only: a bare /^ma/ would also take "Mã lớp".
const CODE = /^(?:mahs|mahocsinh|masohocsinh|madinhdanh)|^(?:mshs|ma)$/;
const NAMES = new Set(['hovaten', 'hoten', 'hovatenhocsinh', 'hotenhocsinh', 'tenhocsinh', 'hovatenhs', 'hotenhs']);
const COMPUTED = /^(?:dtb|diemtb|diemtrungbinh|trungbinh|tbm|kq|ketqua)/;

/** Classifies one header label. */
export function classifyHeader(label: string): ColumnKind {
  const key = headerKey(label);
  if (key === 'stt' || key === 'tt' || key === 'sothutu') return { kind: 'stt' };
  if (NAMES.has(key)) return { kind: 'name' };
  if (key === 'hodem' || key === 'hovatendem' || key === 'ho') return { kind: 'familyName' };
  if (key === 'ten') return { kind: 'givenName' };
  if (CODE.test(key)) return { kind: 'code' };
  const regular = REGULAR.exec(key);
  if (regular) return { kind: 'regular', index: Number(regular[1]) };
  if (REGULAR_UNNUMBERED.test(key)) return { kind: 'regularUnnumbered' };
  if (MIDTERM.test(key)) return { kind: 'midterm' };
  if (FINAL.test(key)) return { kind: 'final' };
  if (COMPUTED.test(key)) return { kind: 'computed' };
  if (key.startsWith('nhanxet') || key === 'nx') return { kind: 'comment' };
  return { kind: 'unknown' };
}

/**
 * How strongly a row looks like the header row: the number of distinct required kinds
 * it names (code, name, regular, midterm, final, comment). A title or data row scores 0–1.
 */
export function headerScore(labels: ReadonlyArray<string>): number {
  const kinds = new Set<string>();
  for (const label of labels) {
    if (!label.trim()) continue;
    const k = classifyHeader(label).kind;
    if (k === 'familyName' || k === 'givenName') kinds.add('name');
    else if (k === 'regularUnnumbered') kinds.add('regular');
    else if (k !== 'stt' && k !== 'computed' && k !== 'unknown') kinds.add(k);
  }
  return kinds.size;
}

/**
 * Merges a two-row header (the layout of several school systems: "ĐĐGtx" merged over four
 * cells, with "1 2 3 4" in the row below) into one label per column. Returns null when
 * `below` is not such a sub-header row, i.e. unless every filled cell in it is a small
 * number and each sits under a "TX"-like parent.
 */
export function mergeSubHeader(labels: ReadonlyArray<string>, below: ReadonlyArray<string>): string[] | null {
  if (!labels.some((l) => l.trim() && classifyHeader(l).kind === 'regularUnnumbered')) return null;
  const filled = below.map((v, i) => [i, v.trim()] as const).filter(([, v]) => v !== '');
  if (filled.length === 0 || !filled.every(([, v]) => /^\d{1,2}$/.test(v))) return null;
  const merged = [...labels];
  while (merged.length < below.length) merged.push('');
  for (const [col, sub] of filled) {
    // The parent is the nearest non-empty header at or left of this column (a merged cell's text sits in its first cell).
    let p = col;
    while (p >= 0 && !(labels[p] ?? '').trim()) p--;
    const parent = p >= 0 ? (labels[p] ?? '') : '';
    if (classifyHeader(parent).kind !== 'regularUnnumbered') return null;
    merged[col] = `${parent.trim()} ${sub}`;
  }
  return merged;
}
